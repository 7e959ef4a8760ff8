package io.qeventd.testkit.vm;

/** The sources given to a {@link PluginJarBuilder} did not compile; the message holds javac's diagnostics. */
public final class PluginJarCompileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PluginJarCompileException(String message) {
        super(message);
    }

    public PluginJarCompileException(String message, Throwable cause) {
        super(message, cause);
    }
}

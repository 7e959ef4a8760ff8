package io.qeventd.plugins.network;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Runs a reconnect command (see {@link NetworkSettings}) and says how it ended. */
final class PeerRestart {
    private PeerRestart() {
    }

    /**
     * @throws IOException the command could not run, did not end in time, or exited non-zero; the message says
     *                     which
     */
    static void run(NetworkSettings.Reconnect reconnect, String domain, String netdev)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(reconnect.command()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put("QEVENTD_DOMAIN", domain);
        builder.environment().put("QEVENTD_NETDEV", netdev);
        Process process = builder.start();
        // The output is read after the end: a reconnect command prints little, and a pipe holds 64 KiB.
        if (!process.waitFor(reconnect.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", reconnect.command()) + " did not end within " + reconnect.timeout());
        }
        if (process.exitValue() != 0) {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            throw new IOException(String.join(" ", reconnect.command()) + " exited " + process.exitValue()
                    + (output.isEmpty() ? "" : ": " + output));
        }
    }
}

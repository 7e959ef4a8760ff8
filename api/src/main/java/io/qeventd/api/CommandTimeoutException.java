package io.qeventd.api;

import java.time.Duration;

/** QEMU did not answer a command within its timeout. */
public class CommandTimeoutException extends QmpException {
    private static final long serialVersionUID = 1L;
    private final Duration timeout;

    public CommandTimeoutException(String command, Duration timeout) {
        super(command + ": no reply within " + timeout.toMillis() + " ms");
        this.timeout = timeout;
    }

    public Duration timeout() {
        return timeout;
    }
}

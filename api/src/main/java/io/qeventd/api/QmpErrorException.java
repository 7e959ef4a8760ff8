package io.qeventd.api;

/** QEMU answered a command with an error reply: its class (e.g. {@code GenericError}) and description. */
public class QmpErrorException extends QmpException {
    private static final long serialVersionUID = 1L;
    private final String errorClass;
    private final String description;
    private final String command;

    public QmpErrorException(String command, String errorClass, String description) {
        super(command + " failed: " + errorClass + ": " + description);
        this.command = command;
        this.errorClass = errorClass;
        this.description = description;
    }

    /** QEMU's error class, e.g. {@code CommandNotFound}, {@code DeviceNotFound}, {@code GenericError}. */
    public String errorClass() {
        return errorClass;
    }

    public String description() {
        return description;
    }

    public String command() {
        return command;
    }
}

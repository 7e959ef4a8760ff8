package com.example.qeventd.audit;

/** {@code pluginSettings.audit-log} is missing or wrong; the message names the key and the fix. */
public class InvalidAuditLogSettingsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidAuditLogSettingsException(String message) {
        super(message);
    }

    public InvalidAuditLogSettingsException(String message, Throwable cause) {
        super(message, cause);
    }
}

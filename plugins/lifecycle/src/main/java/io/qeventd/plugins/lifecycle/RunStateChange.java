package io.qeventd.plugins.lifecycle;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The data of the run-state events: RESET and SHUTDOWN carry {@code guest} and {@code reason};
 * STOP, RESUME, POWERDOWN, SUSPEND and WAKEUP carry nothing.
 */
public record RunStateChange(@JsonProperty("guest") Boolean guest, @JsonProperty("reason") String reason) {
    public String describe() {
        if (reason == null) {
            return "";
        }
        return " (" + reason + (Boolean.TRUE.equals(guest) ? ", by the guest" : "") + ")";
    }
}

package io.qeventd.plugins.guestsignals;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The data of MEMORY_FAILURE.
 *
 * @param recipient {@code hypervisor} or {@code guest}: who was to handle the failure
 * @param action    what QEMU did: ignore, inject, fatal, reset
 * @param flags     details of the failure
 */
public record MemoryFailure(@JsonProperty("recipient") String recipient, @JsonProperty("action") String action,
                            @JsonProperty("flags") Flags flags) {

    /**
     * @param actionRequired whether the failure needs action before the memory is used again
     * @param recursive      whether it happened while a previous one was being handled
     */
    public record Flags(@JsonProperty("action-required") boolean actionRequired,
                        @JsonProperty("recursive") boolean recursive) {
    }
}

package io.qeventd.plugins.blockjobs;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The data of BLOCK_JOB_ERROR.
 *
 * @param device    the job's id
 * @param operation {@code read} or {@code write}
 * @param action    what QEMU did: {@code ignore}, {@code report} or {@code stop}
 */
public record BlockJobError(@JsonProperty("device") String device, @JsonProperty("operation") String operation,
                            @JsonProperty("action") String action) {
}

package io.qeventd.plugins.blockjobs;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The data of BLOCK_JOB_PENDING: the job {@code id} of {@code type} waits to be finalized. */
public record BlockJobPending(@JsonProperty("type") String type, @JsonProperty("id") String id) {
}

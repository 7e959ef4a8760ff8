package io.qeventd.plugins.blockjobs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.qeventd.events.JobStatus;

/** One entry of QMP {@code query-jobs}. */
@JsonIgnoreProperties(ignoreUnknown = true)
record JobInfo(@JsonProperty("id") String id, @JsonProperty("type") String type,
               @JsonProperty("status") JobStatus status,
               @JsonProperty("current-progress") long currentProgress,
               @JsonProperty("total-progress") long totalProgress,
               @JsonProperty("error") String error) {

    BlockJob toJob() {
        return new BlockJob(id, type, status, currentProgress, totalProgress, error);
    }
}

package io.qeventd.plugins.blockjobs;

import io.qeventd.api.state.StatusFields;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** One domain's block jobs as this plugin publishes them ({@link BlockJobHandlers#JOBS}). */
public record DomainBlockJobs(List<BlockJob> jobs) implements StatusFields {
    public DomainBlockJobs {
        jobs = List.copyOf(jobs);
    }

    @Override
    public Map<String, Object> statusFields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("jobs", jobs.size());
        fields.put("detail", jobs.stream()
                .map(j -> j.id() + " " + (j.type() == null ? "?" : j.type()) + " " + j.status()
                        + " " + j.offset() + "/" + j.len() + (j.error() == null ? "" : " error: " + j.error()))
                .collect(Collectors.joining("; ")));
        return fields;
    }
}

package io.qeventd.plugins.blockjobs;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * The jobs of each domain. Processors of one domain run one at a time (they hold the domain's job), so
 * each domain's map is written by one thread at a time; readers (status, other plugins) see a snapshot.
 */
final class BlockJobTable implements BlockJobs {
    private final Map<String, Map<String, BlockJob>> jobs = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> pivotMarks = new ConcurrentHashMap<>();

    @Override
    public List<BlockJob> jobs(String domain) {
        return jobs.getOrDefault(domain, Map.of()).values().stream().sorted(Comparator.comparing(BlockJob::id))
                .toList();
    }

    @Override
    public void markForPivot(String domain, String jobId) {
        pivotMarks.computeIfAbsent(domain, d -> ConcurrentHashMap.newKeySet()).add(jobId);
    }

    boolean markedForPivot(String domain, String jobId) {
        return pivotMarks.getOrDefault(domain, Set.of()).contains(jobId);
    }

    Optional<BlockJob> job(String domain, String id) {
        return Optional.ofNullable(jobs.getOrDefault(domain, Map.of()).get(id));
    }

    /** Applies {@code change} to the job, creating it first if the table does not know it yet. */
    BlockJob update(String domain, String id, UnaryOperator<BlockJob> change) {
        return domainJobs(domain).compute(id, (k, old) -> change.apply(old == null ? BlockJob.created(id) : old));
    }

    void remove(String domain, String id) {
        domainJobs(domain).remove(id);
        Set<String> marks = pivotMarks.get(domain);
        if (marks != null) {
            marks.remove(id);
        }
    }

    /** Replaces what the table knows of the domain by what QEMU reported ({@code query-jobs}). */
    void replace(String domain, Collection<BlockJob> current) {
        Map<String, BlockJob> map = domainJobs(domain);
        map.clear();
        current.forEach(j -> map.put(j.id(), j));
    }

    private Map<String, BlockJob> domainJobs(String domain) {
        return jobs.computeIfAbsent(domain, d -> new ConcurrentHashMap<>());
    }
}

package io.qeventd.api;

/**
 * Re-reads state a handler may have missed, as libvirt's {@code qemuProcessRefreshRxFilters}.
 *
 * <p>Runs on a worker, in the domain's order, holding the domain job, like a {@link Processor}.
 */
@FunctionalInterface
public interface ResyncHook {
    void resync(ProcessContext context, ResyncReason reason) throws Exception;
}

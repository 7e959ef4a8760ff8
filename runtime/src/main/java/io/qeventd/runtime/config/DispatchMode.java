package io.qeventd.runtime.config;

/** How events are handed to workers ({@code dispatch}). */
public enum DispatchMode {
    /** {@code per-domain}: one ordered queue per domain, domains processed in parallel by the workers. */
    PER_DOMAIN,
    /**
     * {@code global-fifo}: one worker taking every domain's events from one queue, as libvirt does; kept
     * to compare against in benchmarks.
     */
    GLOBAL_FIFO
}

package io.qeventd.runtime.work;

import java.time.Duration;

/**
 * @param workers       worker threads shared by all domains
 * @param queueLimit    most events queued per domain (per daemon in global-FIFO mode)
 * @param globalFifo    libvirt's model instead of per-domain lanes: one worker, one FIFO for every domain
 * @param slowThreshold a processor running longer is reported {@code slow} while it still runs
 * @param processTimeout a processor running longer is interrupted; one that still does not return wedges its
 *                      plugin (its handlers are disabled until the plugin is replaced)
 */
public record WorkOptions(int workers, int queueLimit, boolean globalFifo, Duration slowThreshold,
                          Duration processTimeout) {
    /** The default processTimeout: libvirt's job wait. */
    public static final Duration DEFAULT_PROCESS_TIMEOUT = Duration.ofSeconds(30);

    public WorkOptions(int workers, int queueLimit, boolean globalFifo, Duration slowThreshold) {
        this(workers, queueLimit, globalFifo, slowThreshold, DEFAULT_PROCESS_TIMEOUT);
    }

    public WorkOptions {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1: " + workers);
        }
        if (queueLimit < 1) {
            throw new IllegalArgumentException("queueLimit must be at least 1: " + queueLimit);
        }
        if (processTimeout.isNegative() || processTimeout.isZero()) {
            throw new IllegalArgumentException("processTimeout must be positive: " + processTimeout);
        }
    }

    public static WorkOptions defaults() {
        return new WorkOptions(4, 1024, false, Duration.ofSeconds(10), DEFAULT_PROCESS_TIMEOUT);
    }
}

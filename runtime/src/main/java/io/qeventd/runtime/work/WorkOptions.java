package io.qeventd.runtime.work;

import java.time.Duration;

/**
 * @param workers       worker threads shared by all domains
 * @param queueLimit    most events queued per domain (per daemon in global-FIFO mode)
 * @param globalFifo    libvirt's model instead of per-domain lanes: one worker, one FIFO for every domain
 * @param slowThreshold a processor running longer is reported {@code slow} while it still runs
 * @param processTimeout a processor running longer is interrupted; one that still does not return wedges its
 *                      plugin (its handlers are disabled until the plugin is replaced)
 * @param queueLimitTotal most events queued over all domains together: what bounds the queues' memory whatever
 *                      the number of domains
 */
public record WorkOptions(int workers, int queueLimit, boolean globalFifo, Duration slowThreshold,
                          Duration processTimeout, int queueLimitTotal) {
    /** The default processTimeout: libvirt's job wait. */
    public static final Duration DEFAULT_PROCESS_TIMEOUT = Duration.ofSeconds(30);
    /** The default queueLimit. */
    public static final int DEFAULT_QUEUE_LIMIT = 16_384;
    /** The default queueLimitTotal. */
    public static final int DEFAULT_QUEUE_LIMIT_TOTAL = 65_536;

    public WorkOptions(int workers, int queueLimit, boolean globalFifo, Duration slowThreshold) {
        this(workers, queueLimit, globalFifo, slowThreshold, DEFAULT_PROCESS_TIMEOUT);
    }

    public WorkOptions(int workers, int queueLimit, boolean globalFifo, Duration slowThreshold,
                       Duration processTimeout) {
        this(workers, queueLimit, globalFifo, slowThreshold, processTimeout,
                Math.max(queueLimit, DEFAULT_QUEUE_LIMIT_TOTAL));
    }

    public WorkOptions {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1: " + workers);
        }
        if (queueLimit < 1) {
            throw new IllegalArgumentException("queueLimit must be at least 1: " + queueLimit);
        }
        if (queueLimitTotal < 1) {
            throw new IllegalArgumentException("queueLimitTotal must be at least 1: " + queueLimitTotal);
        }
        if (processTimeout.isNegative() || processTimeout.isZero()) {
            throw new IllegalArgumentException("processTimeout must be positive: " + processTimeout);
        }
    }

    public static WorkOptions defaults() {
        return new WorkOptions(4, DEFAULT_QUEUE_LIMIT, false, Duration.ofSeconds(10), DEFAULT_PROCESS_TIMEOUT,
                DEFAULT_QUEUE_LIMIT_TOTAL);
    }
}

package io.qeventd.runtime.journal;

import io.qeventd.runtime.config.QeventdConfig;
import java.util.Optional;

/**
 * A journal sink shipped beside the runtime rather than in it (Kafka forwarding), found on the daemon's class
 * path with {@link java.util.ServiceLoader}. The daemon asks every provider at start; one whose configuration
 * section is absent answers empty. Its sink is called on the journal's dispatch thread like any other, and is
 * closed after the last record at stop.
 */
public interface JournalSinkProvider {
    /** The top-level configuration key that turns this sink on ({@code kafka}); names it in messages. */
    String section();

    /**
     * The sink for {@code config}, or empty when {@code config} does not ask for it.
     *
     * @throws IllegalStateException with a message naming what is wrong when the sink is asked for but
     *                               cannot start (the daemon does not start then)
     */
    Optional<JournalSink> open(QeventdConfig config);
}

package io.qeventd.runtime.work;

import io.qeventd.api.EventType;

/** Event types and payloads of the handlers these tests register. */
final class TestTypes {
    private TestTypes() {
    }

    enum Type implements EventType {
        SEQ, NIC, ALL, BROKEN
    }

    /** {@code {"n": 3, "domain": "vm1"}} */
    record Seq(int n, String domain) {
    }

    /** {@code {"name": "net0"}} */
    record NicChange(String name) {
    }

    /** A payload whose decoding always fails. */
    record Unreadable(int n) {
        Unreadable {
            throw new IllegalArgumentException("refusing to decode n=" + n);
        }
    }

    /** A payload class that can never be initialised: its static initialiser throws. */
    record Poisoned(int n) {
        static final int SEED = seed();

        private static int seed() {
            throw new IllegalStateException("static initialiser of Poisoned fails");
        }
    }

    /**
     * A NIC_RX_FILTER_CHANGED handler coalescing by NIC name that records "name@micros" and holds its first event
     * until {@code release}, so that later ones queue behind it.
     */
    static io.qeventd.api.Handler<NicChange> nicHoldingTheFirst(java.util.List<String> processed,
                                                                java.util.concurrent.CountDownLatch entered,
                                                                java.util.concurrent.CountDownLatch release) {
        return io.qeventd.api.Handler.on("NIC_RX_FILTER_CHANGED", NicChange.class).type(Type.NIC)
                .coalesceBy(NicChange::name)
                .process((ctx, e) -> {
                    processed.add(e.payload().name() + "@" + e.timestamp().microseconds());
                    if (processed.size() == 1) {
                        entered.countDown();
                        release.await();
                    }
                });
    }
}

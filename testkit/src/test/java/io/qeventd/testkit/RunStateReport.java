package io.qeventd.testkit;

import io.qeventd.api.EventType;
import io.qeventd.api.Handler;
import io.qeventd.api.ProcessContext;
import java.util.List;
import java.util.Map;

/** A handler as a plugin writes one: on STOP and RESUME it asks QEMU for its run state and reports it. */
final class RunStateReport {
    enum Type implements EventType { STOPPED, RESUMED }

    record None() {
    }

    private RunStateReport() {
    }

    static List<Handler<?>> handlers() {
        return List.of(
                Handler.on("STOP", None.class).type(Type.STOPPED).process((c, e) -> report(c)),
                Handler.on("RESUME", None.class).type(Type.RESUMED).process((c, e) -> report(c)));
    }

    static void report(ProcessContext c) {
        Map<?, ?> status = (Map<?, ?>) c.monitor().execute("query-status");
        c.log().info("{} is {}", c.domain().name(), status.get("status"));
        c.report("status " + status.get("status"));
    }
}

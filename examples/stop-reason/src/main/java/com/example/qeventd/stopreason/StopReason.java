package com.example.qeventd.stopreason;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.qeventd.api.ProcessContext;
import java.util.Arrays;
import java.util.List;

/** Finds out why a VM stopped and reports it; runs on a worker, where blocking QMP commands are allowed. */
final class StopReason {
    /** What {@code query-status} returns; QEMU's other fields are ignored. */
    record Status(String status, boolean running) {
    }

    /** One entry of {@code query-block}: the device and, for a disk with a medium, its I/O status. */
    record BlockDevice(String device, String qdev, @JsonProperty("io-status") String ioStatus) {
        String name() {
            return device != null && !device.isEmpty() ? device : qdev;
        }
    }

    private StopReason() {
    }

    static void explain(ProcessContext ctx) {
        Status status = ctx.monitor().execute("query-status", null, Status.class);
        if (status.running()) {
            // Resumed before the worker got here: the reason of this STOP is gone.
            ctx.report("stopped, but running again (" + status.status() + ")");
            return;
        }
        ctx.report("stopped: " + status.status());
        if ("io-error".equals(status.status())) {
            BlockDevice[] devices = ctx.monitor().execute("query-block", null, BlockDevice[].class);
            List<String> failing = Arrays.stream(devices)
                    .filter(d -> d.ioStatus() != null && !"ok".equals(d.ioStatus()))
                    .map(d -> d.name() + " " + d.ioStatus()).toList();
            ctx.report("I/O error on " + (failing.isEmpty() ? "no disk QEMU reports" : String.join(", ", failing)));
            ctx.log().warn("{} stopped on an I/O error: {}", ctx.domain().name(), failing);
        }
    }
}

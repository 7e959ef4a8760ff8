package io.qeventd.plugins.blockjobs;

import com.fasterxml.jackson.databind.JsonNode;
import io.qeventd.runtime.testing.QemuRawQmp;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A mirror job on a real QEMU, driven over the test's own QMP connection: two qcow2 images made with
 * qemu-img, added with blockdev-add, mirrored with blockdev-mirror (auto-dismiss off, so a concluded job
 * waits for whoever dismisses it).
 */
final class Mirror {
    private Mirror() {
    }

    /** Starts job {@code jobId} mirroring a new image {@code name}-src onto a new image {@code name}-dst in {@code dir}. */
    static void start(QemuRawQmp qmp, Path dir, String name, String jobId) throws Exception {
        addImage(qmp, dir, name + "-src");
        addImage(qmp, dir, name + "-dst");
        require(qmp, "{\"execute\":\"blockdev-mirror\",\"arguments\":{\"job-id\":\"" + jobId + "\",\"device\":\"" + name
                + "-src\",\"target\":\"" + name + "-dst\",\"sync\":\"full\",\"auto-dismiss\":false}}");
    }

    private static void addImage(QemuRawQmp qmp, Path dir, String node) throws Exception {
        Path image = dir.resolve(node + ".qcow2");
        Process p = new ProcessBuilder("qemu-img", "create", "-q", "-f", "qcow2", image.toString(), "1M")
                .redirectErrorStream(true).start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("qemu-img create " + image + " failed: " + new String(p.getInputStream().readAllBytes()));
        }
        require(qmp, "{\"execute\":\"blockdev-add\",\"arguments\":{\"driver\":\"qcow2\",\"node-name\":\"" + node
                + "\",\"file\":{\"driver\":\"file\",\"filename\":\"" + image + "\"}}}");
    }

    static JsonNode require(QemuRawQmp qmp, String command) {
        JsonNode reply = qmp.executeJson(command);
        if (!reply.has("return")) {
            throw new AssertionError(command + " failed: " + reply);
        }
        return reply.get("return");
    }
}

package io.qeventd.plugins.blockjobs;

import com.fasterxml.jackson.databind.JsonNode;
import io.qeventd.testkit.vm.QemuRawQmp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A mirror job on a real QEMU, driven over the test's own QMP connection: two qcow2 images made with
 * qemu-img, added with blockdev-add, mirrored with blockdev-mirror (auto-dismiss off, so a concluded job
 * waits for whoever dismisses it).
 */
final class Mirror {
    private Mirror() {
    }

    /** Starts job {@code jobId} mirroring a new image {@code name}-src onto a new one, {@code name}-dst, in {@code dir}. */
    static void start(QemuRawQmp qmp, Path dir, String name, String jobId) throws Exception {
        addImage(qmp, dir, name + "-src");
        addImage(qmp, dir, name + "-dst");
        mirror(qmp, name, jobId, "");
    }

    /** Like {@link #start}, but QEMU waits for {@code job-finalize} before it concludes the job. */
    static void startUnfinalized(QemuRawQmp qmp, Path dir, String name, String jobId) throws Exception {
        addImage(qmp, dir, name + "-src");
        addImage(qmp, dir, name + "-dst");
        mirror(qmp, name, jobId, ",\"auto-finalize\":false");
    }

    /**
     * Like {@link #start}, onto a target whose every write fails with EIO (blkdebug), the job ending at the first
     * error ({@code on-target-error: report}).
     */
    static void startOntoFailingTarget(QemuRawQmp qmp, Path dir, String name, String jobId) throws Exception {
        // A source with data: the mirror of an empty one only writes zeroes, which blkdebug's write rule misses.
        byte[] data = new byte[1024 * 1024];
        Arrays.fill(data, (byte) 0x5a);
        Path raw = Files.write(dir.resolve(name + "-src.raw"), data);
        Path source = dir.resolve(name + "-src.qcow2");
        qemuImg("convert", "-q", "-f", "raw", "-O", "qcow2", raw.toString(), source.toString());
        require(qmp, "{\"execute\":\"blockdev-add\",\"arguments\":{\"driver\":\"qcow2\",\"node-name\":\"" + name
                + "-src\",\"file\":{\"driver\":\"file\",\"filename\":\"" + source + "\"}}}");
        Path rules = Files.writeString(dir.resolve(name + "-dst.blkdebug"),
                "[inject-error]\nevent = \"write_aio\"\nerrno = \"5\"\n");
        Path image = dir.resolve(name + "-dst.raw");
        qemuImg("create", "-q", "-f", "raw", image.toString(), "1M");
        require(qmp, "{\"execute\":\"blockdev-add\",\"arguments\":{\"driver\":\"raw\",\"node-name\":\"" + name
                + "-dst\",\"file\":{\"driver\":\"blkdebug\",\"config\":\"" + rules + "\",\"image\":{\"driver\":"
                + "\"file\",\"filename\":\"" + image + "\"}}}}");
        mirror(qmp, name, jobId, ",\"on-target-error\":\"report\"");
    }

    private static void mirror(QemuRawQmp qmp, String name, String jobId, String moreArguments) {
        require(qmp, "{\"execute\":\"blockdev-mirror\",\"arguments\":{\"job-id\":\"" + jobId + "\",\"device\":\"" + name
                + "-src\",\"target\":\"" + name + "-dst\",\"sync\":\"full\",\"auto-dismiss\":false" + moreArguments
                + "}}");
    }

    private static void qemuImg(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("qemu-img"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: "
                    + new String(p.getInputStream().readAllBytes()));
        }
    }

    private static void addImage(QemuRawQmp qmp, Path dir, String node) throws Exception {
        Path image = dir.resolve(node + ".qcow2");
        qemuImg("create", "-q", "-f", "qcow2", image.toString(), "1M");
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

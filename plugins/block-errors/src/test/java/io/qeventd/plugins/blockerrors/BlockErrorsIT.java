package io.qeventd.plugins.blockerrors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.qeventd.runtime.cli.Main;
import io.qeventd.testkit.vm.JournalLines;
import io.qeventd.testkit.TestDaemon;
import io.qeventd.testkit.vm.Eventually;
import io.qeventd.testkit.vm.Qemu;
import io.qeventd.testkit.vm.QemuBuilder;
import io.qeventd.testkit.vm.QemuRawQmp;
import io.qeventd.testkit.vm.TestGuest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The packaged plugin jar in the daemon, attached to a real guest whose disk runs out of space: blkdebug
 * answers the first write at 4 MiB with ENOSPC, so QEMU (werror=stop) pauses the guest; a write at 2 MiB
 * crosses the write threshold the plugin armed at 1 MiB. The operator then says space was added, with the
 * CLI ({@code qeventd plugin-command block-errors space-added}), and the plugin re-arms the threshold and
 * resumes the guest, whose write now succeeds.
 */
@EnabledIfSystemProperty(named = "qeventd.plugin.jar", matches = ".+",
        disabledReason = "needs the packaged plugin jar: runs under failsafe, after package (mvn verify)")
class BlockErrorsIT {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final long MIB = 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void guestPausedOnEnospcIsResumedAndTheThresholdReArmedOnceTheOperatorSaysSpaceWasAdded() throws Exception {
        Path image = dir.resolve("disk.img");
        qemuImg("create", "-q", "-f", "raw", image.toString(), "8M");
        Path rules = Files.writeString(dir.resolve("blkdebug.conf"),
                "[inject-error]\nevent = \"write_aio\"\nerrno = \"28\"\nsector = \"8192\"\nonce = \"on\"\n");
        QemuBuilder qemu = Qemu.builder().qmpSocket("daemon").qmpSocket("test").args(
                "-blockdev", "driver=file,node-name=disk0-file,filename=" + image,
                "-blockdev", "driver=blkdebug,node-name=disk0-debug,config=" + rules + ",image=disk0-file",
                "-blockdev", "driver=raw,node-name=disk0,file=disk0-debug",
                "-device", "virtio-blk-pci,id=vd0,drive=disk0,werror=stop,rerror=stop");
        try (TestGuest guest = TestGuest.boot(qemu);
             TestDaemon fixture = TestDaemon.in(dir).domain("vm1", guest.qemu().qmpSocket("daemon"))
                     .yaml("pluginSettings:\n  block-errors:\n    resumeWhenSpaceAdded: true\n"
                             + "    writeThresholds: {disk0: " + MIB + "}");
             QemuRawQmp test = QemuRawQmp.connect(guest.qemu().qmpSocket("test"), DEADLINE)) {
            fixture.pluginJar(Path.of(System.getProperty("qeventd.plugin.jar"))).start();
            Path journal = fixture.journal;
            JournalLines.awaitAction(journal, "disk0: write threshold armed at " + MIB, DEADLINE);

            guest.shell().run("dd if=/dev/zero of=/dev/vda bs=4k count=1 seek=512 oflag=direct", DEADLINE)
                    .requireSuccess();
            JournalLines.awaitAction(journal, "disk0: write threshold " + MIB + " exceeded by", DEADLINE);

            // The write the guest cannot finish: QEMU pauses the guest with the request pending, so the shell's
            // answer may never leave the guest.
            guest.shell().send("dd if=/dev/zero of=/dev/vda bs=4k count=1 seek=1024 oflag=direct;"
                    + " echo dd-exit=$? >/tmp/dd.done");
            JournalLines.awaitAction(journal, "disk0: write error (No space left on device, no space), guest paused",
                    DEADLINE);
            assertThat(status(test)).isEqualTo("io-error");

            StringWriter out = new StringWriter();
            int exit = runCli(out, "plugin-command", "block-errors", "space-added", "--domain", "vm1",
                    "--socket", fixture.adminSocket.toString(), "threshold=" + 4 * MIB);

            assertThat(exit).as(out.toString()).isZero();
            assertThat(out.toString()).contains(
                    "block-errors space-added on vm1: processed",
                    "disk0: write threshold re-armed at " + 4 * MIB,
                    "resumed (cont) after space was added");
            assertThat(status(test)).isEqualTo("running");
            Eventually.await("the guest's write completes once resumed", DEADLINE,
                    () -> guest.shell().run("cat /tmp/dd.done 2>/dev/null", DEADLINE).output(),
                    done -> done.equals("dd-exit=0"));
            // The retried write (4 KiB at 4 MiB) crosses the re-armed threshold: QEMU watches it again.
            JournalLines.awaitAction(journal, "disk0: write threshold " + 4 * MIB + " exceeded by 4096", DEADLINE);
            Map<String, Object> published = fixture.daemon().status().pluginState().get("block-errors")
                    .get("block-errors.disks").get("vm1");
            assertThat(published).containsEntry("paused on ENOSPC", false)
                    .containsEntry("thresholds", "disk0 " + 4 * MIB + " fired +4096")
                    .containsEntry("errors", "disk0 write stop nospace");
            assertThat(JournalLines.ofPlugin(journal, "block-errors"))
                    .allSatisfy(l -> assertThat(l.path("outcome").asText()).as(l.toString()).isEqualTo("processed"));
        }
    }

    @Test
    void unknownArgumentIsRefusedNamingIt() throws Exception {
        try (Qemu qemu = Qemu.builder().paused().qmpSocket("daemon").start();
             TestDaemon fixture = TestDaemon.in(dir).domain("vm1", qemu.qmpSocket("daemon"))) {
            fixture.pluginJar(Path.of(System.getProperty("qeventd.plugin.jar"))).start();
            fixture.awaitConnected("vm1", DEADLINE);
            StringWriter err = new StringWriter();

            int exit = runCli(err, "plugin-command", "block-errors", "space-added", "--domain", "vm1",
                    "--socket", fixture.adminSocket.toString(), "size=5G");

            assertThat(exit).isEqualTo(1);
            assertThat(err.toString()).contains("InvalidArguments",
                    "space-added takes node=NAME and threshold=BYTES, not [size]");
        }
    }

    private static String status(QemuRawQmp qmp) {
        JsonNode reply = qmp.execute("query-status");
        return reply.path("return").path("status").asText();
    }

    /** Runs the CLI in this JVM with its stdout and stderr into {@code out}. */
    private static int runCli(StringWriter out, String... args) {
        CommandLine cli = Main.commandLine();
        PrintWriter writer = new PrintWriter(out, true);
        cli.setOut(writer);
        cli.setErr(writer);
        return cli.execute(args);
    }

    private static void qemuImg(String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = "qemu-img";
        System.arraycopy(args, 0, command, 1, args.length);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("qemu-img failed: " + new String(p.getInputStream().readAllBytes()));
        }
    }
}

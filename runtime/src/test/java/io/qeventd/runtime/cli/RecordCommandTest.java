package io.qeventd.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.qeventd.runtime.record.RecordedLine;
import io.qeventd.runtime.record.Recording;
import io.qeventd.testkit.vm.Eventually;
import io.qeventd.testkit.vm.Qemu;
import io.qeventd.testkit.vm.QemuRawQmp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordCommandTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    @Test
    void recordsARealQemusGreetingAndEventsUntilItQuits() throws Exception {
        Path out = tmp.resolve("vm1.jsonl");
        try (Qemu qemu = Qemu.builder().paused().qmpSocket("daemon").qmpSocket("test").start()) {
            CompletableFuture<Cli> record = CompletableFuture.supplyAsync(() -> Cli.run("record", "--qmp",
                    qemu.qmpSocket("daemon").toString(), "--out", out.toString()));
            try (QemuRawQmp test = QemuRawQmp.connect(qemu.qmpSocket("test"), DEADLINE)) {
                // The greeting is written once the recorder has negotiated; QEMU drops events sent before.
                Eventually.await("the recorder connected", DEADLINE,
                        () -> out.toFile().length() > 0);
                test.execute("cont");
                test.execute("stop");
                test.execute("quit");
            }
            Cli cli = record.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);

            assertThat(cli.exit()).as(cli.err()).isZero();
            assertThat(cli.err()).contains("3 events recorded in " + out);
        }
        Recording recording = Recording.read(out);
        assertThat(recording.greeting().path("QMP").path("version").path("qemu").path("major").asInt()).isEqualTo(7);
        assertThat(recording.events()).extracting(l -> l.qmp().path("event").asText())
                .containsExactly("RESUME", "STOP", "SHUTDOWN");
        assertThat(recording.lines()).noneMatch(RecordedLine::isCommand);
    }

    @Test
    void aSocketWithoutQemuIsAFailureNamingIt() {
        Cli cli = Cli.run("record", "--qmp", tmp.resolve("nothing.qmp").toString(), "--out",
                tmp.resolve("x.jsonl").toString());

        assertThat(cli.exit()).isEqualTo(Main.FAILURE);
        assertThat(cli.err()).contains("cannot connect to the QMP socket " + tmp.resolve("nothing.qmp"));
    }
}

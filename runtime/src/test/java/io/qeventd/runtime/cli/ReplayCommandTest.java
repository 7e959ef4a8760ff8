package io.qeventd.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayCommandTest {
    @TempDir
    Path tmp;

    private Path recording() throws Exception {
        return Files.write(tmp.resolve("stop-resume.jsonl"),
                getClass().getResourceAsStream("stop-resume.jsonl").readAllBytes());
    }

    @Test
    void replaysARecordingIntoThePluginsAndPrintsEachOutcomeWithTheRecordedReply() throws Exception {
        Path plugins = Files.createDirectory(tmp.resolve("plugins"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        RecordDomainTest.statusPlugin(plugins);

        Cli cli = Cli.run("replay", recording().toString(), "--plugins", plugins.toString(), "--as-fast-as-possible",
                "--domain", "vm1", "--journal", tmp.resolve("journal.jsonl").toString());

        assertThat(cli.exit()).as(cli.err()).isZero();
        assertThat(cli.out()).contains("plugin why 1.0.0 started")
                .containsPattern("vm1  STOP  why/STOPPED  processed  status paused")
                .contains("vm1  RESUME  -  unhandled")
                .contains("replayed 4 events from " + tmp.resolve("stop-resume.jsonl"));
        assertThat(Files.readString(tmp.resolve("journal.jsonl"))).contains("\"plugin\":\"why\"");
    }

    @Test
    void aFileThatIsNotARecordingIsAUsageErrorNamingItsLine() throws Exception {
        Path bad = Files.writeString(tmp.resolve("bad.jsonl"), "hello\n");

        Cli cli = Cli.run("replay", bad.toString(), "--plugins", tmp.toString());

        assertThat(cli.exit()).isEqualTo(Main.USAGE);
        assertThat(cli.err()).contains(bad + ":1: not JSON");
    }
}

package io.qeventd.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every scenario runs briefly and prints its figures. No figure is asserted: this machine is shared. The built-in
 * lifecycle plugin comes from a stand-in installation (target/bench-home, as qeventd.home), as in a distribution.
 */
class BenchSmokeTest {
    @TempDir
    Path dir;

    @Test
    void everyScenarioRunsAndPrintsItsFigures() throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cl = new CommandLine(new BenchCommand());
        cl.setOut(new PrintWriter(out));
        Path json = dir.resolve("figures.jsonl");
        int exit = cl.execute("--quick", "--json", json.toString());
        System.out.println(out);
        assertThat(exit).isZero();
        assertThat(out.toString()).contains("wire (raw reader)", "reader only", "no plugin, journal off",
                "no-op processor, journal on", "journalSync always", "every-event plugin", "steady",
                "isolation, per-domain lanes", "isolation, global-fifo", "idle monitor(s)", "% of wire",
                "lifecycle plugin jar, journal off", "lifecycle plugin jar, journal on",
                "flood over 10 monitors", "flood over 50 monitors",
                "hot reload under", "jar landed to new version", "events held", "queued at the swap",
                "exactly one outcome", "no outcome (lost)", "% of sent",
                "daemon process, flood, defaults", "daemon process, flood, journal on", "% of idle RSS",
                "daemon process, 10 idle monitors", "daemon process, 50 idle monitors", "RSS per monitor");
        List<String> lines = Files.readAllLines(json);
        assertThat(lines).isNotEmpty().allSatisfy(l -> assertThat(l).startsWith("{\"scenario\":"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"scenario\":\"hot reload under")
                .contains("\"metric\":\"jar landed to new version\""));
    }

    @Test
    void onlyTheNamedScenariosRunAndTheirWireBaselineWithThem() throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cl = new CommandLine(new BenchCommand());
        cl.setOut(new PrintWriter(out));
        int exit = cl.execute("--quick", "--scenario", "reader", "--scenario", "steady");
        System.out.println(out);
        assertThat(exit).isZero();
        assertThat(out.toString()).contains("wire (raw reader)", "reader only", "steady")
                .doesNotContain("no plugin, journal off", "isolation", "idle monitor", "hot reload", "daemon process");
    }

    @Test
    void anUnknownScenarioIsRefusedWithTheNames() {
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new BenchCommand());
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute("--scenario", "relaod");
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("no scenario 'relaod'", "reload", "daemon-memory");
    }
}

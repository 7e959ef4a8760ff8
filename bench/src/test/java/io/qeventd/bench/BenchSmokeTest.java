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

/** Every scenario runs briefly and prints its figures. No figure is asserted: this machine is shared. */
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
                "isolation, per-domain lanes", "isolation, global-fifo", "idle monitor(s)", "% of wire");
        List<String> lines = Files.readAllLines(json);
        assertThat(lines).isNotEmpty().allSatisfy(l -> assertThat(l).startsWith("{\"scenario\":"));
    }
}

package io.qeventd.runtime.plugin;

import static io.qeventd.runtime.plugin.HostHarness.DEADLINE;
import static org.assertj.core.api.Assertions.assertThat;

import io.qeventd.runtime.journal.JournalRecord;
import io.qeventd.runtime.journal.Outcome;
import io.qeventd.testkit.vm.Eventually;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.pf4j.RuntimeMode;

/**
 * Events that arrive while the reload stands at each of its steps: the reload is stopped there (the
 * plugin-manager thread waits on a latch) while events come in, then let go.
 */
class PluginReloadRaceTest {
    private static final int RACING = 3;

    @TempDir
    Path tmp;

    private HostHarness h;

    @BeforeEach
    void setUp() throws Exception {
        h = new HostHarness(tmp, RuntimeMode.DEPLOYMENT, Duration.ofSeconds(10));
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    @ParameterizedTest
    @EnumSource(ReloadStep.class)
    void eventsRacingAReloadAtEachStepRunOnceEachOnOneWholeVersion(ReloadStep step) throws Exception {
        Path live = h.install(SeqPlugins.seq("1.0.0"), "seq");
        assertThat(h.host.load(live).error()).isNull();
        assertThat(h.processed(0).actions()).containsExactly("1.0.0:0");
        h.install(SeqPlugins.seq("2.0.0"), "seq");

        CountDownLatch reached = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        h.host.observeReload((id, s) -> {
            if (s == step) {
                reached.countDown();
                await(go);
            }
        });
        CompletableFuture<PluginStatus> reload = CompletableFuture.supplyAsync(() -> h.host.reload(live));
        assertThat(reached.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("the reload reached " + step).isTrue();
        // Status answers at once during a reload: the old version until the swap is complete.
        String shown = step == ReloadStep.RELEASE ? "2.0.0" : "1.0.0";
        assertThat(h.host.status()).singleElement().satisfies(st -> assertThat(st.version()).isEqualTo(shown));

        for (int n = 1; n <= RACING; n++) {
            h.emit("SEQ", n);
        }
        // Held from HOLD on (its observer runs before the hold): the racing events wait, queued.
        boolean held = step.compareTo(ReloadStep.HOLD) > 0;
        if (held) {
            Eventually.await("the racing events are queued", DEADLINE, () -> h.pipeline.queue.queuedFor("seq"),
                    q -> q == RACING);
            assertThat(racingRecords()).as("nothing of the held plugin runs during " + step).isEmpty();
        } else {
            h.pipeline.recorded.await(r -> r.event().equals("SEQ") && HostHarness.numberOf(r) > 0, RACING, DEADLINE);
        }
        go.countDown();
        PluginStatus st = reload.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        assertThat(st.error()).isNull();
        assertThat(st.version()).isEqualTo("2.0.0");
        assertThat(h.processed(RACING + 1).actions()).containsExactly("2.0.0:" + (RACING + 1));

        List<JournalRecord> done = h.records("SEQ");
        assertThat(done).allSatisfy(r -> {
            assertThat(r.outcome()).isEqualTo(Outcome.PROCESSED);
            // The processor's own version string and the entry's version agree, and the processor cast the
            // payload to its own Seq class: one whole version handled it.
            assertThat(HostHarness.versionOf(r)).isEqualTo(r.pluginVersion());
        });
        assertThat(done).extracting(HostHarness::numberOf).containsExactly(0, 1, 2, 3, RACING + 1);
        assertThat(racingRecords()).extracting(JournalRecord::pluginVersion)
                .containsOnly(held ? "2.0.0" : "1.0.0");
    }

    private List<JournalRecord> racingRecords() {
        return h.records("SEQ").stream().filter(r -> {
            int n = HostHarness.numberOf(r);
            return n >= 1 && n <= RACING;
        }).toList();
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never let the reload go on");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.qeventd.runtime.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * Plays each VM's story on a thread of its own, all at once, a pause between steps. A step that fails ends
 * its VM's story (the others go on) and is reported.
 */
final class ScenarioPlayer {
    private final Duration pace;
    private final Consumer<String> lines;

    ScenarioPlayer(Duration pace, Consumer<String> lines) {
        this.pace = pace;
        this.lines = lines;
    }

    /** Plays every plot on its VM (same order); returns what went wrong, empty when nothing did. */
    List<String> play(List<DemoScenario.Plot> plots, List<DemoVm> vms) throws InterruptedException {
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < plots.size(); i++) {
            DemoScenario.Plot plot = plots.get(i);
            DemoVm vm = vms.get(i);
            // Staggered starts keep the first lines of the three stories apart.
            Duration delay = pace.multipliedBy(i).dividedBy(plots.size());
            Thread t = new Thread(() -> playOne(plot, vm, delay, failures), "qeventd-demo-" + plot.vm());
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        return failures;
    }

    private void playOne(DemoScenario.Plot plot, DemoVm vm, Duration delay, List<String> failures) {
        try {
            Thread.sleep(delay.toMillis());
            for (DemoStep step : plot.steps()) {
                lines.accept(DemoLines.action(vm.name(), step.narration().apply(vm)));
                String remark = step.action().apply(vm);
                if (remark != null) {
                    lines.accept(DemoLines.remark(vm.name(), remark));
                }
                // The pace is the demo's tempo, for a reader to follow; nothing waits on it.
                Thread.sleep(pace.toMillis());
            }
        } catch (RuntimeException e) {
            failures.add(e instanceof DemoException ? e.getMessage() : vm.name() + ": " + e);
            lines.accept(DemoLines.remark(vm.name(), "FAILED: " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failures.add(vm.name() + ": interrupted");
        }
    }
}

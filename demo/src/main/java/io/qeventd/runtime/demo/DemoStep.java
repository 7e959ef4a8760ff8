package io.qeventd.runtime.demo;

import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One thing that happens to a VM in the demo.
 *
 * @param narration what happens, in words a newcomer follows (it may depend on the kind of VM)
 * @param action    does it; returns a remark on the outcome for the narration, or null
 */
record DemoStep(Function<DemoVm, String> narration, Function<DemoVm, String> action) {
    DemoStep {
        Objects.requireNonNull(narration, "narration");
        Objects.requireNonNull(action, "action");
    }

    static DemoStep of(String narration, Consumer<DemoVm> action) {
        return new DemoStep(vm -> narration, vm -> {
            action.accept(vm);
            return null;
        });
    }
}

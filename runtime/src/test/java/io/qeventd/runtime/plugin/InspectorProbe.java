package io.qeventd.runtime.plugin;

import java.lang.ref.WeakReference;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Test plugins record their class loader here (weakly), so a test can see it become collectable. */
public final class InspectorProbe {
    public static final List<WeakReference<ClassLoader>> LOADERS = new CopyOnWriteArrayList<>();

    private InspectorProbe() {
    }

    public static void record(ClassLoader loader) {
        LOADERS.add(new WeakReference<>(loader));
    }
}

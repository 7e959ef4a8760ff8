package io.qeventd.runtime.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Hands lines to the console, keeping those that come before the console is there (the plugins' resync
 * runs on connect, for instance) until it is.
 */
final class LineRelay implements Consumer<String> {
    private final List<String> early = new ArrayList<>();
    private DemoConsole console; // guarded by this

    @Override
    public void accept(String line) {
        DemoConsole c;
        synchronized (this) {
            c = console;
            if (c == null) {
                early.add(line);
                return;
            }
        }
        c.line(line);
    }

    /** From now on lines go to {@code c}; those kept so far go first. */
    synchronized void attach(DemoConsole c) {
        early.forEach(c::line);
        early.clear();
        console = c;
    }
}

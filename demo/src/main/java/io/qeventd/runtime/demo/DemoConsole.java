package io.qeventd.runtime.demo;

/**
 * Where the demo shows what happens: lines that scroll by (narration, events and what became of them),
 * plus a status that is kept up to date. Thread safe: scenario threads, workers and the journal write to it.
 */
interface DemoConsole extends AutoCloseable {
    /** A line for the scrolling part. */
    void line(String text);

    /** Starts keeping the status up to date. */
    void start();

    /** Stops updating; the status view is removed so that the summary can follow. */
    @Override
    void close();
}

package io.qeventd.runtime.plugin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Development mode: watches a plugin project's {@code target/classes} and calls back once after each
 * build that changed it. A change counts only when two looks in a row agree, so a compile still writing
 * class files never triggers a reload of half its output.
 */
final class ClassesWatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClassesWatcher.class);
    static final Duration DEFAULT_INTERVAL = Duration.ofMillis(300);

    private final Path classes;
    private final Duration interval;
    private final Runnable onChange;
    private final Thread thread;
    private volatile boolean running = true;

    /** Number of files, total size and newest modification time of the tree. */
    record Signature(long files, long bytes, long newest) {
    }

    ClassesWatcher(Path project, Duration interval, Runnable onChange) {
        this.classes = project.resolve("target").resolve("classes");
        this.interval = interval;
        this.onChange = onChange;
        this.thread = new Thread(this::loop, "plugin-dev-watch-" + project.getFileName());
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void loop() {
        Signature reported = signature();
        Signature previous = reported;
        while (running) {
            try {
                Thread.sleep(interval.toMillis()); // a polling interval, not a synchronisation
            } catch (InterruptedException e) {
                return;
            }
            Signature now = signature();
            if (now.equals(previous) && !now.equals(reported) && now.files() > 0) {
                reported = now;
                log.info("classes of {} changed; reloading", classes);
                try {
                    onChange.run();
                } catch (RuntimeException e) {
                    log.error("reload after a change of {} failed", classes, e);
                }
            }
            previous = now;
        }
    }

    Signature signature() {
        if (!Files.isDirectory(classes)) {
            return new Signature(0, 0, 0);
        }
        long[] acc = new long[3];
        try (Stream<Path> s = Files.walk(classes)) {
            s.forEach(p -> {
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                    if (a.isRegularFile()) {
                        acc[0]++;
                        acc[1] += a.size();
                        acc[2] = Math.max(acc[2], a.lastModifiedTime().toMillis());
                    }
                } catch (IOException e) {
                    acc[2] = Long.MAX_VALUE; // vanished mid-walk: a build is running; the next look decides
                }
            });
        } catch (IOException | UncheckedIOException e) {
            return new Signature(-1, -1, System.nanoTime());
        }
        return new Signature(acc[0], acc[1], acc[2]);
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

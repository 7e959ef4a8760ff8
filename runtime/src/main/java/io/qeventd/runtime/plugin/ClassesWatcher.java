package io.qeventd.runtime.plugin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Development mode: watches a plugin project's build output ({@code target/classes}, {@code target/lib},
 * its descriptor: {@code plugin.properties} or the jar {@code mvn package} writes) and calls back once after
 * each build that changed it, including the project's very first build. A change counts only when two
 * looks in a row agree, so a compile still writing class files never triggers a reload of half its output.
 */
final class ClassesWatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClassesWatcher.class);
    static final Duration DEFAULT_INTERVAL = Duration.ofMillis(300);

    /** What the watcher reports. */
    interface Listener {
        /** The build output settled after a change; {@code at} is when its newest file was written. */
        void changed(Instant at);

        /** The classes are gone (a compile that failed, or {@code mvn clean}) and stayed gone for two looks. */
        void vanished();
    }

    private final Path project;
    private final Duration interval;
    private final Listener listener;
    private final Thread thread;
    private volatile boolean running = true;

    /** Number of class-tree files, number of all files, total size and newest modification time. */
    record Signature(long classes, long files, long bytes, long newest) {
    }

    ClassesWatcher(Path project, Duration interval, Listener listener) {
        this.project = project;
        this.interval = interval;
        this.listener = listener;
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
            if (now.equals(previous) && !now.equals(reported)) {
                boolean wasThere = reported.classes() > 0;
                reported = now;
                try {
                    if (now.classes() > 0) {
                        log.info("build output of {} changed; reloading", project);
                        listener.changed(Instant.ofEpochMilli(now.newest()));
                    } else if (wasThere) {
                        listener.vanished();
                    }
                } catch (RuntimeException e) {
                    log.error("reload after a change of {} failed", project, e);
                }
            }
            previous = now;
        }
    }

    Signature signature() {
        long[] classes = walk(project.resolve("target").resolve("classes"));
        long[] lib = walk(project.resolve("target").resolve("lib"));
        long[] props = file(project.resolve("plugin.properties"));
        Path jar = QeventdPluginManager.newestJar(project.resolve("target"));
        long[] manifest = jar == null ? new long[3] : file(jar);
        return new Signature(classes[0], classes[0] + lib[0] + props[0] + manifest[0],
                classes[1] + lib[1] + props[1] + manifest[1],
                Math.max(Math.max(classes[2], lib[2]), Math.max(props[2], manifest[2])));
    }

    private static long[] file(Path f) {
        try {
            BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
            return new long[] {1, a.size(), a.lastModifiedTime().toMillis()};
        } catch (IOException e) {
            return new long[3];
        }
    }

    /** Files, bytes and newest modification time of a tree. */
    private static long[] walk(Path root) {
        long[] acc = new long[3];
        if (!Files.isDirectory(root)) {
            return acc;
        }
        try (Stream<Path> s = Files.walk(root)) {
            s.forEach(p -> {
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                    if (a.isRegularFile()) {
                        acc[0]++;
                        acc[1] += a.size();
                        acc[2] = Math.max(acc[2], a.lastModifiedTime().toMillis());
                    }
                } catch (IOException e) {
                    acc[1] = -1; // vanished mid-walk: a build is running; the next look decides
                }
            });
        } catch (IOException | UncheckedIOException e) {
            acc[1] = -1;
        }
        return acc;
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

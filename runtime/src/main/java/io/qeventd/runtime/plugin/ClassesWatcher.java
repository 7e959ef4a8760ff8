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
    /** How long target/classes must hold no class file before the watcher says the classes are gone. */
    static final Duration VANISHED_AFTER = Duration.ofSeconds(2);
    private static final Path COMPILER_DONE =
            Path.of("target/maven-status/maven-compiler-plugin/compile/default-compile/createdFiles.lst");

    /** What the watcher reports. */
    interface Listener {
        /** The build output settled after a change; {@code at} is when its newest file was written. */
        void changed(Instant at);

        /**
         * No class file in {@code target/classes} for {@link #VANISHED_AFTER} (a compile that failed,
         * {@code mvn clean}, or a long build), after there were some.
         */
        void vanished();
    }

    private final Path project;
    private final Duration interval;
    private final Listener listener;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long looks;
    private Signature first;

    /**
     * Number of class files, number of all files, total size, newest modification time, and whether the
     * compiler is done with the class files (see {@link #compilerDone}).
     */
    record Signature(long classes, long files, long bytes, long newest, boolean settled) {
    }

    ClassesWatcher(Path project, Duration interval, Listener listener) {
        this.project = project;
        this.interval = interval;
        this.listener = listener;
        this.thread = new Thread(this::loop, "plugin-dev-watch-" + project.getFileName());
        thread.setDaemon(true);
    }

    /** Takes the first look here, so that what the caller loaded is what later looks compare with. */
    void start() {
        first = signature();
        thread.start();
    }

    private void loop() {
        Signature reported = first;
        Signature previous = reported;
        boolean hadClasses = reported.classes() > 0;
        long emptySince = -1;
        boolean toldVanished = false;
        while (running) {
            try {
                Thread.sleep(interval.toMillis()); // a polling interval, not a synchronisation
            } catch (InterruptedException e) {
                return;
            }
            Signature now = signature();
            looks++;
            try {
                if (now.classes() == 0) {
                    // Maven empties target/classes before it compiles, and copies resources before javac runs: no
                    // class file yet is a build under way, or one that failed. Only a lasting absence is told.
                    emptySince = emptySince < 0 ? System.nanoTime() : emptySince;
                    if (hadClasses && !toldVanished && System.nanoTime() - emptySince >= VANISHED_AFTER.toNanos()) {
                        toldVanished = true;
                        listener.vanished();
                    }
                } else {
                    emptySince = -1;
                    if (now.settled() && now.equals(previous) && !now.equals(reported)) {
                        reported = now;
                        hadClasses = true;
                        toldVanished = false;
                        log.info("build output of {} changed; reloading", project);
                        listener.changed(Instant.ofEpochMilli(now.newest()));
                    }
                }
            } catch (RuntimeException e) {
                log.error("reload after a change of {} failed", project, e);
            }
            previous = now;
        }
    }

    /** How many looks it has taken since it started. */
    long lookCount() {
        return looks;
    }

    Signature signature() {
        long[] classes = walk(project.resolve("target").resolve("classes"));
        long[] classFiles = classFiles(project.resolve("target").resolve("classes"));
        long[] lib = walk(project.resolve("target").resolve("lib"));
        long[] props = file(project.resolve("plugin.properties"));
        Path jar = QeventdPluginManager.newestJar(project.resolve("target"));
        long[] manifest = jar == null ? new long[3] : file(jar);
        return new Signature(classFiles[0], classes[0] + lib[0] + props[0] + manifest[0],
                classes[1] + lib[1] + props[1] + manifest[1],
                Math.max(Math.max(classes[2], lib[2]), Math.max(props[2], manifest[2])),
                compilerDone(classFiles[1]));
    }

    /**
     * Maven's compiler writes the list of the class files it created once javac is done with all of them;
     * class files newer than that list are a compile still writing (or one that failed part way). Under
     * load javac can take longer between two class files than two looks of the watcher, so without this a
     * half-written output could count as settled. Output not built by Maven has no such list.
     */
    private boolean compilerDone(long newestClass) {
        long[] list = file(project.resolve(COMPILER_DONE));
        return list[0] == 0 || list[2] >= newestClass;
    }

    /** Number and newest modification time of the class files under a tree. */
    private static long[] classFiles(Path root) {
        long[] acc = new long[2];
        if (!Files.isDirectory(root)) {
            return acc;
        }
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(p -> p.getFileName().toString().endsWith(".class")).forEach(p -> {
                acc[0]++;
                acc[1] = Math.max(acc[1], p.toFile().lastModified());
            });
        } catch (IOException | UncheckedIOException e) {
            return new long[2]; // vanished mid-walk: a build is running; the next look decides
        }
        return acc;
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

package io.qeventd.runtime.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.qeventd.runtime.plugin.PluginDirectoryWatcher.InitialFiles;
import io.qeventd.testkit.vm.PluginJarBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginDirectoryWatcherTest {
    static final Duration DEADLINE = Duration.ofSeconds(10);
    static byte[] v1;
    static byte[] v2;

    @TempDir
    Path tmp;
    Path plugins;
    final Reports reports = new Reports();
    final List<PluginDirectoryWatcher> watchers = new ArrayList<>();

    @BeforeAll
    static void buildJars() {
        String source = """
                package com.example.hello;
                public class Hello { public String version() { return "%s"; } }
                """;
        v1 = PluginJarBuilder.create("hello").version("1.0.0")
                .source("com.example.hello.Hello", source.formatted("1")).jarBytes();
        v2 = PluginJarBuilder.create("hello").version("2.0.0")
                .source("com.example.hello.Hello", source.formatted("2 with a longer string")).jarBytes();
    }

    @BeforeEach
    void createPluginsDirectory() throws IOException {
        plugins = Files.createDirectory(tmp.resolve("plugins"));
    }

    @AfterEach
    void closeWatchers() {
        watchers.forEach(PluginDirectoryWatcher::close);
    }

    @Test
    void copiedJarIsReportedAdded() throws Exception {
        start(PluginDirectoryWatcher.DEFAULT_INTERVAL, InitialFiles.AFTER_STABLE_CHECK);
        Path jar = Files.write(plugins.resolve("hello.jar"), v1);

        Report added = reports.next();
        assertThat(added).isEqualTo(new Report("added", jar, v1.length, true));
    }

    @Test
    void filesPresentAtStartAreReportedOnceStable() throws Exception {
        Files.write(plugins.resolve("b.jar"), v1);
        Files.write(plugins.resolve("a.zip"), v2);

        PluginDirectoryWatcher watcher = start(PluginDirectoryWatcher.DEFAULT_INTERVAL, InitialFiles.AFTER_STABLE_CHECK);

        assertThat(watcher.awaitInitialScan(DEADLINE)).isTrue();
        assertThat(reports.drain()).containsExactly(
                new Report("added", plugins.resolve("a.zip"), v2.length, true),
                new Report("added", plugins.resolve("b.jar"), v1.length, true));
    }

    @Test
    void filesPresentAtStartCanBeReportedWithoutWaiting() throws Exception {
        Files.write(plugins.resolve("a.jar"), v1);

        // An interval far beyond the wait below: only an immediate report can satisfy it.
        PluginDirectoryWatcher watcher = start(Duration.ofMinutes(5), InitialFiles.IMMEDIATELY);

        assertThat(watcher.awaitInitialScan(DEADLINE)).isTrue();
        assertThat(reports.drain()).containsExactly(new Report("added", plugins.resolve("a.jar"), v1.length, true));
    }

    @Test
    void jarCopiedOverInPlaceIsReportedChanged() throws Exception {
        Path jar = Files.write(plugins.resolve("hello.jar"), v1);
        Path source = Files.write(tmp.resolve("hello-2.jar"), v2);
        PluginDirectoryWatcher watcher = start(PluginDirectoryWatcher.DEFAULT_INTERVAL, InitialFiles.IMMEDIATELY);
        assertThat(watcher.awaitInitialScan(DEADLINE)).isTrue();
        reports.drain();
        Object inode = Files.readAttributes(jar, "unix:ino").get("ino");

        run("cp", source.toString(), jar.toString());

        assertThat(Files.readAttributes(jar, "unix:ino").get("ino")).isEqualTo(inode);
        assertThat(reports.next()).isEqualTo(new Report("changed", jar, v2.length, true));
        assertNothingMoreAfterTwoLooks(watcher);
    }

    @Test
    void jarMovedOverAtomicallyIsReportedChanged() throws Exception {
        Path jar = Files.write(plugins.resolve("hello.jar"), v1);
        PluginDirectoryWatcher watcher = start(PluginDirectoryWatcher.DEFAULT_INTERVAL, InitialFiles.IMMEDIATELY);
        assertThat(watcher.awaitInitialScan(DEADLINE)).isTrue();
        reports.drain();

        // The usual deployment: write beside it under an ignored name, then mv into place.
        Path staged = Files.write(plugins.resolve("hello.jar.tmp"), v2);
        run("mv", staged.toString(), jar.toString());

        assertThat(reports.next()).isEqualTo(new Report("changed", jar, v2.length, true));
        assertNothingMoreAfterTwoLooks(watcher);
    }

    @Test
    void sameSizeSameTimeReplacementIsStillAChange() throws Exception {
        Path jar = Files.write(plugins.resolve("hello.jar"), v1);
        FileTime mtime = Files.getLastModifiedTime(jar);
        PluginDirectoryWatcher watcher = start(PluginDirectoryWatcher.DEFAULT_INTERVAL, InitialFiles.IMMEDIATELY);
        assertThat(watcher.awaitInitialScan(DEADLINE)).isTrue();
        reports.drain();

        // Identical bytes and modification time: only the inode tells the new file apart.
        Path staged = Files.write(plugins.resolve("hello.jar.part"), v1);
        Files.setLastModifiedTime(staged, mtime);
        run("mv", staged.toString(), jar.toString());

        assertThat(reports.next()).isEqualTo(new Report("changed", jar, v1.length, true));
    }

    @Test
    void deletedJarIsReportedRemoved() throws Exception {
        Path jar = Files.write(plugins.resolve("hello.jar"), v1);
        PluginDirectoryWatcher watcher = start(PluginDirectoryWatcher.DEFAULT_INTERVAL, InitialFiles.IMMEDIATELY);
        assertThat(watcher.awaitInitialScan(DEADLINE)).isTrue();
        reports.drain();

        Files.delete(jar);

        assertThat(reports.next()).isEqualTo(new Report("removed", jar, -1, false));
    }

    @Test
    void changeThatRaisesNoDirectoryEventIsFoundByTheRescan() throws Exception {
        // A file changed behind a symlink raises no inotify event in the plugins directory: only a rescan sees it.
        Path real = Files.write(Files.createDirectory(tmp.resolve("elsewhere")).resolve("hello.jar"), v1);
        Path link = Files.createSymbolicLink(plugins.resolve("hello.jar"), real);
        PluginDirectoryWatcher watcher = start(PluginDirectoryWatcher.DEFAULT_INTERVAL, InitialFiles.IMMEDIATELY);
        assertThat(watcher.awaitInitialScan(DEADLINE)).isTrue();
        reports.drain();

        Files.write(real, v2);

        assertThat(reports.next()).isEqualTo(new Report("changed", link, v2.length, true));
    }

    @Test
    void halfWrittenJarIsReportedOnlyOnceComplete() throws Exception {
        // A long interval keeps the half-written state from ever counting as stable while the test runs.
        PluginDirectoryWatcher watcher = start(Duration.ofSeconds(3), InitialFiles.AFTER_STABLE_CHECK);
        Path jar = plugins.resolve("hello.jar");
        int half = v1.length / 2;

        Files.write(jar, Arrays.copyOf(v1, half));
        await(() -> watcher.unsettled().contains(jar), "the watcher to see the half-written jar");
        assertThat(reports.drain()).isEmpty();
        Files.write(jar, Arrays.copyOfRange(v1, half, v1.length), StandardOpenOption.APPEND);

        assertThat(reports.next()).isEqualTo(new Report("added", jar, v1.length, true));
        assertThat(reports.drain()).isEmpty();
    }

    @Test
    void ignoredNamesAndDirectoriesAreNeverReported() throws Exception {
        PluginDirectoryWatcher watcher = start(PluginDirectoryWatcher.DEFAULT_INTERVAL, InitialFiles.AFTER_STABLE_CHECK);
        for (String name : List.of(".hidden.jar", "x.jar.tmp", "x.jar.part", "x.jar~", "notes.txt", "x.JAR.TMP")) {
            Files.write(plugins.resolve(name), v1);
        }
        Files.createDirectory(plugins.resolve("exploded.jar"));
        Path sentinel = Files.write(plugins.resolve("sentinel.jar"), v1);

        assertThat(reports.next().file()).isEqualTo(sentinel);
        assertNothingMoreAfterTwoLooks(watcher);
    }

    @Test
    void upperCaseExtensionsCount() {
        assertThat(PluginDirectoryWatcher.isPluginFileName("Hello.JAR")).isTrue();
        assertThat(PluginDirectoryWatcher.isPluginFileName("hello.Zip")).isTrue();
        assertThat(PluginDirectoryWatcher.isPluginFileName("hello.jar.bak")).isFalse();
    }

    @Test
    void directoryRemovedAndRecreatedIsWatchedAgain() throws Exception {
        Path jar = Files.write(plugins.resolve("hello.jar"), v1);
        PluginDirectoryWatcher watcher = start(PluginDirectoryWatcher.DEFAULT_INTERVAL, InitialFiles.IMMEDIATELY);
        assertThat(watcher.awaitInitialScan(DEADLINE)).isTrue();
        reports.drain();

        Files.delete(jar);
        Files.delete(plugins);
        assertThat(reports.next()).isEqualTo(new Report("removed", jar, -1, false));

        Files.createDirectory(plugins);
        Files.write(jar, v2);
        assertThat(reports.next()).isEqualTo(new Report("added", jar, v2.length, true));
    }

    @Test
    void failingListenerDoesNotStopTheWatcher() throws Exception {
        List<Path> seen = new CopyOnWriteArrayList<>();
        BlockingQueue<Path> second = new LinkedBlockingQueue<>();
        PluginDirectoryWatcher watcher = new PluginDirectoryWatcher(plugins, new Reports() {
            @Override
            public void added(Path file) {
                seen.add(file);
                if (seen.size() == 1) {
                    throw new IllegalStateException("listener failure under test");
                }
                second.add(file);
            }
        });
        watchers.add(watcher);
        watcher.start();

        Files.write(plugins.resolve("a.jar"), v1);
        await(() -> seen.size() == 1, "the first report");
        Path b = Files.write(plugins.resolve("b.jar"), v1);

        assertThat(second.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(b);
        assertThat(watcher.isRunning()).isTrue();
    }

    @Test
    void closeEndsTheWatcherThread() throws Exception {
        PluginDirectoryWatcher watcher = start(PluginDirectoryWatcher.DEFAULT_INTERVAL, InitialFiles.IMMEDIATELY);
        assertThat(watcher.awaitInitialScan(DEADLINE)).isTrue();
        assertThat(watcher.isRunning()).isTrue();

        watcher.close();

        assertThat(watcher.isRunning()).isFalse();
        assertThatThrownBy(watcher::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void startRefusesAMissingDirectory() {
        PluginDirectoryWatcher watcher = new PluginDirectoryWatcher(tmp.resolve("absent"), reports);
        watchers.add(watcher);

        assertThatThrownBy(watcher::start).isInstanceOf(NotDirectoryException.class).hasMessageContaining("absent");
    }

    private PluginDirectoryWatcher start(Duration interval, InitialFiles initial) throws IOException {
        PluginDirectoryWatcher watcher = new PluginDirectoryWatcher(plugins, interval, initial, reports);
        watchers.add(watcher);
        watcher.start();
        return watcher;
    }

    /** Two more completed looks after now, and nothing further was reported. */
    private void assertNothingMoreAfterTwoLooks(PluginDirectoryWatcher watcher) throws InterruptedException {
        long target = watcher.lookCount() + 2;
        await(() -> watcher.lookCount() >= target, "two more looks");
        assertThat(reports.drain()).isEmpty();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                fail("timed out waiting for " + what);
            }
            TimeUnit.MILLISECONDS.sleep(5); // poll interval, not synchronisation: the condition decides
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).inheritIO().start();
        assertThat(p.waitFor()).as(String.join(" ", command)).isZero();
    }

    /** What a listener call saw: the file's size and whether it opened as a zip at that moment. */
    record Report(String kind, Path file, long size, boolean readable) {
        static Report of(String kind, Path file) {
            long size = -1;
            boolean readable = false;
            try {
                size = Files.size(file);
                try (ZipFile zip = new ZipFile(file.toFile())) {
                    readable = zip.size() > 0;
                }
            } catch (IOException e) {
                // missing or unreadable: recorded as such
            }
            return new Report(kind, file, size, readable);
        }
    }

    static class Reports implements PluginDirectoryListener {
        final BlockingQueue<Report> queue = new LinkedBlockingQueue<>();

        @Override
        public void added(Path file) {
            queue.add(Report.of("added", file));
        }

        @Override
        public void changed(Path file) {
            queue.add(Report.of("changed", file));
        }

        @Override
        public void removed(Path file) {
            queue.add(Report.of("removed", file));
        }

        Report next() throws InterruptedException {
            Report r = queue.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            if (r == null) {
                fail("no report within " + DEADLINE);
            }
            return r;
        }

        List<Report> drain() {
            List<Report> out = new ArrayList<>();
            queue.drainTo(out);
            return out;
        }
    }
}

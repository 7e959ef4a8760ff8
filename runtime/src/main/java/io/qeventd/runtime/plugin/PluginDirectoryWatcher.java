package io.qeventd.runtime.plugin;

import io.qeventd.runtime.plugin.PluginDirectoryTracker.Change;
import io.qeventd.runtime.plugin.PluginDirectoryTracker.FileState;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the plugins directory for {@code *.jar} and {@code *.zip} files and reports them to a
 * {@link PluginDirectoryListener} once they have stopped changing.
 *
 * <p>The JDK {@link WatchService} makes the watcher look at once when something happens; a rescan every
 * {@code interval} catches what inotify misses on some filesystems (network and overlay mounts). A file
 * counts only when two looks at least {@code interval} apart agree on its size, modification time, inode
 * and change time, so a jar still being copied is never reported. Hidden files and names ending in
 * {@code .tmp}, {@code .part} or {@code ~} are ignored: write there, then {@code mv} into place.
 *
 * <p>At start the files already present are reported as added, after the same stability check
 * ({@link InitialFiles#AFTER_STABLE_CHECK}, the default: a copy may be running while the daemon starts)
 * or at the first look ({@link InitialFiles#IMMEDIATELY}). {@link #awaitInitialScan} lets the caller wait
 * for them before going on.
 *
 * <p>All reports come from one thread owned by the watcher; {@link #close()} stops and joins it.
 */
public final class PluginDirectoryWatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PluginDirectoryWatcher.class);

    /** Between looks; a finished copy is reported within about two of these. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(200);

    /** How the files present at start are reported. */
    public enum InitialFiles {
        /** Like any new file: once two looks agree on it. */
        AFTER_STABLE_CHECK,
        /** At the first look, as they are. */
        IMMEDIATELY
    }

    private final Path directory;
    private final Duration interval;
    private final InitialFiles initialFiles;
    private final PluginDirectoryListener listener;
    private final PluginDirectoryTracker tracker;
    private final CountDownLatch initialScanDone = new CountDownLatch(1);
    private final AtomicLong looks = new AtomicLong();

    private volatile boolean closed;
    private volatile boolean initialScanReported;
    private volatile Set<Path> unsettled = Set.of();
    private Thread thread;
    private WatchService watchService; // null when the platform would not give one: rescans only
    private final Object rescanOnly = new Object();

    // Owned by the watcher thread.
    private WatchKey watchKey;
    private Set<Path> initialPending;
    private boolean directoryMissing;
    private boolean watchFailureLogged;

    /** A watcher with the default interval that reports the files present at start once they are stable. */
    public PluginDirectoryWatcher(Path directory, PluginDirectoryListener listener) {
        this(directory, DEFAULT_INTERVAL, InitialFiles.AFTER_STABLE_CHECK, listener);
    }

    public PluginDirectoryWatcher(Path directory, Duration interval, InitialFiles initialFiles,
                                  PluginDirectoryListener listener) {
        this.directory = directory.toAbsolutePath().normalize();
        this.interval = Objects.requireNonNull(interval, "interval");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive: " + interval);
        }
        this.initialFiles = Objects.requireNonNull(initialFiles, "initialFiles");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.tracker = new PluginDirectoryTracker(interval.toNanos());
    }

    /** Whether a file of this name is a plugin the watcher reports. */
    public static boolean isPluginFileName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (name.startsWith(".") || lower.endsWith("~") || lower.endsWith(".tmp") || lower.endsWith(".part")) {
            return false;
        }
        return lower.endsWith(".jar") || lower.endsWith(".zip");
    }

    /**
     * Starts watching. The directory must exist now; if it disappears later its files are reported
     * removed, and watching resumes when it comes back.
     *
     * @throws NotDirectoryException if {@code directory} is not a directory
     */
    public synchronized void start() throws IOException {
        if (closed) {
            throw new IllegalStateException("plugin directory watcher for " + directory + " is closed");
        }
        if (thread != null) {
            throw new IllegalStateException("plugin directory watcher for " + directory + " is already started");
        }
        if (!Files.isDirectory(directory)) {
            throw new NotDirectoryException(directory + " (plugins directory: missing or not a directory)");
        }
        try {
            watchService = directory.getFileSystem().newWatchService();
        } catch (IOException e) {
            // e.g. the per-user inotify instance limit: the rescans still find every change, only later
            log.warn("No watch service for {} ({}); relying on rescans every {} ms", directory, e.toString(),
                    interval.toMillis());
        }
        thread = new Thread(this::run, "qeventd-plugin-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Waits until the files present at start have all been reported (or have gone).
     *
     * @return false if that did not happen within {@code timeout}, e.g. a file kept changing
     */
    public boolean awaitInitialScan(Duration timeout) throws InterruptedException {
        return initialScanDone.await(timeout.toNanos(), TimeUnit.NANOSECONDS) && initialScanReported;
    }

    public Path directory() {
        return directory;
    }

    public Duration interval() {
        return interval;
    }

    /** How many looks at the directory have completed (listener calls included); a sign of life. */
    public long lookCount() {
        return looks.get();
    }

    /** Plugin files seen but not reported yet because they are new or still changing. */
    public Set<Path> unsettled() {
        return unsettled;
    }

    public synchronized boolean isRunning() {
        return thread != null && thread.isAlive();
    }

    /** Stops watching and waits for the watcher thread to end (unless called from a listener). */
    @Override
    public void close() {
        Thread running;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            running = thread;
            if (watchService != null) {
                try {
                    watchService.close(); // wakes the thread out of poll()
                } catch (IOException e) {
                    log.warn("Closing the watch service of {} failed", directory, e);
                }
            }
            synchronized (rescanOnly) {
                rescanOnly.notifyAll();
            }
        }
        if (running != null && running != Thread.currentThread()) {
            boolean interrupted = false;
            while (running.isAlive()) {
                try {
                    running.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        log.info("Watching {} for plugin jars and zips (looks every {} ms)", directory, interval.toMillis());
        try {
            watch();
            Map<Path, FileState> observed = scan();
            initialPending = new HashSet<>(observed == null ? Set.of() : observed.keySet());
            if (initialFiles == InitialFiles.IMMEDIATELY && observed != null) {
                deliver(tracker.acceptAll(observed));
                afterLook(observed);
            } else {
                lookAndDeliver(observed);
            }
            loop();
        } catch (ClosedWatchServiceException e) {
            // close() was called
        } catch (RuntimeException e) {
            if (!closed) {
                log.error("Plugin directory watcher for {} stopped on an unexpected error", directory, e);
            }
        } finally {
            initialScanDone.countDown();
            log.debug("Stopped watching {}", directory);
        }
    }

    private void loop() {
        long intervalNanos = interval.toNanos();
        // After an event, look again soon but not for every write of a running copy.
        long eventGapNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(1), intervalNanos / 8);
        long lastLook = System.nanoTime();
        boolean eventSeen = false;
        while (!closed) {
            long now = System.nanoTime();
            long due = Math.min(lastLook + intervalNanos, tracker.nextConfirmation());
            if (eventSeen) {
                due = Math.min(due, lastLook + eventGapNanos);
            }
            if (due - now > 0) {
                try {
                    if (awaitEvent(due - now)) {
                        eventSeen = true;
                        continue;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (closed) {
                return;
            }
            lastLook = System.nanoTime();
            eventSeen = false;
            lookAndDeliver(scan());
        }
    }

    /** Waits up to {@code nanos} for the directory to change; true if it signalled a change. */
    private boolean awaitEvent(long nanos) throws InterruptedException {
        if (watchService == null) {
            synchronized (rescanOnly) {
                if (!closed) {
                    TimeUnit.NANOSECONDS.timedWait(rescanOnly, nanos);
                }
            }
            return false;
        }
        WatchKey key = watchService.poll(nanos, TimeUnit.NANOSECONDS);
        if (key == null) {
            return false;
        }
        drain(key);
        return true;
    }

    private void drain(WatchKey key) {
        // The events themselves do not matter (and may have overflowed): a look compares the whole directory.
        for (WatchKey k = key; k != null; k = watchService.poll()) {
            k.pollEvents();
            k.reset();
        }
    }

    private void lookAndDeliver(Map<Path, FileState> observed) {
        if (observed == null) {
            looks.incrementAndGet(); // the directory could not be read this time; keep what we know
            return;
        }
        watch();
        deliver(tracker.look(observed, System.nanoTime()));
        afterLook(observed);
    }

    private void afterLook(Map<Path, FileState> observed) {
        unsettled = tracker.unsettled();
        if (initialPending != null) {
            initialPending.removeIf(file -> tracker.isReported(file) || !observed.containsKey(file));
            if (initialPending.isEmpty()) {
                initialPending = null;
                initialScanReported = true;
                initialScanDone.countDown();
            }
        }
        looks.incrementAndGet();
    }

    private void deliver(List<Change> changes) {
        for (Change change : changes) {
            if (closed) {
                return;
            }
            log.debug("Plugin file {}: {}", change.kind(), change.file());
            try {
                switch (change.kind()) {
                    case ADDED -> listener.added(change.file());
                    case CHANGED -> listener.changed(change.file());
                    case REMOVED -> listener.removed(change.file());
                }
            } catch (RuntimeException e) {
                log.error("Plugin directory listener failed on {} of {}", change.kind(), change.file(), e);
            }
        }
    }

    /** (Re)registers the directory with the watch service when it is not watched, e.g. after it was recreated. */
    private void watch() {
        if (watchService == null || (watchKey != null && watchKey.isValid())) {
            return;
        }
        try {
            watchKey = directory.register(watchService, StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_DELETE, StandardWatchEventKinds.ENTRY_MODIFY);
        } catch (NoSuchFileException | NotDirectoryException e) {
            watchKey = null; // reported by scan(); rescans go on
        } catch (IOException e) {
            watchKey = null; // e.g. the per-user inotify watch limit
            if (!watchFailureLogged) {
                log.warn("Cannot watch {} for changes ({}); relying on rescans every {} ms", directory, e.toString(),
                        interval.toMillis());
                watchFailureLogged = true;
            }
        }
    }

    /** The plugin files in the directory now, or null when it could not be read (nothing is concluded). */
    private Map<Path, FileState> scan() {
        Map<Path, FileState> observed = new TreeMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                if (isPluginFileName(entry.getFileName().toString())) {
                    FileState state = stat(entry);
                    if (state != null) {
                        observed.put(entry, state);
                    }
                }
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            if (!directoryMissing) {
                log.warn("Plugins directory {} is gone; its plugins count as removed until it comes back", directory);
                directoryMissing = true;
            }
            return observed;
        } catch (IOException | DirectoryIteratorException e) {
            log.warn("Cannot list plugins directory {}: {}", directory, e.toString());
            return null;
        }
        if (directoryMissing) {
            log.info("Plugins directory {} is back", directory);
            directoryMissing = false;
        }
        return observed;
    }

    private static FileState stat(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            if (!a.isRegularFile()) {
                return null;
            }
            return new FileState(a.size(), a.lastModifiedTime(), a.fileKey(), changeTime(file));
        } catch (IOException e) {
            return null; // vanished between listing and stat: the next look decides
        }
    }

    /** The inode change time where the platform has it: it moves even when a copy keeps size and mtime. */
    private static FileTime changeTime(Path file) throws IOException {
        try {
            return (FileTime) Files.getAttribute(file, "unix:ctime");
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return null;
        }
    }
}

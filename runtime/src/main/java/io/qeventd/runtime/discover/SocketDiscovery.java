package io.qeventd.runtime.discover;

import io.qeventd.runtime.config.DiscoverConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches {@code discover.dir} for QMP sockets: a socket whose name matches {@code discover.glob}
 * appears as the domain named after the file without its extension, and vanishes when the file goes.
 * A socket replaced between two listings (QEMU restarted quickly) needs no news: its domain's monitor
 * reconnects to the new one by itself.
 *
 * <p>A thread of its own lists the directory whenever the watch service reports a change, and also every
 * {@code rescan} interval, so that changes the watch service dropped (overflow) or cannot see (the
 * directory created after the daemon started) are still found. Only the listing decides; watch events
 * merely wake the thread. Listener calls come one at a time: from the caller of {@link #start()} for what
 * is there at start, then from that thread.
 */
public final class SocketDiscovery implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SocketDiscovery.class);
    private static final int TYPE_BITS = 0170000;
    private static final int SOCKET = 0140000;

    /** Told of sockets as they come and go. */
    public interface Listener {
        void appeared(String domain, Path socket);

        void vanished(String domain, Path socket);
    }

    private final DiscoverConfig config;
    private final Listener listener;
    private final Duration rescan;
    private final Map<String, Path> known = new HashMap<>(); // touched only on the discovery thread
    private final Thread thread;
    private volatile boolean closed;
    private volatile WatchService watcher;
    private boolean missingReported;
    private final SocketSafety safety;
    /** Refusals already logged, so each is said once until it changes. Touched only on the discovery thread. */
    private final Set<String> refusalsReported = new HashSet<>();

    public SocketDiscovery(DiscoverConfig config, Listener listener, Duration rescan) {
        this(config, listener, rescan, defaultSafety());
    }

    public SocketDiscovery(DiscoverConfig config, Listener listener, Duration rescan, SocketSafety safety) {
        this.config = Objects.requireNonNull(config, "config");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.rescan = rescan;
        this.safety = Objects.requireNonNull(safety, "safety");
        this.thread = new Thread(this::run, "qeventd-discover");
        thread.setDaemon(true);
    }

    /** Lists the directory once (sockets already there appear before this returns), then keeps watching. */
    public void start() {
        // Watch first, then list: a socket created in between is then reported by the watch service.
        watch();
        scan();
        thread.start();
        log.info("discovering QMP sockets {} in {}", config.glob(), config.dir());
    }

    private void run() {
        while (!closed) {
            try {
                WatchService w = watcher != null ? watcher : watch();
                if (w == null) {
                    Thread.sleep(rescan.toMillis());
                } else {
                    WatchKey key = w.poll(rescan.toMillis(), TimeUnit.MILLISECONDS);
                    if (key != null) {
                        key.pollEvents();
                        if (!key.reset()) {
                            // The directory itself went away; watch it again once it is back.
                            closeWatcher();
                        }
                    }
                }
                scan();
            } catch (InterruptedException | ClosedWatchServiceException e) {
                if (closed) {
                    return;
                }
            } catch (RuntimeException e) {
                log.warn("socket discovery in {}: {}", config.dir(), e.toString(), e);
            }
        }
    }

    private WatchService watch() {
        if (!Files.isDirectory(config.dir())) {
            return null;
        }
        WatchService w = null;
        try {
            w = FileSystems.getDefault().newWatchService();
            config.dir().register(w, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE,
                    StandardWatchEventKinds.OVERFLOW);
            watcher = w;
            return w;
        } catch (IOException e) {
            closeQuietly(w);
            log.debug("cannot watch {} ({}); listing it every {} ms instead", config.dir(), e.getMessage(),
                    rescan.toMillis());
            return null;
        }
    }

    /** Lists the directory and tells the listener what changed since the last listing. */
    void scan() {
        Map<String, Path> now = list();
        for (var e : Map.copyOf(known).entrySet()) {
            if (!now.containsKey(e.getKey())) {
                known.remove(e.getKey());
                log.info("discover: {} is gone", e.getValue());
                listener.vanished(e.getKey(), e.getValue());
            }
        }
        for (var e : now.entrySet()) {
            if (!known.containsKey(e.getKey())) {
                known.put(e.getKey(), e.getValue());
                log.info("discover: found {}", e.getValue());
                listener.appeared(e.getKey(), e.getValue());
            }
        }
    }

    private static SocketSafety defaultSafety() {
        try {
            return SocketSafety.forDaemonUser();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot look up the daemon's user: " + e.getMessage(), e);
        }
    }

    private Map<String, Path> list() {
        Map<String, Path> found = new HashMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(config.dir())) {
            missingReported = false;
            List<String> unsafe = safety.directoryProblems(config.dir());
            if (!unsafe.isEmpty()) {
                refuse("discover: directory " + config.dir() + " refused, nothing in it is attached: "
                        + String.join("; ", unsafe));
                return found;
            }
            for (Path p : entries) {
                Optional<String> name = config.domainNameFor(p).filter(n -> isSocket(p));
                if (name.isEmpty()) {
                    continue;
                }
                Optional<String> problem;
                try {
                    problem = safety.socketProblem(p);
                } catch (IOException e) {
                    continue; // gone since the listing
                }
                if (problem.isPresent()) {
                    refuse("discover: socket refused: " + problem.get());
                } else {
                    found.put(name.get(), p);
                }
            }
            refusalsReported.retainAll(currentRefusals);
            currentRefusals.clear();
        } catch (NoSuchFileException e) {
            if (!missingReported) {
                log.warn("discover: directory {} does not exist (yet); looking again every {} ms", config.dir(),
                        rescan.toMillis());
                missingReported = true;
            }
        } catch (IOException e) {
            // A directory that cannot be listed now keeps what we knew: detaching every VM on a read error
            // would be worse than noticing a change a little later.
            log.warn("discover: cannot list {}: {}", config.dir(), e.getMessage());
            return new HashMap<>(known);
        }
        return found;
    }

    private final Set<String> currentRefusals = new HashSet<>();

    private void refuse(String what) {
        currentRefusals.add(what);
        if (refusalsReported.add(what)) {
            log.error("{}", what);
        }
    }

    private static boolean isSocket(Path p) {
        try {
            Object mode = Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return mode instanceof Integer m && (m & TYPE_BITS) == SOCKET;
        } catch (IOException e) {
            return false;
        }
    }

    private void closeWatcher() {
        WatchService w = watcher;
        watcher = null;
        closeQuietly(w);
    }

    private static void closeQuietly(WatchService w) {
        if (w != null) {
            try {
                w.close();
            } catch (IOException e) {
                // Closing; nothing to do.
            }
        }
    }

    /** Stops watching; domains found stay attached (the daemon detaches them as it stops). */
    @Override
    public void close() {
        closed = true;
        closeWatcher();
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.qeventd.runtime.plugin;

import io.qeventd.api.ApiVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.pf4j.DefaultExtensionFactory;
import org.pf4j.ExtensionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a plugin jar or zip without touching any running plugin: loads a private copy into a throwaway
 * PF4J manager, checks the descriptor, {@code Plugin-Requires} against the api version and the
 * dependencies against the plugins available, creates each {@code EventHandlers} extension, calls
 * {@code handlers()}, starts and stops the plugin, then unloads it and deletes the copy.
 *
 * <p>Every failure becomes a human-readable reason naming the file, including those PF4J only logs or
 * keeps in a plugin's state. This is what {@code qeventd plugins check} prints, and the validation step
 * before a hot reload. The plugin's code runs on a thread of its own under a deadline, so a plugin that
 * hangs in a constructor or {@code start()} is reported rather than hanging the caller.
 *
 * <p>Thread safe: each call uses its own manager and temporary directory.
 */
public final class PluginInspector {
    private static final Logger log = LoggerFactory.getLogger(PluginInspector.class);

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /**
     * A plugin the candidate may depend on. Without a file it stands in by id and version only (enough
     * for dependency resolution); with its jar or zip the candidate can also link against its classes.
     */
    public record AvailablePlugin(String id, String version, Path file) {
        public AvailablePlugin {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(version, "version");
        }

        public static AvailablePlugin of(String id, String version) {
            return new AvailablePlugin(id, version, null);
        }
    }

    private final String apiVersion;
    private final ExtensionFactory extensionFactory;
    private final Duration timeout;
    private final Path workDirectory;
    private final boolean checkReferences;

    private PluginInspector(Builder b) {
        this.apiVersion = b.apiVersion;
        this.extensionFactory = b.extensionFactory;
        this.timeout = b.timeout;
        this.workDirectory = b.workDirectory;
        this.checkReferences = b.checkReferences;
    }

    /**
     * This inspector, also checking that every class the plugin's bytecode uses resolves in the plugin, the JDK or
     * the packages the daemon shares with plugins ({@code plugins check} does; loading does not, since a class
     * used only on a path never taken does no harm).
     */
    public PluginInspector withReferenceCheck() {
        Builder b = builder().apiVersion(apiVersion).extensionFactory(extensionFactory).timeout(timeout)
                .workDirectory(workDirectory);
        b.checkReferences = true;
        return b.build();
    }

    /** Api version from {@link ApiVersion}, PF4J's default extension factory, a 30 s deadline. */
    public static PluginInspector withDefaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public String apiVersion() {
        return apiVersion;
    }

    /** Checks {@code file} on its own: any dependency it declares counts as missing. */
    public PluginInspection inspect(Path file) {
        return inspect(file, List.of());
    }

    /** Checks {@code file} against the plugins already {@code available} (an entry with its own id is ignored). */
    public PluginInspection inspect(Path file, Collection<AvailablePlugin> available) {
        Objects.requireNonNull(file, "file");
        PluginInspectorRun run = new PluginInspectorRun(file, List.copyOf(available), apiVersion, extensionFactory,
                checkReferences);
        if (PluginInspectorArchive.Format.of(file) == null) {
            run.problem("is not a plugin: its name ends neither in .jar nor in .zip");
            return run.result();
        }
        if (!Files.isRegularFile(file)) {
            run.problem(Files.exists(file) ? "is not a regular file" : "does not exist");
            return run.result();
        }
        Path work;
        try {
            work = Files.createTempDirectory(workDirectory, "qeventd-inspect-");
        } catch (IOException e) {
            run.problem("cannot be checked: no temporary directory in " + workDirectory + " (" + e + ")");
            return run.result();
        }
        return runWithDeadline(run, work);
    }

    private PluginInspection runWithDeadline(PluginInspectorRun run, Path work) {
        FutureTask<PluginInspection> task = new FutureTask<>(() -> run.call(work));
        Thread worker = new Thread(task, "qeventd-plugin-inspector");
        worker.setDaemon(true); // a plugin that never returns must not keep the JVM alive
        worker.start();
        try {
            return task.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            String where = PluginInspectorFailures.pluginFrame(worker.getStackTrace());
            log.warn("Checking {} did not finish within {}{}; its copy in {} goes when the plugin code returns",
                    run.file(), shown(timeout), where, work);
            PluginInspection result = run.abandon("did not finish loading, starting or listing its handlers within "
                    + shown(timeout) + (where.isEmpty() ? "" : " (busy" + where + ")"));
            worker.interrupt(); // a plugin blocked interruptibly gets out, and the copy is then deleted
            return result;
        } catch (InterruptedException e) {
            PluginInspection result = run.abandon("was not fully checked: the check was interrupted");
            worker.interrupt();
            Thread.currentThread().interrupt();
            return result;
        } catch (ExecutionException e) {
            run.problem("could not be checked: " + PluginInspectorFailures.describe(e.getCause()));
            return run.result();
        }
    }

    private static String shown(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    public static final class Builder {
        private String apiVersion = ApiVersion.get();
        private ExtensionFactory extensionFactory = new DefaultExtensionFactory();
        private Duration timeout = DEFAULT_TIMEOUT;
        private Path workDirectory = Path.of(System.getProperty("java.io.tmpdir"));
        private boolean checkReferences;

        private Builder() {
        }

        /** The version {@code Plugin-Requires} is checked against (PF4J's system version). */
        public Builder apiVersion(String apiVersion) {
            this.apiVersion = Objects.requireNonNull(apiVersion, "apiVersion");
            return this;
        }

        /** Creates the extensions, as the daemon's manager would (e.g. through Guice). */
        public Builder extensionFactory(ExtensionFactory extensionFactory) {
            this.extensionFactory = Objects.requireNonNull(extensionFactory, "extensionFactory");
            return this;
        }

        /** How long the plugin's own code may take in all, before it is reported as hanging. */
        public Builder timeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive: " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** Where the private copies go (each in its own temporary directory, deleted afterwards). */
        public Builder workDirectory(Path workDirectory) {
            this.workDirectory = Objects.requireNonNull(workDirectory, "workDirectory");
            return this;
        }

        public PluginInspector build() {
            return new PluginInspector(this);
        }
    }
}

package io.qeventd.runtime.cli;

import io.qeventd.runtime.config.ConfigException;
import io.qeventd.runtime.config.ConfigLoader;
import io.qeventd.runtime.config.QeventdConfig;
import io.qeventd.runtime.host.DryRunHostNetwork;
import io.qeventd.runtime.host.IpRoute2HostNetwork;
import io.qeventd.runtime.plugin.PluginDescriptors;
import io.qeventd.runtime.plugin.PluginDirectoryWatcher;
import io.qeventd.runtime.plugin.PluginHost;
import io.qeventd.runtime.plugin.PluginInspection;
import io.qeventd.runtime.plugin.PluginInspector;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code qeventd plugins}: look at plugin jars without a running daemon. */
@Command(name = "plugins", mixinStandardHelpOptions = true,
        description = "List or check plugin jars without a running daemon.",
        subcommands = {PluginsCommand.ListCommand.class, PluginsCommand.CheckCommand.class})
final class PluginsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return Main.USAGE;
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {"Check every plugin jar and zip in a directory and print one line each: id, version,",
                "state (valid or invalid), file, the events its handlers take. Two files with one plugin id are",
                "both invalid. Exit 1 when any plugin is invalid."})
    static final class ListCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--dir", paramLabel = "DIR", description = "Plugins directory (default: plugins.dir of the configuration).")
        Path dir;

        @Option(names = "--config", paramLabel = "FILE", description = "Configuration whose plugins.dir to list.")
        Path config;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Logging.setLevel(io.qeventd.runtime.config.LogConfig.Level.ERROR);
            QeventdConfig cfg;
            try {
                cfg = config != null ? ConfigLoader.load(config) : QeventdConfig.defaults();
            } catch (ConfigException e) {
                err.println("qeventd plugins list: invalid configuration:");
                err.println(e.getMessage());
                return Main.USAGE;
            }
            Path d = dir != null ? dir : cfg.plugins().dir();
            if (!Files.isDirectory(d)) {
                err.println("qeventd plugins list: " + d + " is not a directory");
                return Main.USAGE;
            }
            List<Path> files;
            try (Stream<Path> s = Files.list(d)) {
                files = s.filter(p -> PluginDirectoryWatcher.isPluginFileName(p.getFileName().toString()))
                        .sorted().toList();
            }
            List<PluginInspection> results = new ArrayList<>();
            for (Path f : files) {
                results.add(inspector(cfg, f).inspect(f, available(results)));
            }
            Map<Path, String> duplicates = duplicateIds(results);
            out.printf("%-24s %-16s %-8s %-32s %s%n", "ID", "VERSION", "STATE", "FILE", "EVENTS");
            boolean allValid = true;
            for (PluginInspection r : results) {
                String duplicate = duplicates.get(r.file());
                boolean valid = r.valid() && duplicate == null;
                List<String> events = r.handlers().stream().map(PluginInspection.HandlerInfo::event).distinct().sorted()
                        .toList();
                List<String> problems = new ArrayList<>(r.problems());
                if (duplicate != null) {
                    problems.add(0, duplicate);
                }
                out.printf("%-24s %-16s %-8s %-32s %s%n", r.id() == null ? "-" : r.id(),
                        r.version() == null ? "-" : r.version(), valid ? "valid" : "invalid", r.file().getFileName(),
                        valid ? String.join(",", events) : String.join("; ", problems));
                for (String w : r.warnings()) {
                    out.println("  warning: " + w);
                }
                allValid &= valid;
            }
            if (results.isEmpty()) {
                out.println("(no plugin jars or zips in " + d + ")");
            }
            out.flush();
            return allValid ? Main.OK : Main.FAILURE;
        }

        /**
         * Files whose plugin id another file in the directory also has, each with an error naming both files: the
         * daemon would load only one of them, depending on which it meets first.
         */
        static Map<Path, String> duplicateIds(List<PluginInspection> results) {
            Map<String, List<Path>> byId = new LinkedHashMap<>();
            for (PluginInspection r : results) {
                if (r.id() != null) {
                    byId.computeIfAbsent(r.id(), k -> new ArrayList<>()).add(r.file());
                }
            }
            Map<Path, String> out = new HashMap<>();
            for (Map.Entry<String, List<Path>> e : byId.entrySet()) {
                List<Path> files = e.getValue();
                for (Path f : files) {
                    if (files.size() > 1) {
                        List<Path> others = files.stream().filter(o -> !o.equals(f)).toList();
                        out.put(f, f + ": plugin id " + e.getKey() + " is also the id of "
                                + others.stream().map(Path::toString).reduce((a, b) -> a + ", " + b).orElse("")
                                + "; each plugin in a directory needs an id of its own: remove one of them");
                    }
                }
            }
            return out;
        }

        /** The plugins checked so far, so a plugin depending on another in the directory is checked with it. */
        private static List<PluginInspector.AvailablePlugin> available(List<PluginInspection> done) {
            return done.stream().filter(PluginInspection::valid)
                    .map(r -> new PluginInspector.AvailablePlugin(r.id(), r.version(), r.file())).toList();
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Validate a plugin jar or zip as the daemon would before loading it: descriptor,",
                "Plugin-Requires against this api, classes, extensions, handlers, start.",
                "Exit 0 when valid, 1 when invalid (reasons on stdout)."})
    static final class CheckCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "JAR", description = "The plugin jar or zip.")
        Path jar;

        @Option(names = "--config", paramLabel = "FILE",
                description = "Configuration whose pluginSettings.<plugin-id> the plugin is given, as the daemon would.")
        Path config;

        @Override
        public Integer call() {
            Logging.setLevel(io.qeventd.runtime.config.LogConfig.Level.ERROR);
            QeventdConfig cfg;
            try {
                cfg = config != null ? ConfigLoader.load(config) : QeventdConfig.defaults();
            } catch (ConfigException e) {
                spec.commandLine().getErr().println("qeventd plugins check: invalid configuration:");
                spec.commandLine().getErr().println(e.getMessage());
                return Main.USAGE;
            }
            PluginInspection r = inspector(cfg, jar).inspect(jar);
            PrintWriter out = spec.commandLine().getOut();
            out.print(r.report());
            out.flush();
            return r.valid() ? Main.OK : Main.FAILURE;
        }
    }

    /**
     * Checks a plugin as the daemon would load it: extensions created through Guice, with a host network
     * that only prints (a check must change nothing) and the plugin's settings from the configuration.
     */
    static PluginInspector inspector(QeventdConfig cfg, Path plugin) {
        String id = PluginDescriptors.peekId(plugin);
        return PluginHost.inspectorFor(new DryRunHostNetwork(new IpRoute2HostNetwork(), line -> { }),
                id == null ? Map.of() : cfg.pluginSettings(id), PluginInspector.DEFAULT_TIMEOUT).withReferenceCheck();
    }
}

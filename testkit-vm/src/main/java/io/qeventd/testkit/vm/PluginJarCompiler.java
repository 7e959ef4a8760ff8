package io.qeventd.testkit.vm;

import io.qeventd.api.EventHandlers;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import org.pf4j.Plugin;
import org.pf4j.processor.ExtensionAnnotationProcessor;
import org.slf4j.Logger;

/** Compiles a plugin's sources in-process, as its Maven build would, into a temporary directory. */
final class PluginJarCompiler {
    static final String EXTENSION_INDEX = "META-INF/extensions.idx";

    private PluginJarCompiler() {
    }

    /** Returns the class files and generated resources by entry name; the temporary output is deleted. */
    static Map<String, byte[]> compile(String pluginId, Map<String, String> sources, List<Path> extraClasspath) {
        if (sources.isEmpty()) {
            return Map.of();
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            throw new PluginJarCompileException("no Java compiler in this runtime (" + System.getProperty("java.home")
                    + "); plugin jars are compiled in-process and need a JDK");
        }
        Path output = null;
        try {
            output = Files.createTempDirectory("plugin-jar-" + safe(pluginId) + "-");
            DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
            boolean ok;
            try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT,
                    StandardCharsets.UTF_8)) {
                files.setLocationFromPaths(StandardLocation.CLASS_OUTPUT, List.of(output));
                files.setLocationFromPaths(StandardLocation.CLASS_PATH, classpath(extraClasspath));
                List<JavaFileObject> units = sources.entrySet().stream()
                        .map(e -> (JavaFileObject) new SourceText(e.getKey(), e.getValue()))
                        .collect(Collectors.toList());
                JavaCompiler.CompilationTask task = compiler.getTask(null, files, diagnostics,
                        List.of("--release", "17", "-g", "-parameters"), null, units);
                // Named explicitly so the index is written whatever javac's default for processor discovery.
                task.setProcessors(List.of(new ExtensionAnnotationProcessor()));
                ok = task.call();
            }
            if (!ok) {
                throw new PluginJarCompileException("plugin '" + pluginId + "' did not compile:\n"
                        + format(diagnostics));
            }
            Map<String, byte[]> entries = read(output);
            if (!entries.containsKey(EXTENSION_INDEX)) {
                throw new PluginJarCompileException("plugin '" + pluginId + "' compiled, but PF4J's annotation"
                        + " processor wrote no " + EXTENSION_INDEX + ":\n" + format(diagnostics));
            }
            return entries;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot compile plugin '" + pluginId + "'", e);
        } finally {
            deleteTree(output);
        }
    }

    /**
     * The test's own classpath, plus the locations of the api, PF4J and SLF4J classes in case the runner
     * hides the real classpath behind a manifest-only jar.
     */
    static List<Path> classpath(List<Path> extra) {
        Set<Path> entries = new LinkedHashSet<>();
        for (String property : List.of("surefire.test.class.path", "java.class.path")) {
            String value = System.getProperty(property);
            if (value != null && !value.isBlank()) {
                for (String entry : value.split(File.pathSeparator)) {
                    if (!entry.isBlank()) {
                        entries.add(Paths.get(entry).toAbsolutePath().normalize());
                    }
                }
            }
        }
        for (Class<?> anchor : List.of(EventHandlers.class, Plugin.class, Logger.class, PluginJarCompiler.class)) {
            Path location = locationOf(anchor);
            if (location != null) {
                entries.add(location);
            }
        }
        for (Path p : extra) {
            entries.add(p.toAbsolutePath().normalize());
        }
        return new ArrayList<>(entries);
    }

    private static Path locationOf(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return null;
        }
        try {
            return Paths.get(source.getLocation().toURI()).toAbsolutePath().normalize();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    private static String format(DiagnosticCollector<JavaFileObject> diagnostics) {
        StringBuilder out = new StringBuilder();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.NOTE) {
                continue; // the processor's chatter
            }
            String where = d.getSource() == null ? "" : d.getSource().getName() + ":" + d.getLineNumber() + ": ";
            out.append("  ").append(where).append(d.getKind().toString().toLowerCase(Locale.ROOT)).append(": ")
                    .append(d.getMessage(Locale.ROOT)).append('\n');
        }
        return out.length() == 0 ? "  (no diagnostics)\n" : out.toString();
    }

    private static Map<String, byte[]> read(Path root) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted().collect(Collectors.toList())) {
                String name = root.relativize(p).toString().replace(File.separatorChar, '/');
                entries.put(name, Files.readAllBytes(p));
            }
        }
        return entries;
    }

    private static void deleteTree(Path root) {
        if (root == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // A leftover temporary directory is harmless; the compiled bytes are already read.
        }
    }

    private static String safe(String id) {
        return id.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** A source held in memory, named after its class so javac accepts public top-level types. */
    private static final class SourceText extends SimpleJavaFileObject {
        private final String code;

        SourceText(String className, String code) {
            super(URI.create("string:///" + className.replace('.', '/') + Kind.SOURCE.extension), Kind.SOURCE);
            this.code = code;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return code;
        }
    }
}

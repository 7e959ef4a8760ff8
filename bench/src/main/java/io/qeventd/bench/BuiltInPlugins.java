package io.qeventd.bench;

import io.qeventd.runtime.config.PluginsConfig;
import io.qeventd.runtime.daemon.Daemon;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * The distribution's built-in plugin jars, found as {@code qeventd run} and {@code qeventd demo} find them: the
 * {@code plugins/} directory of the installation ({@code -Dqeventd.home}, set by bin/qeventd), else the one beside
 * the {@code lib/} directory the runtime's jar was loaded from.
 */
final class BuiltInPlugins {
    static final String LIFECYCLE = "lifecycle";

    private BuiltInPlugins() {
    }

    /** The distribution's plugins directory. */
    static Path directory() {
        return PluginsConfig.defaultDir(besideRuntimeJar());
    }

    private static Path besideRuntimeJar() {
        try {
            Path jar = Path.of(Daemon.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path lib = jar.getParent();
            return lib == null || lib.getParent() == null ? Path.of("plugins").toAbsolutePath()
                    : lib.getParent().resolve("plugins");
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            return Path.of("plugins").toAbsolutePath();
        }
    }

    /**
     * The jar of the plugin with this id in the distribution's plugins directory.
     *
     * @throws IllegalStateException naming the directory when it has no such jar
     */
    static Path jar(String pluginId) {
        Path dir = directory();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : s.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList()) {
                    if (pluginId.equals(attribute(p, "Plugin-Id"))) {
                        return p;
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot list the plugins directory " + dir + ": " + e.getMessage(), e);
            }
        }
        throw new IllegalStateException("no jar of plugin '" + pluginId + "' in the plugins directory " + dir
                + " (run the bench from the distribution, bin/qeventd bench, or set -Dqeventd.home)");
    }

    /** A plugins directory of its own under {@code parent} holding a copy of each jar (mode 0755, as the daemon wants). */
    static Path directoryWith(Path parent, String name, List<Path> jars) throws IOException {
        Path dir = Files.createDirectories(parent.resolve(name));
        for (Path j : jars) {
            Files.copy(j, dir.resolve(j.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        return dir;
    }

    static String attribute(Path jar, String name) throws IOException {
        try (JarFile j = new JarFile(jar.toFile())) {
            Manifest m = j.getManifest();
            return m == null ? null : m.getMainAttributes().getValue(name);
        }
    }

    /**
     * Writes to {@code target} a copy of {@code jar} whose {@code Plugin-Version} is {@code version}: the same
     * classes, a new version of the plugin as its build would make it.
     */
    static void withVersion(Path jar, String version, Path target) throws IOException {
        try (InputStream raw = Files.newInputStream(jar); JarInputStream in = new JarInputStream(raw)) {
            Manifest m = new Manifest(in.getManifest());
            m.getMainAttributes().put(new Attributes.Name("Plugin-Version"), version);
            try (OutputStream rawOut = Files.newOutputStream(target); JarOutputStream out = new JarOutputStream(rawOut, m)) {
                for (JarEntry e = in.getNextJarEntry(); e != null; e = in.getNextJarEntry()) {
                    out.putNextEntry(new JarEntry(e.getName()));
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
        }
        // A later modification time than the jar it replaces, whatever the file system's resolution.
        Files.setLastModifiedTime(target, FileTime.fromMillis(Math.max(System.currentTimeMillis(),
                Files.getLastModifiedTime(jar).toMillis() + 2000)));
    }

    /** The next patch version: 0.1.0 gives 0.1.1; anything else gets {@code .1} appended to its last number. */
    static String nextVersion(String version) {
        int dash = version.indexOf('-');
        String core = dash < 0 ? version : version.substring(0, dash);
        int dot = core.lastIndexOf('.');
        try {
            return core.substring(0, dot + 1) + (Long.parseLong(core.substring(dot + 1)) + 1);
        } catch (NumberFormatException e) {
            return core + ".1";
        }
    }
}

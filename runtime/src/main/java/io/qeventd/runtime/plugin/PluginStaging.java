package io.qeventd.runtime.plugin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Private copies of plugins: what the daemon loads, so the file in the plugins directory can be
 * replaced or deleted at any time. A copy is named after its content, so each version has its own.
 *
 * <p>A development-mode project is copied too: its descriptor, {@code target/classes} and
 * {@code target/lib}. A build that later breaks {@code target/classes} (a compile error empties it) then
 * cannot touch the version that runs, and a failed reload restarts the last good copy, not the broken
 * build output.
 */
final class PluginStaging implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PluginStaging.class);

    private final Path dir;

    PluginStaging(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create plugin staging directory " + dir, e);
        }
    }

    /** Copies a jar or zip, or a development-mode project's build output. */
    Path stage(Path source) throws IOException {
        if (Files.isDirectory(source)) {
            return stageProject(source);
        }
        byte[] bytes = Files.readAllBytes(source);
        String name = source.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String base = dot < 0 ? name : name.substring(0, dot);
        String ext = dot < 0 ? "" : name.substring(dot);
        Path target = dir.resolve(base + "-" + sha256(bytes).substring(0, 16) + ext);
        if (!Files.exists(target)) {
            Path tmp = Files.createTempFile(dir, ".staging-", ext);
            Files.write(tmp, bytes);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    /**
     * Copies what PF4J loads of a project (its {@code plugin.properties}, {@code target/classes},
     * {@code target/lib}) into {@code NAME-HASH/}. Without a descriptor of its own in the classes, the
     * manifest of the project's newest {@code target/*.jar} (what {@code mvn package} wrote from the pom)
     * is copied in as {@code target/classes/META-INF/MANIFEST.MF}.
     */
    private Path stageProject(Path project) throws IOException {
        MessageDigest digest = sha256();
        List<Path> files = new ArrayList<>();
        for (String part : List.of("target/classes", "target/lib")) {
            Path root = project.resolve(part);
            if (Files.isDirectory(root)) {
                try (Stream<Path> s = Files.walk(root)) {
                    s.filter(Files::isRegularFile).sorted().forEach(files::add);
                }
            }
        }
        Path props = project.resolve("plugin.properties");
        if (Files.isRegularFile(props)) {
            files.add(props);
        }
        Path manifestJar = null;
        if (!Files.isRegularFile(props) && !Files.isRegularFile(project.resolve("target/classes/META-INF/MANIFEST.MF"))) {
            manifestJar = QeventdPluginManager.newestJar(project.resolve("target"));
        }
        Map<Path, byte[]> contents = new LinkedHashMap<>();
        for (Path f : files) {
            byte[] bytes = Files.readAllBytes(f);
            Path rel = project.relativize(f);
            contents.put(rel, bytes);
            digest.update(rel.toString().getBytes(StandardCharsets.UTF_8));
            digest.update(bytes);
        }
        if (manifestJar != null) {
            byte[] manifest = manifestOf(manifestJar);
            if (manifest != null) {
                Path rel = Path.of("target", "classes", "META-INF", "MANIFEST.MF");
                contents.put(rel, manifest);
                digest.update(manifest);
            }
        }
        String hash = HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        Path target = dir.resolve(project.getFileName() + "-" + hash);
        if (!Files.isDirectory(target)) {
            Path tmp = Files.createTempDirectory(dir, ".staging-");
            for (var e : contents.entrySet()) {
                Path f = tmp.resolve(e.getKey().toString());
                Files.createDirectories(f.getParent());
                Files.write(f, e.getValue());
            }
            Files.createDirectories(tmp.resolve("target/classes"));
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                deleteTree(tmp);
                if (!Files.isDirectory(target)) {
                    throw e;
                }
            }
        }
        return target;
    }

    private static byte[] manifestOf(Path jar) throws IOException {
        try (JarFile j = new JarFile(jar.toFile())) {
            Manifest m = j.getManifest();
            if (m == null) {
                return null;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            m.write(out);
            return out.toByteArray();
        }
    }

    /** Deletes a staged copy (never anything outside the staging directory). */
    void discard(Path staged) {
        if (staged == null || !staged.startsWith(dir) || staged.equals(dir)) {
            return;
        }
        try {
            if (Files.isDirectory(staged)) {
                deleteTree(staged);
                return;
            }
            Files.deleteIfExists(staged);
            // PF4J unpacks zip plugins beside the zip.
            String n = staged.getFileName().toString();
            if (n.endsWith(".zip")) {
                deleteTree(staged.resolveSibling(n.substring(0, n.length() - 4)));
            }
        } catch (IOException e) {
            log.debug("cannot delete staged plugin {}", staged, e);
        }
    }

    private static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        }
    }

    @Override
    public void close() {
        try {
            deleteTree(dir);
        } catch (IOException e) {
            log.debug("cannot delete staging directory {}", dir, e);
        }
    }
}

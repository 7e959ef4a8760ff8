package io.qeventd.runtime.plugin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Private copies of plugin jars: what the daemon loads, so the file in the plugins directory can be
 * replaced or deleted at any time. A copy is named after its content, so each version has its own.
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

    /** Copies a jar or zip; a development-mode project directory is used where it is. */
    Path stage(Path source) throws IOException {
        if (Files.isDirectory(source)) {
            return source;
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

    /** Deletes a staged copy (never a development-mode project). */
    void discard(Path staged) {
        if (staged == null || !staged.startsWith(dir) || Files.isDirectory(staged)) {
            return;
        }
        try {
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
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
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

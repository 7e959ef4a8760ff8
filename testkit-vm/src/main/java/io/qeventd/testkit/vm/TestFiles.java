package io.qeventd.testkit.vm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cleaning up what a test made on disk. A file that cannot be removed is logged, not thrown: cleanup runs after
 * the test has decided, and must neither hide its failure nor fail a test that passed.
 */
public final class TestFiles {
    private static final Logger LOG = LoggerFactory.getLogger(TestFiles.class);

    private TestFiles() {
    }

    /** Removes {@code path} (a file, or a directory and everything in it); nothing happens if it is null or gone. */
    public static void deleteRecursively(Path path) {
        if (path == null || !Files.exists(path)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            paths.sorted(Comparator.reverseOrder()).forEach(TestFiles::deleteQuietly);
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", path, e.toString());
        }
    }

    /** Removes one file or empty directory, logging a failure. */
    public static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", path, e.toString());
        }
    }
}

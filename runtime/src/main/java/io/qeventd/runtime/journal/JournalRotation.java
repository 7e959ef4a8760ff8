package io.qeventd.runtime.journal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rotation of a journal file by size: {@code FILE} becomes {@code FILE.1}, {@code FILE.N} becomes
 * {@code FILE.N+1}, and what would become {@code FILE.keep+1} is deleted. With gzip, {@code FILE.1} is
 * compressed into {@code FILE.1.gz} on a thread of its own (written to {@code .tmp}, synced, then renamed, so
 * a crash leaves either the plain or the whole compressed file), and the next rotation waits for it.
 *
 * @param maxSize the size at which the file is rotated (checked after each whole batch of lines)
 * @param keep    rotated files kept
 * @param gzip    whether rotated files are compressed
 */
public record JournalRotation(long maxSize, int keep, boolean gzip) {
    private static final Logger log = LoggerFactory.getLogger(JournalRotation.class);
    private static final ExecutorService COMPRESSOR = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "journal-compress");
        t.setDaemon(true);
        return t;
    });

    public JournalRotation {
        if (maxSize < 1 || keep < 1) {
            throw new IllegalArgumentException("maxSize >= 1 and keep >= 1");
        }
    }

    /** {@code FILE.n}, compressed or not. */
    static Path rotated(Path file, int n, boolean gz) {
        return file.resolveSibling(file.getFileName() + "." + n + (gz ? ".gz" : ""));
    }

    /**
     * Moves the closed file {@code file} to {@code FILE.1} after shifting the older ones; returns the
     * compression under way, if any.
     *
     * @param previous the compression of the last rotation, waited for first
     */
    CompletableFuture<Void> rotate(Path file, CompletableFuture<Void> previous) throws IOException {
        previous.join(); // compress() reports its own failures and never completes exceptionally
        for (boolean gz : new boolean[] {false, true}) {
            Files.deleteIfExists(rotated(file, keep, gz));
            for (int n = keep - 1; n >= 1; n--) {
                Path from = rotated(file, n, gz);
                if (Files.exists(from)) {
                    Files.move(from, rotated(file, n + 1, gz), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Path first = rotated(file, 1, false);
        Files.move(file, first, StandardCopyOption.REPLACE_EXISTING);
        if (!gzip) {
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.runAsync(() -> compress(first), COMPRESSOR);
    }

    private static void compress(Path plain) {
        Path gz = plain.resolveSibling(plain.getFileName() + ".gz");
        Path tmp = plain.resolveSibling(plain.getFileName() + ".gz.tmp");
        try {
            try (InputStream in = Files.newInputStream(plain);
                 FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                         StandardOpenOption.TRUNCATE_EXISTING);
                 OutputStream out = new GZIPOutputStream(Channels.newOutputStream(ch), 64 * 1024)) {
                in.transferTo(out);
                out.flush();
                ((GZIPOutputStream) out).finish();
                ch.force(false);
            }
            Files.move(tmp, gz, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.delete(plain);
        } catch (IOException | RuntimeException e) {
            log.error("journal: cannot compress rotated file {} ({}); it stays uncompressed", plain, e.getMessage());
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the .tmp is left; it is never read as a journal
            }
        }
    }
}

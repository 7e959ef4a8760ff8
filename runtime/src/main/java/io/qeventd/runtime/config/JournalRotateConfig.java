package io.qeventd.runtime.config;

/**
 * Rotation of the journal file by size ({@code journalRotate.*}); only with {@code journal} set.
 * When the file reaches {@code maxSize} it becomes {@code FILE.1} ({@code FILE.1.gz} with gzip), older
 * ones move up by one and the one past {@code keep} is deleted.
 *
 * @param maxSize the size in bytes at which the file is rotated
 * @param keep    how many rotated files are kept
 * @param gzip    whether rotated files are compressed
 */
public record JournalRotateConfig(long maxSize, int keep, boolean gzip) {
    public static final long DEFAULT_MAX_SIZE = 100L << 20;
    public static final int DEFAULT_KEEP = 5;

    public JournalRotateConfig {
        if (maxSize < 1 || keep < 1) {
            throw new IllegalArgumentException("maxSize >= 1 and keep >= 1");
        }
    }
}

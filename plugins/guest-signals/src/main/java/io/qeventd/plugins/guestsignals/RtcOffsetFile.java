package io.qeventd.plugins.guestsignals;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * {@code DIR/DOMAIN.rtc-offset}: one line, the guest RTC's offset from real time in seconds, for a launcher
 * to start the domain again with the clock its guest set, as libvirt keeps {@code <clock offset='variable'
 * adjustment='N'>}: {@code -rtc base=$(date -u -d @$(( $(date +%s) + N )) +%Y-%m-%dT%H:%M:%S)}. Written to a
 * temporary file and moved into place, so a reader never sees half a number.
 */
final class RtcOffsetFile {
    private RtcOffsetFile() {
    }

    static Path path(Path dir, String domain) {
        return dir.resolve(domain + ".rtc-offset");
    }

    static Path write(Path dir, String domain, long offset) throws IOException {
        Files.createDirectories(dir);
        Path target = path(dir, domain);
        Path temporary = Files.createTempFile(dir, "." + domain + ".rtc-offset.", ".tmp");
        try {
            Files.writeString(temporary, offset + "\n");
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
        return target;
    }
}

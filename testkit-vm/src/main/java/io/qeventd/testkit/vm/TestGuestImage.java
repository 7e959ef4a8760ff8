package io.qeventd.testkit.vm;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel and initramfs of the test guest, built (or found in the cache) by
 * {@code scripts/build-test-guest.sh}, which says what the guest holds and where it is cached.
 */
public record TestGuestImage(Path kernel, Path initramfs) {
    static final String BUILD_SCRIPT = "scripts/build-test-guest.sh";
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(10);
    private static final Logger LOG = LoggerFactory.getLogger(TestGuestImage.class);
    private static TestGuestImage cached;

    /** Runs the build script once per JVM (it returns at once when its cache is complete). */
    public static synchronized TestGuestImage get() {
        if (cached == null) {
            cached = build();
        }
        return cached;
    }

    private static TestGuestImage build() {
        Path script = repositoryRoot().resolve(BUILD_SCRIPT);
        List<String> command = List.of("sh", script.toString());
        HostCommand.Result result;
        try {
            result = HostCommand.run(command, BUILD_TIMEOUT);
        } catch (IllegalStateException e) {
            throw new IllegalStateException("cannot build the test guest with " + script + ": " + e.getMessage(), e);
        }
        if (result.exitCode() != 0) {
            throw new IllegalStateException(script + " exited " + result.exitCode() + ":\n" + lastLines(result.stderr()));
        }
        List<String> stdout = result.stdout().strip().lines().toList();
        Path directory = Path.of(stdout.isEmpty() ? "" : stdout.get(stdout.size() - 1));
        TestGuestImage image = new TestGuestImage(directory.resolve("vmlinuz"), directory.resolve("initramfs.cpio.gz"));
        if (!Files.isRegularFile(image.kernel()) || !Files.isRegularFile(image.initramfs())) {
            throw new IllegalStateException(script + " printed '" + directory + "', which lacks vmlinuz or initramfs.cpio.gz");
        }
        LOG.debug("test guest in {}", directory);
        return image;
    }

    /**
     * The directory holding {@value #BUILD_SCRIPT}: the first such directory above the working directory
     * (Maven runs tests in the module directory) or above where this class was loaded from.
     */
    static Path repositoryRoot() {
        return findUpwards(Path.of("").toAbsolutePath())
                .or(() -> codeLocation().flatMap(TestGuestImage::findUpwards))
                .orElseThrow(() -> new IllegalStateException("cannot find " + BUILD_SCRIPT + " above "
                        + Path.of("").toAbsolutePath() + " or " + codeLocation().orElse(null)));
    }

    private static Optional<Path> findUpwards(Path start) {
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(BUILD_SCRIPT))) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }

    private static Optional<Path> codeLocation() {
        try {
            return Optional.of(Path.of(TestGuestImage.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String lastLines(String text) {
        List<String> lines = text.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }
}

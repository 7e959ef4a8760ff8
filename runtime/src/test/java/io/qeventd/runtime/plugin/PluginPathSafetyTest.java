package io.qeventd.runtime.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs against real files under /tmp (root-owned and sticky, an accepted ancestor), as root. */
class PluginPathSafetyTest {
    @TempDir
    Path tmp;
    Path plugins;
    Path jar;
    final PluginPathSafety strict = safety(false);

    static PluginPathSafety safety(boolean allowWritable) {
        try {
            return PluginPathSafety.forDaemonUser(allowWritable);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeEach
    void createSafePluginsDirectory() throws IOException {
        plugins = Files.createDirectory(tmp.resolve("plugins"));
        chmod(plugins, "rwxr-xr-x");
        jar = Files.write(plugins.resolve("hello.jar"), new byte[] {1, 2, 3});
        chmod(jar, "rw-r--r--");
    }

    @Test
    void ownDirectoryAndFileWithoutGroupOrOtherWriteAreAccepted() throws Exception {
        assertThat(strict.checkDirectory(plugins)).isEmpty();
        assertThat(strict.checkFile(jar)).isEmpty();
    }

    @Test
    void groupWritableDirectoryIsRefusedWithTheFix() throws IOException {
        chmod(plugins, "rwxrwxr-x");

        assertThatThrownBy(() -> strict.checkDirectory(plugins))
                .isInstanceOf(UnsafePluginPathException.class)
                .hasMessageContaining("refusing plugins directory " + plugins)
                .hasMessageContaining(plugins + " is writable by its group (owner root, mode 0775)")
                .hasMessageContaining("chmod go-w " + plugins)
                .hasMessageContaining("plugins.allowWritable: true")
                .hasMessageContaining("--allow-writable-plugins");
    }

    @Test
    void worldWritablePluginFileIsRefused() throws IOException {
        chmod(jar, "rw-r--rw-");

        assertThatThrownBy(() -> strict.checkFile(jar))
                .isInstanceOf(UnsafePluginPathException.class)
                .hasMessageContaining("refusing plugin file " + jar)
                .hasMessageContaining(jar + " is writable by others (owner root, mode 0646)")
                .hasMessageContaining("chmod go-w " + jar);
    }

    @Test
    void pluginFileInAWritableDirectoryIsRefused() throws IOException {
        chmod(plugins, "rwxrwxrwx");

        assertThatThrownBy(() -> strict.checkFile(jar))
                .isInstanceOf(UnsafePluginPathException.class)
                .hasMessageContaining(plugins + " is writable by its group and others (owner root, mode 0777)");
    }

    @Test
    void directoryOwnedByAnotherUserIsRefused() throws IOException {
        UserPrincipal nobody = FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        Files.setOwner(plugins, nobody);

        assertThatThrownBy(() -> strict.checkDirectory(plugins))
                .isInstanceOf(UnsafePluginPathException.class)
                .hasMessageContaining(plugins + " is owned by nobody, not by root or the daemon's user root")
                .hasMessageContaining("chown root " + plugins);
    }

    @Test
    void writableAncestorThatIsNotStickyIsRefused() throws IOException {
        Path shared = Files.createDirectory(tmp.resolve("shared"));
        Path inner = Files.createDirectory(shared.resolve("plugins"));
        chmod(inner, "rwxr-xr-x");
        chmod(shared, "rwxrwxrwx");

        UnsafePluginPathException e = org.junit.jupiter.api.Assertions.assertThrows(UnsafePluginPathException.class,
                () -> strict.checkDirectory(inner));

        assertThat(e.path()).isEqualTo(inner);
        assertThat(e.problems()).extracting(PluginPathSafety.Problem::path).containsExactly(shared);
        assertThat(e.getMessage()).contains(shared + " is writable by its group and others (owner root, mode 0777)"
                + " and not sticky");
    }

    @Test
    void writableStickyAncestorOwnedByRootIsAccepted() throws Exception {
        Path shared = Files.createDirectory(tmp.resolve("shared"));
        Path inner = Files.createDirectory(shared.resolve("plugins"));
        chmod(inner, "rwxr-xr-x");
        run("chmod", "1777", shared.toString());

        assertThat(strict.checkDirectory(inner)).isEmpty();
    }

    @Test
    void stickyBitDoesNotExcuseAWritablePluginsDirectory() throws Exception {
        run("chmod", "1777", plugins.toString());

        assertThatThrownBy(() -> strict.checkDirectory(plugins))
                .isInstanceOf(UnsafePluginPathException.class)
                .hasMessageContaining("mode 1777");
    }

    @Test
    void symlinkedDirectoryIsCheckedWhereItPoints() throws IOException {
        Path target = Files.createDirectory(tmp.resolve("real-plugins"));
        chmod(target, "rwxrwxrwx");
        Path link = Files.createSymbolicLink(tmp.resolve("linked-plugins"), target);

        assertThatThrownBy(() -> strict.checkDirectory(link))
                .isInstanceOf(UnsafePluginPathException.class)
                .hasMessageContaining(target + " is writable by its group and others");
    }

    @Test
    void allowWritableReportsProblemsWithoutRefusing() throws Exception {
        chmod(plugins, "rwxrwxr-x");

        assertThat(safety(true).checkDirectory(plugins))
                .extracting(PluginPathSafety.Problem::path).containsExactly(plugins);
    }

    @Test
    void fixCommandsQuotePathsWithSpaces() throws IOException {
        Path spaced = Files.createDirectory(tmp.resolve("my plugins"));
        chmod(spaced, "rwxrwxr-x");

        assertThatThrownBy(() -> strict.checkDirectory(spaced))
                .hasMessageContaining("chmod go-w '" + spaced + "'");
    }

    private static void chmod(Path path, String permissions) throws IOException {
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).inheritIO().start();
        assertThat(p.waitFor()).as(String.join(" ", command)).isZero();
    }
}

package io.qeventd.runtime.discover;

import io.qeventd.runtime.plugin.PluginPathSafety;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The rules a discovered socket must pass before the daemon attaches it, the same as for plugins: the
 * directory and every directory above it writable only by the daemon's user or root (a sticky directory such
 * as /tmp may sit above it, not be it), and the socket itself owned by the daemon's user or root and not
 * writable by others. Otherwise any user who can create a file there could have a root daemon talk to a
 * "QEMU" of their own.
 */
public final class SocketSafety {
    private final PluginPathSafety paths;
    private final UserPrincipal daemonUser;
    private final UserPrincipal root;

    public SocketSafety(PluginPathSafety paths, UserPrincipal daemonUser, UserPrincipal root) {
        this.paths = paths;
        this.daemonUser = daemonUser;
        this.root = root;
    }

    /** Rules for the user this process runs as. */
    public static SocketSafety forDaemonUser() throws IOException {
        var lookup = Path.of("/").getFileSystem().getUserPrincipalLookupService();
        UserPrincipal me = lookup.lookupPrincipalByName(System.getProperty("user.name"));
        return new SocketSafety(PluginPathSafety.forDaemonUser(false), me, lookup.lookupPrincipalByName("root"));
    }

    /** What is wrong with the directory, each with its fix; empty when it may be trusted. */
    public List<String> directoryProblems(Path dir) throws IOException {
        return paths.directoryProblems(dir).stream().map(Object::toString).toList();
    }

    /** What is wrong with a socket, with its fix; empty when it may be attached. */
    public Optional<String> socketProblem(Path socket) throws IOException {
        UserPrincipal owner = Files.getOwner(socket, LinkOption.NOFOLLOW_LINKS);
        if (!owner.equals(daemonUser) && !owner.equals(root)) {
            return Optional.of(socket + " belongs to " + owner.getName() + ", not to " + daemonUser.getName()
                    + " or root (fix: start QEMU as " + daemonUser.getName() + ", or chown it)");
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(socket, LinkOption.NOFOLLOW_LINKS);
        if (perms.contains(PosixFilePermission.OTHERS_WRITE)) {
            return Optional.of(socket + " can be written by any user (fix: chmod o-w " + socket + ")");
        }
        return Optional.empty();
    }
}

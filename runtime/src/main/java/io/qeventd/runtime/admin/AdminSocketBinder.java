package io.qeventd.runtime.admin;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the admin socket so that nobody but its owner can ever connect: the socket is bound inside a
 * fresh directory only the owner can enter, set to mode 0600 there, and then renamed into place. A
 * plain bind-then-chmod would leave a moment in which anyone may connect.
 *
 * <p>A socket file left behind by a daemon that died is replaced; one that a live daemon answers on, or a
 * path that is not a socket, is refused.
 */
final class AdminSocketBinder {
    private static final Logger log = LoggerFactory.getLogger(AdminSocketBinder.class);
    private static final int SOCKET_TYPE_BITS = 0170000;
    private static final int SOCKET_TYPE = 0140000;

    private AdminSocketBinder() {
    }

    static ServerSocketChannel bind(Path socket) throws AdminSocketException {
        Path dir = socket.toAbsolutePath().getParent();
        try {
            createPrivateDirectories(dir);
            clearStale(socket);
            Path privateDir = Files.createDirectory(dir.resolve(".admin-" + ProcessHandle.current().pid() + "-"
                            + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000))),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            try {
                Path staged = privateDir.resolve("s");
                ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                try {
                    channel.bind(UnixDomainSocketAddress.of(staged));
                    Files.setPosixFilePermissions(staged, PosixFilePermissions.fromString("rw-------"));
                    Files.move(staged, socket, StandardCopyOption.ATOMIC_MOVE);
                    return channel;
                } catch (IOException | RuntimeException e) {
                    channel.close();
                    throw e;
                }
            } finally {
                Files.deleteIfExists(privateDir.resolve("s"));
                Files.deleteIfExists(privateDir);
            }
        } catch (AdminSocketException e) {
            throw e;
        } catch (FileAlreadyExistsException e) {
            throw new AdminSocketException("cannot create admin socket " + socket + ": " + e.getFile()
                    + " is in the way (left by a daemon that was killed? remove it)", e);
        } catch (IOException | RuntimeException e) {
            throw new AdminSocketException("cannot create admin socket " + socket + ": " + describe(e), e);
        }
    }

    /** Whether {@code path} is a unix socket (not following a symlink). */
    static boolean isSocket(Path path) throws IOException {
        Object mode = Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        return mode instanceof Integer m && (m & SOCKET_TYPE_BITS) == SOCKET_TYPE;
    }

    private static void createPrivateDirectories(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            log.debug("created admin socket directory {}", dir);
        }
    }

    private static void clearStale(Path socket) throws IOException {
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!isSocket(socket)) {
            throw new AdminSocketException("cannot create admin socket " + socket
                    + ": a file that is not a socket is in the way; remove it or set admin.socket");
        }
        try {
            SocketChannel.open(UnixDomainSocketAddress.of(socket)).close();
            throw new AdminSocketException("another qeventd daemon answers on admin socket " + socket
                    + "; stop it first, or give this one another admin.socket");
        } catch (AdminSocketException e) {
            throw e;
        } catch (IOException e) {
            // Nobody listens: the socket of a daemon that did not stop cleanly.
            log.info("removing stale admin socket {}", socket);
            try {
                Files.delete(socket);
            } catch (NoSuchFileException gone) {
                // Removed meanwhile; fine.
            }
        }
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}

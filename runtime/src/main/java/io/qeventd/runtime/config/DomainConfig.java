package io.qeventd.runtime.config;

import io.qeventd.api.Nic;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A virtual machine to watch ({@code domains[]}).
 *
 * @param name              unique within the daemon; letters, digits, '.', '_' and '-'
 * @param qmp               the QMP monitor's unix socket, absolute
 * @param reconnect         whether to reconnect when the monitor goes away (the VM restarted)
 * @param reconnectMaxDelay the longest wait between reconnection attempts
 * @param nics              the NICs handlers may act on, aliases unique
 */
public record DomainConfig(String name, Path qmp, boolean reconnect, Duration reconnectMaxDelay,
                           List<NicConfig> nics) {
    static final boolean DEFAULT_RECONNECT = true;
    static final Duration DEFAULT_RECONNECT_MAX_DELAY = Duration.ofSeconds(30);

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

    public DomainConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(qmp, "qmp");
        Objects.requireNonNull(reconnectMaxDelay, "reconnectMaxDelay");
        nics = List.copyOf(nics);
    }

    /** A domain with no NICs and the configuration file's defaults, as {@code --qmp} and discovery create. */
    public static DomainConfig withDefaults(String name, Path qmp) {
        return new DomainConfig(name, qmp, DEFAULT_RECONNECT, DEFAULT_RECONNECT_MAX_DELAY, List.of());
    }

    /**
     * Parses the command line's {@code --qmp NAME=SOCKET}; a relative socket path is taken from the
     * working directory.
     */
    public static DomainConfig parseQmpFlag(String flag) throws ConfigException {
        int equals = flag.indexOf('=');
        if (equals < 0) {
            throw flagError(flag, null);
        }
        String name = flag.substring(0, equals);
        String socket = flag.substring(equals + 1);
        if (name.isEmpty()) {
            throw flagError(flag, "the name is empty");
        }
        Optional<String> nameProblem = nameProblem(name);
        if (nameProblem.isPresent()) {
            throw flagError(flag, nameProblem.get());
        }
        if (socket.isEmpty()) {
            throw flagError(flag, "the socket path is empty");
        }
        try {
            return withDefaults(name, Path.of(socket).toAbsolutePath().normalize());
        } catch (InvalidPathException e) {
            throw flagError(flag, "'" + socket + "' is not a valid path: " + e.getReason());
        }
    }

    /** The NICs as the api hands them to plugins. */
    public List<Nic> apiNics() {
        return nics.stream().map(NicConfig::toNic).toList();
    }

    public Optional<NicConfig> nic(String alias) {
        return nics.stream().filter(n -> n.alias().equals(alias)).findFirst();
    }

    /** Why {@code name} cannot name a domain, or empty when it can. */
    static Optional<String> nameProblem(String name) {
        if (NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        return Optional.of("domain name '" + name + "' may contain only letters, digits, '.', '_' and '-'");
    }

    private static ConfigException flagError(String flag, String problem) {
        String message = "--qmp expects NAME=SOCKET, got '" + flag + "'" + (problem == null ? "" : ": " + problem);
        return new ConfigException(new ConfigError("", 0, 0, "", message));
    }

    /** A unix socket path holds at most 107 bytes (sun_path, with its terminating NUL). */
    public static final int MAX_SOCKET_PATH_BYTES = 107;

    /**
     * What makes {@code qmp} unusable as a QMP socket path, if anything: too long for a unix socket, or an
     * existing regular file or directory. A path that does not exist yet is fine: QEMU creates it when it starts.
     */
    public static Optional<String> qmpProblem(Path qmp) {
        int bytes = qmp.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (bytes > MAX_SOCKET_PATH_BYTES) {
            return Optional.of("socket path is " + bytes + " bytes long; a unix socket path holds at most "
                    + MAX_SOCKET_PATH_BYTES + " (use a shorter directory)");
        }
        if (java.nio.file.Files.isDirectory(qmp)) {
            return Optional.of(qmp + " is a directory, not a QMP socket");
        }
        if (java.nio.file.Files.isRegularFile(qmp)) {
            return Optional.of(qmp + " is a regular file, not a QMP socket");
        }
        return Optional.empty();
    }
}

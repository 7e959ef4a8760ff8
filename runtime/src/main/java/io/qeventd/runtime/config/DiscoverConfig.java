package io.qeventd.runtime.config;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.PatternSyntaxException;

/**
 * A directory of QMP sockets to attach as they appear ({@code discover.*}). A socket {@code vm1.qmp}
 * becomes the domain {@code vm1}.
 *
 * @param dir  the directory watched, absolute
 * @param glob which file names in it are QMP sockets ({@code *.qmp})
 */
public record DiscoverConfig(Path dir, String glob) {
    static final String DEFAULT_GLOB = "*.qmp";

    public DiscoverConfig {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(glob, "glob");
    }

    /** Whether {@code socket}'s file name matches the glob. */
    public boolean matches(Path socket) {
        Path fileName = socket.getFileName();
        return fileName != null && matcher(glob).matches(fileName);
    }

    /**
     * The domain name for a socket found in the directory: its file name without the extension, when it
     * matches the glob and the rest is a valid domain name.
     */
    public Optional<String> domainNameFor(Path socket) {
        if (!matches(socket)) {
            return Optional.empty();
        }
        String fileName = socket.getFileName().toString();
        int dot = fileName.lastIndexOf('.');
        String name = dot > 0 ? fileName.substring(0, dot) : fileName;
        return DomainConfig.nameProblem(name).isEmpty() ? Optional.of(name) : Optional.empty();
    }

    /** Why {@code glob} cannot select socket file names, or empty when it can. */
    static Optional<String> globProblem(String glob) {
        if (glob.isEmpty()) {
            return Optional.of("the pattern is empty");
        }
        if (glob.contains("/")) {
            return Optional.of("'" + glob + "' contains '/', but the pattern is matched against file names only");
        }
        try {
            matcher(glob);
            return Optional.empty();
        } catch (PatternSyntaxException e) {
            return Optional.of("'" + glob + "' is not a valid glob: " + e.getDescription());
        }
    }

    private static PathMatcher matcher(String glob) {
        return FileSystems.getDefault().getPathMatcher("glob:" + glob);
    }
}

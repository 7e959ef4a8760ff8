package io.qeventd.runtime.plugin;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses plugin paths that someone other than the daemon's user or root could write, as OpenSSH's
 * StrictModes refuses a writable {@code authorized_keys}: whoever can write a plugin jar, or the directory
 * that holds it, runs code as the daemon.
 *
 * <p>The path itself (plugins directory, plugin file and the directory holding the file) must be owned by
 * the daemon's user or root and carry no group or other write bit. Each directory above it must have the
 * same owner, and may be writable by others only if it is sticky (as {@code /tmp}): there others can add
 * entries but not replace ours. Symbolic links are followed, and the directories holding the links are
 * checked too. POSIX ACLs show up in the group bits (the ACL mask) and are refused with them.
 *
 * <p>{@code allowWritable} (configuration {@code plugins.allowWritable: true}, CLI
 * {@code --allow-writable-plugins}) turns refusals into warnings, for development.
 */
public final class PluginPathSafety {
    private static final Logger log = LoggerFactory.getLogger(PluginPathSafety.class);
    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_./@%+=:,-]+");
    private static final int STICKY = 01000;

    /** One thing wrong with one path, and the command that fixes it. */
    public record Problem(Path path, String what, String fix) {
        @Override
        public String toString() {
            return path + " " + what + "; fix: " + fix;
        }
    }

    private final UserPrincipal daemonUser;
    private final UserPrincipal root;
    private final boolean allowWritable;

    public PluginPathSafety(UserPrincipal daemonUser, UserPrincipal root, boolean allowWritable) {
        this.daemonUser = Objects.requireNonNull(daemonUser, "daemonUser");
        this.root = Objects.requireNonNull(root, "root");
        this.allowWritable = allowWritable;
    }

    /** Checks against the user this JVM runs as. */
    public static PluginPathSafety forDaemonUser(boolean allowWritable) throws IOException {
        UserPrincipalLookupService users = FileSystems.getDefault().getUserPrincipalLookupService();
        return new PluginPathSafety(users.lookupPrincipalByName(System.getProperty("user.name")),
                users.lookupPrincipalByName("root"), allowWritable);
    }

    public boolean allowsWritable() {
        return allowWritable;
    }

    /**
     * Refuses an unsafe plugins directory; with {@code allowWritable} logs the problems instead.
     *
     * @return the problems found (empty when safe; non-empty only with {@code allowWritable})
     * @throws UnsafePluginPathException naming what is wrong and how to fix it
     * @throws IOException if the directory or an ancestor cannot be read, does not exist or is no directory
     */
    public List<Problem> checkDirectory(Path directory) throws UnsafePluginPathException, IOException {
        return enforce("plugins directory", directory, directoryProblems(directory));
    }

    /** As {@link #checkDirectory}, for one plugin file and the directories above it. */
    public List<Problem> checkFile(Path file) throws UnsafePluginPathException, IOException {
        return enforce("plugin file", file, fileProblems(file));
    }

    /** What is wrong with a plugins directory, without refusing anything. */
    public List<Problem> directoryProblems(Path directory) throws IOException {
        Map<Path, Boolean> strictByPath = new LinkedHashMap<>();
        Path real = directory.toRealPath();
        if (!Files.isDirectory(real)) {
            throw new NotDirectoryException(real + " (plugins directory)");
        }
        strictByPath.put(real, true);
        addAncestors(strictByPath, real);
        addLinkDirectories(strictByPath, directory);
        return problems(strictByPath);
    }

    /** What is wrong with a plugin file (and the directories above it), without refusing anything. */
    public List<Problem> fileProblems(Path file) throws IOException {
        Map<Path, Boolean> strictByPath = new LinkedHashMap<>();
        Path real = file.toRealPath();
        if (!Files.isRegularFile(real)) {
            return List.of(new Problem(real, "is not a regular file", "remove it from the plugins directory"));
        }
        strictByPath.put(real, true);
        strictByPath.put(real.getParent(), true); // whoever writes this directory can swap the file
        addAncestors(strictByPath, real.getParent());
        Path lexicalParent = file.toAbsolutePath().normalize().getParent();
        if (lexicalParent != null) {
            strictByPath.merge(lexicalParent.toRealPath(), true, Boolean::logicalOr);
            addLinkDirectories(strictByPath, file);
        }
        return problems(strictByPath);
    }

    private List<Problem> enforce(String kind, Path path, List<Problem> problems) throws UnsafePluginPathException {
        if (problems.isEmpty()) {
            return problems;
        }
        if (allowWritable) {
            for (Problem p : problems) {
                log.warn("Unsafe {} {} accepted because writable plugin paths are allowed: {}", kind, path, p);
            }
            return problems;
        }
        throw new UnsafePluginPathException(path, problems, message(kind, path, problems));
    }

    private static String message(String kind, Path path, List<Problem> problems) {
        StringBuilder m = new StringBuilder("refusing ").append(kind).append(' ').append(path)
                .append(": users other than the daemon's (or root) could replace the plugins it runs");
        for (Problem p : problems) {
            m.append("\n  ").append(p);
        }
        m.append("\nfor development only, accept writable plugin paths with 'plugins.allowWritable: true'"
                + " in the configuration or the --allow-writable-plugins option");
        return m.toString();
    }

    private static void addAncestors(Map<Path, Boolean> strictByPath, Path from) {
        for (Path p = from.getParent(); p != null; p = p.getParent()) {
            strictByPath.putIfAbsent(p, false);
        }
    }

    /**
     * Directories that hold a symbolic link on the way to {@code path}: whoever writes them can point the
     * link elsewhere. Their own ancestors are covered by the real path's or checked here as well.
     */
    private static void addLinkDirectories(Map<Path, Boolean> strictByPath, Path path) throws IOException {
        Path absolute = path.toAbsolutePath().normalize();
        for (Path p = absolute; p != null && p.getParent() != null; p = p.getParent()) {
            if (Files.isSymbolicLink(p)) {
                Path holder = p.getParent().toRealPath();
                strictByPath.putIfAbsent(holder, false);
                addAncestors(strictByPath, holder);
            }
        }
    }

    private List<Problem> problems(Map<Path, Boolean> strictByPath) throws IOException {
        List<Problem> problems = new ArrayList<>();
        for (Map.Entry<Path, Boolean> e : strictByPath.entrySet()) {
            check(e.getKey(), e.getValue(), problems);
        }
        return problems;
    }

    private void check(Path path, boolean strict, List<Problem> problems) throws IOException {
        PosixFileAttributes attributes = Files.readAttributes(path, PosixFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        UserPrincipal owner = attributes.owner();
        int mode = mode(path, attributes.permissions());
        String shown = "(owner " + owner.getName() + ", mode " + String.format("%04o", mode) + ")";
        if (!owner.equals(daemonUser) && !owner.equals(root)) {
            problems.add(new Problem(path, "is owned by " + owner.getName() + ", not by root or the daemon's user "
                    + daemonUser.getName() + " " + shown, "chown " + daemonUser.getName() + " " + quote(path)));
        }
        Set<PosixFilePermission> permissions = attributes.permissions();
        boolean group = permissions.contains(PosixFilePermission.GROUP_WRITE);
        boolean others = permissions.contains(PosixFilePermission.OTHERS_WRITE);
        if (!group && !others) {
            return;
        }
        if (!strict && (mode & STICKY) != 0) {
            return; // e.g. /tmp: others may add entries there but cannot replace ours
        }
        String who = group && others ? "its group and others" : group ? "its group" : "others";
        String what = "is writable by " + who + " " + shown;
        if (!strict) {
            what = what + " and not sticky, so they can replace what lies below it";
        }
        problems.add(new Problem(path, what, "chmod go-w " + quote(path)));
    }

    /** The permission bits with setuid, setgid and sticky where the platform reports them. */
    private static int mode(Path path, Set<PosixFilePermission> permissions) throws IOException {
        try {
            Object mode = Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            if (mode instanceof Integer m) {
                return m & 07777;
            }
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            // fall back to the nine permission bits
        }
        int mode = 0;
        for (PosixFilePermission p : permissions) {
            mode |= 0400 >> p.ordinal();
        }
        return mode;
    }

    private static String quote(Path path) {
        String s = path.toString();
        return SHELL_SAFE.matcher(s).matches() ? s : "'" + s.replace("'", "'\\''") + "'";
    }
}

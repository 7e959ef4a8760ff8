package io.qeventd.runtime.config;

import io.qeventd.runtime.config.YamlNode.Mapping;
import io.qeventd.runtime.config.YamlNode.Mark;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads qeventd's YAML configuration; an invalid one is refused with every problem listed. */
public final class ConfigLoader {
    private static final Logger log = LoggerFactory.getLogger(ConfigLoader.class);

    private ConfigLoader() {
    }

    /**
     * Reads {@code file}; relative paths inside it are taken from the file's directory.
     *
     * @throws ConfigException when the file cannot be read or is invalid, listing every problem
     */
    public static QeventdConfig load(Path file) throws ConfigException {
        String source = file.toString();
        String text;
        try {
            if (Files.isDirectory(file)) {
                throw unreadable(source, "it is a directory");
            }
            text = readBounded(file);
        } catch (NoSuchFileException e) {
            throw unreadable(source, "no such file");
        } catch (AccessDeniedException e) {
            throw unreadable(source, "permission denied");
        } catch (CharacterCodingException e) {
            throw unreadable(source, "it is not UTF-8 text");
        } catch (IOException e) {
            throw unreadable(source, e.getMessage());
        }
        QeventdConfig config = parse(text, source, file.toAbsolutePath().normalize().getParent());
        log.debug("Loaded configuration {}: {} domain(s)", source, config.domains().size());
        return config;
    }

    /**
     * Reads configuration text.
     *
     * @param sourceName how error messages name the text (usually the file's path)
     * @param baseDir    the directory relative paths are taken from
     * @throws ConfigException listing every problem found
     */
    public static QeventdConfig parse(String yaml, String sourceName, Path baseDir) throws ConfigException {
        return parse(yaml, sourceName, baseDir, ProcessUser.current());
    }

    static QeventdConfig parse(String yaml, String sourceName, Path baseDir, ProcessUser user) throws ConfigException {
        ConfigErrors errors = new ConfigErrors(sourceName);
        Optional<Mapping> root = new YamlTreeReader(errors).read(yaml);
        QeventdConfig config = root.map(r -> new ConfigBinder(new BindingContext(errors, baseDir, user)).bind(r))
                .orElse(null);
        errors.throwIfAny();
        return config;
    }

    /** The configuration of an empty file in {@code baseDir}. */
    static QeventdConfig defaults(Path baseDir, ProcessUser user) {
        BindingContext context = new BindingContext(new ConfigErrors("built-in defaults"), baseDir, user);
        return new ConfigBinder(context).bind(Mapping.empty(new Mark(1, 1)));
    }

    /** Larger than any configuration a person writes; a file past it (or an endless one) is refused. */
    static final int MAX_BYTES = 1024 * 1024;

    private static String readBounded(Path file) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        }
        if (bytes.length > MAX_BYTES) {
            throw new IOException("it is larger than " + MAX_BYTES / 1024 + " KiB (is it really a configuration file?)");
        }
        return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    }

    private static ConfigException unreadable(String source, String why) {
        return new ConfigException(new ConfigError(source, 0, 0, "", "cannot read the configuration file: " + why));
    }
}

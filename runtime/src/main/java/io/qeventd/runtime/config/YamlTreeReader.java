package io.qeventd.runtime.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.qeventd.runtime.config.YamlNode.Entry;
import io.qeventd.runtime.config.YamlNode.Mapping;
import io.qeventd.runtime.config.YamlNode.Mark;
import io.qeventd.runtime.config.YamlNode.Scalar;
import io.qeventd.runtime.config.YamlNode.ScalarKind;
import io.qeventd.runtime.config.YamlNode.Sequence;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Turns YAML text into a {@link YamlNode} tree with positions, using Jackson's streaming YAML parser.
 * Reports syntax errors, duplicate keys and aliases with their line and column.
 */
final class YamlTreeReader {
    private static final YAMLFactory YAML = new YAMLFactory();

    private final ConfigErrors errors;
    /** Set when the tree cannot be trusted for binding (it would only produce follow-on errors). */
    private boolean unusable;

    YamlTreeReader(ConfigErrors errors) {
        this.errors = errors;
    }

    /**
     * The document's root mapping; empty when the text cannot be bound. An empty document is an empty
     * mapping. Problems go to the error list given at construction.
     */
    Optional<Mapping> read(String text) {
        try (JsonParser parser = YAML.createParser(text)) {
            YAMLParser p = (YAMLParser) parser;
            if (p.nextToken() == null) {
                return Optional.of(Mapping.empty(new Mark(1, 1)));
            }
            YamlNode root = node(p, "");
            if (p.nextToken() != null) {
                errors.add(mark(p), "", "only one YAML document is allowed, but another one starts here");
                unusable = true;
            }
            if (root instanceof Scalar scalar && scalar.isNull()) {
                root = Mapping.empty(root.mark());
            }
            if (!(root instanceof Mapping mapping)) {
                errors.add(root.mark(), "",
                        "the configuration must be a mapping of keys to values, got " + root.describe());
                return Optional.empty();
            }
            return unusable ? Optional.empty() : Optional.of(mapping);
        } catch (StreamReadException e) {
            syntaxError(e);
            return Optional.empty();
        } catch (IOException e) {
            // Reading from a String does no I/O; a parser failure that is not a StreamReadException still
            // means the text could not be read.
            errors.add(new Mark(0, 0), "", "cannot read the YAML: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** Reads the node whose first token is the parser's current token, leaving the parser on its last token. */
    private YamlNode node(YAMLParser p, String path) throws IOException {
        Mark at = mark(p);
        JsonToken token = p.currentToken();
        return switch (token) {
            case START_OBJECT -> mapping(p, path, at);
            case START_ARRAY -> sequence(p, path, at);
            case VALUE_NULL -> new Scalar(at, ScalarKind.NULL, p.getText(), null);
            case VALUE_TRUE, VALUE_FALSE ->
                    new Scalar(at, ScalarKind.BOOLEAN, p.getText(), token == JsonToken.VALUE_TRUE);
            case VALUE_NUMBER_INT -> new Scalar(at, ScalarKind.INTEGER, p.getText(), p.getNumberValue());
            case VALUE_NUMBER_FLOAT -> new Scalar(at, ScalarKind.DECIMAL, p.getText(), p.getDoubleValue());
            default -> stringOrAlias(p, path, at);
        };
    }

    private YamlNode stringOrAlias(YAMLParser p, String path, Mark at) throws IOException {
        if (p.isCurrentAlias()) {
            // Jackson's streaming parser does not resolve aliases; it hands back the anchor's name as a string.
            errors.add(at, path, "YAML aliases (*" + p.getText() + ") are not supported; write the value out in full");
            unusable = true;
        }
        return new Scalar(at, ScalarKind.STRING, p.getText(), p.getText());
    }

    private Mapping mapping(YAMLParser p, String path, Mark at) throws IOException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            Mark keyMark = mark(p);
            p.nextToken();
            YamlNode value = node(p, path.isEmpty() ? key : path + "." + key);
            Entry first = entries.get(key);
            if (first != null) {
                // YAML forbids duplicate keys; silently keeping one of them would hide an operator's mistake.
                errors.add(keyMark, path,
                        "duplicate key '" + key + "' (first at line " + first.keyMark().line() + ")");
            } else {
                entries.put(key, new Entry(key, keyMark, value));
            }
        }
        return new Mapping(at, entries);
    }

    private Sequence sequence(YAMLParser p, String path, Mark at) throws IOException {
        List<YamlNode> items = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            items.add(node(p, path + "[" + items.size() + "]"));
        }
        return new Sequence(at, items);
    }

    private void syntaxError(StreamReadException e) {
        unusable = true;
        if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
            // SnakeYAML knows where the problem is and what it was in the middle of; Jackson's own location
            // is often where the token started instead.
            var problemAt = yaml.getProblemMark();
            StringBuilder message = new StringBuilder("YAML syntax error: ").append(oneLine(yaml.getProblem()));
            if (yaml.getContext() != null && yaml.getContextMark() != null) {
                message.append(" (").append(oneLine(yaml.getContext()))
                        .append(" at line ").append(yaml.getContextMark().getLine() + 1)
                        .append(", column ").append(yaml.getContextMark().getColumn() + 1).append(')');
            }
            errors.add(new Mark(problemAt.getLine() + 1, problemAt.getColumn() + 1), "", message.toString());
            return;
        }
        JsonLocation location = e.getLocation();
        Mark at = location == null ? new Mark(0, 0) : new Mark(location.getLineNr(), location.getColumnNr());
        errors.add(at, "", "YAML syntax error: " + oneLine(e.getOriginalMessage()));
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s*\\n\\s*", " ");
    }

    private static Mark mark(YAMLParser p) {
        JsonLocation location = p.currentTokenLocation();
        return new Mark(location.getLineNr(), location.getColumnNr());
    }
}

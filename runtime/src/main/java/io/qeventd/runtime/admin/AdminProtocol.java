package io.qeventd.runtime.admin;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The admin socket's protocol: one JSON object per line each way, shaped like QMP's so that whoever reads
 * this project's code knows it already.
 *
 * <pre>
 * request:  {"command": "status"}                 an optional "id" of any JSON type is echoed back
 * answer:   {"return": {...}}                      the command's result
 *       or  {"error": {"class": "...", "desc": "..."}}
 * </pre>
 *
 * <p>Commands: {@code status} returns a {@link StatusReport}; {@code ping} returns {@code {}};
 * {@code plugin-command} runs a plugin's operator command ({@link PluginCommands}) with
 * {@code "arguments": {"plugin", "command", "domain", "arguments": {KEY: VALUE}}}.
 *
 * <p>Streaming commands answer with their {@code return} line, then lines of their own, and close the connection
 * when the stream ends. {@code events} ({@code "arguments": {"follow", "domain", "event", "outcome", "data"}},
 * each filter a string or an array of strings) streams journal records as {@code {"record": {...}}}, ending with
 * {@code {"end": {...}}} or, for a client that fell behind, {@code {"cut-off": {"missed": N, ...}}}.
 * {@code record} ({@code "arguments": {"domain"}}) streams the domain's QMP lines as {@code {"line": {...}}} in
 * the recording format, ending the same ways. A client may
 * send several requests on one connection; each is answered in order. The server closes a connection
 * that sends a line longer than {@link #MAX_LINE} bytes or stays silent for its idle timeout. Error
 * classes: {@code BadRequest} (not a JSON object with a string "command"), {@code UnknownCommand},
 * {@code InvalidArguments} (the command's arguments are wrong; desc names the one), {@code CommandFailed}
 * (the command threw; desc says why).
 */
public final class AdminProtocol {
    public static final String STATUS = "status";
    public static final String PING = "ping";
    public static final String PLUGIN_COMMAND = "plugin-command";
    public static final String EVENTS = "events";
    public static final String RECORD = "record";
    public static final int MAX_LINE = 64 * 1024;

    /**
     * Shared, configured once; thread safe. Unknown fields are ignored so that old clients read new daemons, and
     * any answer that is valid JSON is read whatever the length of its names and strings (Jackson's defaults
     * refuse names over 50,000 characters, which once made one odd event name break every status query).
     */
    static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNameLength(Integer.MAX_VALUE)
                    .maxStringLength(Integer.MAX_VALUE)
                    .build())
            .build())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private AdminProtocol() {
    }
}

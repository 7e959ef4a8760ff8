package io.qeventd.runtime.admin;

import java.io.IOException;
import java.util.List;

/** Where an {@link AdminStreamCommand} writes: its client's connection. */
public interface AdminStream {
    /** Answers the request with {@code {"return": value}}; the stream's lines follow. */
    void begin(Object value) throws IOException;

    /**
     * Writes one line of the stream (one JSON object, without a line end), whole.
     *
     * @throws IOException when the client went away or read nothing for the server's idle timeout
     */
    void line(String json) throws IOException;

    /** Writes several lines of the stream at once, each whole (one write for many small lines). */
    void lines(List<String> json) throws IOException;

    /** True once the client has closed its end (checked without waiting); whatever else it sends is ignored. */
    boolean clientGone();
}

package io.qeventd.testkit.qmp;

import java.util.List;

/**
 * Everything the server writes for one command: event lines first (QEMU emits events raised by a
 * command before its reply), then the reply, then, for {@code quit}, the end of the connection.
 */
record Answer(List<String> eventLines, Reply reply, boolean closeAfter) {

    Answer {
        eventLines = List.copyOf(eventLines);
    }

    static Answer of(Reply reply) {
        return new Answer(List.of(), reply, false);
    }

    static Answer withEvents(List<String> eventLines, Reply reply) {
        return new Answer(eventLines, reply, false);
    }
}

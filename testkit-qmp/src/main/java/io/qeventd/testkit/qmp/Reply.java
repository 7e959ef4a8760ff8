package io.qeventd.testkit.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Objects;

/**
 * How the fake server answers one command. Replies carry the command's {@code id} (none if it had none),
 * except {@link #raw raw} lines, which are written exactly as given.
 */
public sealed interface Reply {

    /** {@code {"return": value}}; the value is serialised by Jackson now, so a bad value fails at the call site. */
    static Reply ok(Object returnValue) {
        return new Return(QmpLines.toJson(Objects.requireNonNull(returnValue, "returnValue")));
    }

    /** {@code {"return": {}}}, what QEMU answers for commands that return nothing. */
    static Reply ok() {
        return new Return(QmpLines.MAPPER.createObjectNode());
    }

    /** {@code {"error": {"class": errorClass, "desc": desc}}}, e.g. {@code GenericError}, {@code DeviceNotFound}. */
    static Reply error(String errorClass, String desc) {
        return new Failure(errorClass, desc);
    }

    /** No answer at all, to make a client's command time out. */
    static Reply none() {
        return new Silence();
    }

    /**
     * {@code reply} written after {@code delay}, from a timer: replies to commands received later may
     * overtake it, as QEMU allows for out-of-band commands. Dropped if the client has gone by then.
     */
    static Reply after(Duration delay, Reply reply) {
        return new Delayed(delay, reply);
    }

    /** One line written as given plus the line ending, e.g. a reply with an id no command used. */
    static Reply raw(String line) {
        return new RawLine(line);
    }

    record Return(JsonNode value) implements Reply {
        public Return {
            Objects.requireNonNull(value, "value");
        }
    }

    record Failure(String errorClass, String desc) implements Reply {
        public Failure {
            Objects.requireNonNull(errorClass, "errorClass");
            Objects.requireNonNull(desc, "desc");
        }
    }

    record Silence() implements Reply {
    }

    record Delayed(Duration delay, Reply reply) implements Reply {
        public Delayed {
            Objects.requireNonNull(delay, "delay");
            Objects.requireNonNull(reply, "reply");
            if (delay.isNegative()) {
                throw new IllegalArgumentException("reply delay must not be negative: " + delay);
            }
        }
    }

    record RawLine(String line) implements Reply {
        public RawLine {
            Objects.requireNonNull(line, "line");
        }
    }
}

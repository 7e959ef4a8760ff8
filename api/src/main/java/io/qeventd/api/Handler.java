package io.qeventd.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * One entry a plugin adds to the event table: which QMP event it handles, what {@code data} decodes
 * to, the event-type constant, and the processor that runs on a worker.
 *
 * <pre>{@code
 * Handler.on("NIC_RX_FILTER_CHANGED", NicRxFilterChanged.class)
 *        .type(NicEventType.RX_FILTER_CHANGED)
 *        .coalesceBy(e -> e.name())
 *        .resync(this::refreshAll)
 *        .process(this::sync);
 * }</pre>
 */
public final class Handler<P> {
    /** The event name of a handler that subscribes to every event. */
    public static final String EVERY_EVENT = "*";

    private static final Pattern EVENT_NAME = Pattern.compile("[A-Z][A-Z0-9_]*");
    private static final Pattern COMMAND_NAME = Pattern.compile("[a-z][a-z0-9-]*");

    private final String event;
    private final Class<P> payloadType;
    private final EventType type;
    private final int order;
    private final Function<? super P, String> coalesceKey;
    private final ResyncHook resync;
    private final Processor<P> processor;
    private final boolean afterDomainEnd;
    private final Map<String, OperatorCommand> commands;

    private Handler(Builder<P> b, Processor<P> processor) {
        this.event = b.event;
        this.payloadType = b.payloadType;
        this.type = Objects.requireNonNull(b.type, "type: call type(...) before process(...)");
        this.order = b.order;
        this.coalesceKey = b.coalesceKey;
        this.resync = b.resync;
        this.processor = Objects.requireNonNull(processor, "processor");
        this.afterDomainEnd = b.afterDomainEnd;
        this.commands = Map.copyOf(b.commands);
        if (!commands.isEmpty() && resync == null) {
            throw new IllegalStateException(event + ": operator commands " + commands.keySet()
                    + " need a resync hook, which runs after them: call resync(...) too");
        }
    }

    /** Handles the QMP event {@code event}, whose {@code data} Jackson decodes to {@code payloadType}. */
    public static <P> Builder<P> on(String event, Class<P> payloadType) {
        Objects.requireNonNull(event, "event");
        if (!EVENT_NAME.matcher(event).matches()) {
            throw new IllegalArgumentException("not a QMP event name: '" + event
                    + "' (expected upper case letters, digits and '_', e.g. NIC_RX_FILTER_CHANGED)");
        }
        return new Builder<>(event, Objects.requireNonNull(payloadType, "payloadType"));
    }

    /** Handles every event (audit, forwarding); {@code data} arrives as maps, lists and scalars. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static Builder<Map<String, Object>> onEveryEvent() {
        return new Builder<>(EVERY_EVENT, (Class) Map.class);
    }

    public String event() {
        return event;
    }

    public boolean isForEveryEvent() {
        return EVERY_EVENT.equals(event);
    }

    public Class<P> payloadType() {
        return payloadType;
    }

    public EventType type() {
        return type;
    }

    /** Handlers of one event run in ascending order (then by plugin id). */
    public int order() {
        return order;
    }

    /** The coalescing key, or {@code null} when repeats must each be processed. */
    public Function<? super P, String> coalesceKey() {
        return coalesceKey;
    }

    /** The resync hook, or {@code null}. */
    public ResyncHook resync() {
        return resync;
    }

    public Processor<P> processor() {
        return processor;
    }

    /**
     * Whether the processor also runs when the domain is no longer active by the time a worker takes the
     * event (QEMU exited, the monitor closed or the domain was detached). Other handlers' events are then
     * journaled {@code skipped}; these run, and their monitor commands fail with
     * {@link MonitorClosedException}.
     */
    public boolean runsAfterDomainEnd() {
        return afterDomainEnd;
    }

    /** The operator commands this handler offers, by name; each is followed by a run of {@link #resync()}. */
    public Map<String, OperatorCommand> commands() {
        return commands;
    }

    @Override
    public String toString() {
        return event + " -> " + type.name();
    }

    public static final class Builder<P> {
        private final String event;
        private final Class<P> payloadType;
        private EventType type;
        private int order;
        private Function<? super P, String> coalesceKey;
        private ResyncHook resync;
        private boolean afterDomainEnd;
        private final Map<String, OperatorCommand> commands = new LinkedHashMap<>();

        private Builder(String event, Class<P> payloadType) {
            this.event = event;
            this.payloadType = payloadType;
        }

        public Builder<P> type(EventType type) {
            this.type = Objects.requireNonNull(type, "type");
            return this;
        }

        public Builder<P> order(int order) {
            this.order = order;
            return this;
        }

        /**
         * Repeats with the same key that are still queued collapse into the newest one. Use it where the
         * processor re-reads current state anyway (NIC_RX_FILTER_CHANGED of one NIC).
         */
        public Builder<P> coalesceBy(Function<? super P, String> key) {
            this.coalesceKey = Objects.requireNonNull(key, "key");
            return this;
        }

        /** Called after a (re)connect, a reset or an overflow, so the handler can catch up. */
        public Builder<P> resync(ResyncHook hook) {
            this.resync = Objects.requireNonNull(hook, "hook");
            return this;
        }

        /**
         * Runs the processor even when the domain has gone by the time a worker takes the event: for events
         * that announce a domain's end (SHUTDOWN just before QEMU exits), as libvirt handles SHUTDOWN and
         * monitor EOF. The processor must expect {@link MonitorClosedException} from its monitor.
         */
        public Builder<P> runAfterDomainEnd() {
            this.afterDomainEnd = true;
            return this;
        }

        /**
         * Offers operators the command {@code name} (lower case letters, digits and '-'): the daemon passes their
         * word to {@code command} and then runs this handler's resync hook on the domain they named.
         */
        public Builder<P> command(String name, OperatorCommand command) {
            Objects.requireNonNull(name, "name");
            if (!COMMAND_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("not an operator command name: '" + name
                        + "' (expected lower case letters, digits and '-', e.g. space-added)");
            }
            if (commands.putIfAbsent(name, Objects.requireNonNull(command, "command")) != null) {
                throw new IllegalArgumentException("operator command '" + name + "' is given twice");
            }
            return this;
        }

        public Handler<P> process(Processor<P> processor) {
            return new Handler<>(this, processor);
        }
    }
}

package io.qeventd.api;

/**
 * The kind of work a handler queues for an event, as libvirt's {@code qemuProcessEventType}.
 *
 * <p>Each plugin declares its own enum implementing this interface; the constant's {@link #name()}
 * appears in the journal's {@code type} field.
 */
public interface EventType {
    String name();
}

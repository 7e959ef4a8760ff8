package io.qeventd.api;

/**
 * The work a handler does for one event, on a worker thread, while holding the event's domain job.
 *
 * <p>Blocking is allowed here: QMP commands through {@link ProcessContext#monitor()}, host changes
 * through {@link ProcessContext#host()}. The runtime has already checked that the domain is active.
 * An exception is contained: it is journaled as {@code failed} with the plugin's id.
 */
@FunctionalInterface
public interface Processor<P> {
    void process(ProcessContext context, Event<P> event) throws Exception;
}

package io.qeventd.api;

import org.slf4j.Logger;

/** What a processor or resync hook may use while it holds its domain's job. */
public interface ProcessContext {
    Domain domain();

    /** Blocking QMP commands on this domain's monitor. */
    Monitor monitor();

    /** The host's network devices (a dry-run implementation when the daemon runs with --dry-run). */
    HostNetwork host();

    /** A logger named after the plugin, with the domain in its context. */
    Logger log();

    PluginSettings settings();

    /**
     * Records something this run changed or decided (e.g. {@code "mvt0: promiscuous on"}); the
     * journal line of this run lists every action in its {@code actions} field.
     */
    void report(String action);
}

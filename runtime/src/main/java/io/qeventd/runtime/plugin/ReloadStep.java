package io.qeventd.runtime.plugin;

/**
 * The steps of a reload, in the order {@link PluginHost} takes them. A reload that stops early (a
 * rejected new version, a drain past its deadline) skips the rest but always releases.
 */
enum ReloadStep {
    /** The new version is staged and checked on its own; nothing of the old one is touched. */
    CHECK,
    /** The plugin is held: workers start none of its queued events. */
    HOLD,
    /** The old version's running processors finish, or the deadline passes and the reload is aborted. */
    DRAIN,
    /** The old version is stopped (its class loader stays open) and the new one is loaded and started. */
    LOAD_NEW,
    /** The new version's payload classes are initialised and its Jackson deserializers built. */
    WARM,
    /** The new version's entries replace the old ones in the event table, in one swap. */
    REGISTER,
    /** The old version's class loader is closed: nothing in the table refers to it any more. */
    CLOSE_OLD,
    /** The plugin is released: the held events run on the version now in the table. */
    RELEASE
}

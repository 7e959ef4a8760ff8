package io.qeventd.plugins.lifecycle;

/** What follows a guest's own shutdown, as libvirt's {@code on_poweroff}. */
public enum PoweroffAction {
    /** QEMU stays (started with {@code -no-shutdown}, it waits in state {@code shutdown}). */
    KEEP,
    /** The plugin sends {@code quit}. */
    QUIT
}

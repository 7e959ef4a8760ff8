package io.qeventd.plugins.lifecycle;

/** What follows a guest panic that paused the guest, as libvirt's {@code on_crash}. */
public enum CrashAction {
    /** The guest stays paused for inspection. */
    PRESERVE,
    /** {@code system_reset}, then {@code cont}: the guest boots again. */
    RESET,
    /** {@code quit}: QEMU ends. */
    QUIT
}

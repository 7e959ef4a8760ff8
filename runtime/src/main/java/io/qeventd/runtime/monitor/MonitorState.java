package io.qeventd.runtime.monitor;

/** Where a monitor connection is in its life. */
public enum MonitorState {
    /** Opening the socket. */
    CONNECTING,
    /** Socket open; waiting for QEMU's greeting. */
    GREETING,
    /** {@code qmp_capabilities} sent; waiting for its reply. */
    NEGOTIATING,
    /** Commands and events flow. */
    RUNNING,
    /** Lost or failed; waiting to connect again. */
    WAITING_TO_RECONNECT,
    /** Lost or failed with reconnect off, or closed by the daemon: final. */
    CLOSED
}

package io.qeventd.plugins.lifecycle;

/** The reply of {@code query-status}: QEMU's run-state name. */
record StatusInfo(String status, boolean running) {
}

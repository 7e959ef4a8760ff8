/**
 * Tests against a real QEMU, with nothing of the daemon: {@link io.qeventd.testkit.vm.Qemu} (started by
 * {@link io.qeventd.testkit.vm.QemuBuilder}) with QMP sockets and NICs, {@link io.qeventd.testkit.vm.QemuRawQmp}
 * to drive it beside the client under test, the {@link io.qeventd.testkit.vm.TestGuest} and its
 * {@link io.qeventd.testkit.vm.GuestShell}, a {@link io.qeventd.testkit.vm.NetnsFixture} of macvtaps,
 * {@link io.qeventd.testkit.vm.PluginJarBuilder} for plugin jars built in a test, and
 * {@link io.qeventd.testkit.vm.Eventually} and {@link io.qeventd.testkit.vm.Recording} for waiting with a
 * deadline. Part of the test kit (qeventd-testkit depends on it); the runtime's own tests use it too.
 */
package io.qeventd.testkit.vm;

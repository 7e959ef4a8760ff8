package io.qeventd.runtime.demo;

import java.nio.file.Path;

/**
 * A virtual machine the demo drives, simulated ({@link FakeDemoVm}) or real ({@link QemuDemoVm}). Each
 * method does what an operator or the guest would and returns once QEMU has sent the events that follow
 * from it. Called from the demo's own scenario threads only, never from a monitor reader.
 */
interface DemoVm extends AutoCloseable {
    String name();

    /** The QMP socket the daemon watches. */
    Path daemonSocket();

    /** The MAC address of its NIC {@code net0}. */
    String mac();

    /** Events QEMU has sent since the daemon's monitor connected: what the daemon must account for. */
    long eventsSent();

    void cont();

    void stop();

    void systemReset();

    void systemPowerdown();

    /** What follows the power-down request: a guest OS powers off; a VM without one has to be quit. */
    void shutDown();

    /** How {@link #shutDown()} happens on this VM, for the narration. */
    String shutDownStory();

    /** Ends QEMU ({@code quit}): SHUTDOWN, then the monitors close. */
    void quit();

    /** Hot-plugs a USB tablet and unplugs it again: DEVICE_DELETED. */
    void unplugUsbTablet();

    /** Starts mirroring the VM's disk; returns when the mirror is in sync (BLOCK_JOB_READY). */
    void startDiskMirror();

    /** Switches to the mirror (block-job-complete); returns when the job is gone. */
    void completeDiskMirror();

    /** Migrates the VM to a file standing in for another host; returns when the migration completed. */
    void migrate();

    /**
     * The guest changes net0's receive filter.
     *
     * @return a remark for the narration when QEMU sends no event for it, else null (the event speaks)
     */
    String guestChangesRxFilter(RxFilterChange change);

    @Override
    void close();
}

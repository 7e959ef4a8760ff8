package io.qeventd.events;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every event of QEMU 7.2's QAPI schema: its name, and the record its {@code data} decodes to
 * ({@code Handler.on(QemuEvents.SHUTDOWN, Shutdown.class)}). Written from QEMU's {@code query-qmp-schema}
 * by {@code events/generate-catalogue.py}; QmpSchemaCatalogueTest holds it to a running QEMU.
 */
public final class QemuEvents {
    /** The QEMU version whose schema this catalogue follows. */
    public static final String QEMU_VERSION = "7.2";

    public static final String ACPI_DEVICE_OST = "ACPI_DEVICE_OST";
    public static final String BALLOON_CHANGE = "BALLOON_CHANGE";
    public static final String BLOCK_EXPORT_DELETED = "BLOCK_EXPORT_DELETED";
    public static final String BLOCK_IMAGE_CORRUPTED = "BLOCK_IMAGE_CORRUPTED";
    public static final String BLOCK_IO_ERROR = "BLOCK_IO_ERROR";
    public static final String BLOCK_JOB_CANCELLED = "BLOCK_JOB_CANCELLED";
    public static final String BLOCK_JOB_COMPLETED = "BLOCK_JOB_COMPLETED";
    public static final String BLOCK_JOB_ERROR = "BLOCK_JOB_ERROR";
    public static final String BLOCK_JOB_PENDING = "BLOCK_JOB_PENDING";
    public static final String BLOCK_JOB_READY = "BLOCK_JOB_READY";
    public static final String BLOCK_WRITE_THRESHOLD = "BLOCK_WRITE_THRESHOLD";
    public static final String COLO_EXIT = "COLO_EXIT";
    public static final String DEVICE_DELETED = "DEVICE_DELETED";
    public static final String DEVICE_TRAY_MOVED = "DEVICE_TRAY_MOVED";
    public static final String DEVICE_UNPLUG_GUEST_ERROR = "DEVICE_UNPLUG_GUEST_ERROR";
    public static final String DUMP_COMPLETED = "DUMP_COMPLETED";
    public static final String FAILOVER_NEGOTIATED = "FAILOVER_NEGOTIATED";
    public static final String GUEST_CRASHLOADED = "GUEST_CRASHLOADED";
    public static final String GUEST_PANICKED = "GUEST_PANICKED";
    public static final String JOB_STATUS_CHANGE = "JOB_STATUS_CHANGE";
    public static final String MEMORY_DEVICE_SIZE_CHANGE = "MEMORY_DEVICE_SIZE_CHANGE";
    public static final String MEMORY_FAILURE = "MEMORY_FAILURE";
    public static final String MEM_UNPLUG_ERROR = "MEM_UNPLUG_ERROR";
    public static final String MIGRATION = "MIGRATION";
    public static final String MIGRATION_PASS = "MIGRATION_PASS";
    public static final String NETDEV_STREAM_CONNECTED = "NETDEV_STREAM_CONNECTED";
    public static final String NETDEV_STREAM_DISCONNECTED = "NETDEV_STREAM_DISCONNECTED";
    public static final String NIC_RX_FILTER_CHANGED = "NIC_RX_FILTER_CHANGED";
    public static final String POWERDOWN = "POWERDOWN";
    public static final String PR_MANAGER_STATUS_CHANGED = "PR_MANAGER_STATUS_CHANGED";
    public static final String QUORUM_FAILURE = "QUORUM_FAILURE";
    public static final String QUORUM_REPORT_BAD = "QUORUM_REPORT_BAD";
    public static final String RDMA_GID_STATUS_CHANGED = "RDMA_GID_STATUS_CHANGED";
    public static final String RESET = "RESET";
    public static final String RESUME = "RESUME";
    public static final String RTC_CHANGE = "RTC_CHANGE";
    public static final String SHUTDOWN = "SHUTDOWN";
    public static final String SPICE_CONNECTED = "SPICE_CONNECTED";
    public static final String SPICE_DISCONNECTED = "SPICE_DISCONNECTED";
    public static final String SPICE_INITIALIZED = "SPICE_INITIALIZED";
    public static final String SPICE_MIGRATE_COMPLETED = "SPICE_MIGRATE_COMPLETED";
    public static final String STOP = "STOP";
    public static final String SUSPEND = "SUSPEND";
    public static final String SUSPEND_DISK = "SUSPEND_DISK";
    public static final String UNPLUG_PRIMARY = "UNPLUG_PRIMARY";
    public static final String VFU_CLIENT_HANGUP = "VFU_CLIENT_HANGUP";
    public static final String VNC_CONNECTED = "VNC_CONNECTED";
    public static final String VNC_DISCONNECTED = "VNC_DISCONNECTED";
    public static final String VNC_INITIALIZED = "VNC_INITIALIZED";
    public static final String VSERPORT_CHANGE = "VSERPORT_CHANGE";
    public static final String WAKEUP = "WAKEUP";
    public static final String WATCHDOG = "WATCHDOG";

    /** Payload record by event name, sorted by name. */
    public static final Map<String, Class<? extends Record>> PAYLOADS = Collections.unmodifiableMap(new TreeMap<>(Map.ofEntries(
            Map.entry(ACPI_DEVICE_OST, AcpiDeviceOst.class),
            Map.entry(BALLOON_CHANGE, BalloonChange.class),
            Map.entry(BLOCK_EXPORT_DELETED, BlockExportDeleted.class),
            Map.entry(BLOCK_IMAGE_CORRUPTED, BlockImageCorrupted.class),
            Map.entry(BLOCK_IO_ERROR, BlockIoError.class),
            Map.entry(BLOCK_JOB_CANCELLED, BlockJobCancelled.class),
            Map.entry(BLOCK_JOB_COMPLETED, BlockJobCompleted.class),
            Map.entry(BLOCK_JOB_ERROR, BlockJobError.class),
            Map.entry(BLOCK_JOB_PENDING, BlockJobPending.class),
            Map.entry(BLOCK_JOB_READY, BlockJobReady.class),
            Map.entry(BLOCK_WRITE_THRESHOLD, BlockWriteThreshold.class),
            Map.entry(COLO_EXIT, ColoExit.class),
            Map.entry(DEVICE_DELETED, DeviceDeleted.class),
            Map.entry(DEVICE_TRAY_MOVED, DeviceTrayMoved.class),
            Map.entry(DEVICE_UNPLUG_GUEST_ERROR, DeviceUnplugGuestError.class),
            Map.entry(DUMP_COMPLETED, DumpCompleted.class),
            Map.entry(FAILOVER_NEGOTIATED, FailoverNegotiated.class),
            Map.entry(GUEST_CRASHLOADED, GuestCrashloaded.class),
            Map.entry(GUEST_PANICKED, GuestPanicked.class),
            Map.entry(JOB_STATUS_CHANGE, JobStatusChange.class),
            Map.entry(MEMORY_DEVICE_SIZE_CHANGE, MemoryDeviceSizeChange.class),
            Map.entry(MEMORY_FAILURE, MemoryFailure.class),
            Map.entry(MEM_UNPLUG_ERROR, MemUnplugError.class),
            Map.entry(MIGRATION, Migration.class),
            Map.entry(MIGRATION_PASS, MigrationPass.class),
            Map.entry(NETDEV_STREAM_CONNECTED, NetdevStreamConnected.class),
            Map.entry(NETDEV_STREAM_DISCONNECTED, NetdevStreamDisconnected.class),
            Map.entry(NIC_RX_FILTER_CHANGED, NicRxFilterChanged.class),
            Map.entry(POWERDOWN, Powerdown.class),
            Map.entry(PR_MANAGER_STATUS_CHANGED, PrManagerStatusChanged.class),
            Map.entry(QUORUM_FAILURE, QuorumFailure.class),
            Map.entry(QUORUM_REPORT_BAD, QuorumReportBad.class),
            Map.entry(RDMA_GID_STATUS_CHANGED, RdmaGidStatusChanged.class),
            Map.entry(RESET, Reset.class),
            Map.entry(RESUME, Resume.class),
            Map.entry(RTC_CHANGE, RtcChange.class),
            Map.entry(SHUTDOWN, Shutdown.class),
            Map.entry(SPICE_CONNECTED, SpiceConnected.class),
            Map.entry(SPICE_DISCONNECTED, SpiceDisconnected.class),
            Map.entry(SPICE_INITIALIZED, SpiceInitialized.class),
            Map.entry(SPICE_MIGRATE_COMPLETED, SpiceMigrateCompleted.class),
            Map.entry(STOP, Stop.class),
            Map.entry(SUSPEND, Suspend.class),
            Map.entry(SUSPEND_DISK, SuspendDisk.class),
            Map.entry(UNPLUG_PRIMARY, UnplugPrimary.class),
            Map.entry(VFU_CLIENT_HANGUP, VfuClientHangup.class),
            Map.entry(VNC_CONNECTED, VncConnected.class),
            Map.entry(VNC_DISCONNECTED, VncDisconnected.class),
            Map.entry(VNC_INITIALIZED, VncInitialized.class),
            Map.entry(VSERPORT_CHANGE, VserportChange.class),
            Map.entry(WAKEUP, Wakeup.class),
            Map.entry(WATCHDOG, Watchdog.class))));

    private QemuEvents() {
    }

    /** Whether {@code name} is an event of this catalogue. */
    public static boolean isKnown(String name) {
        return PAYLOADS.containsKey(name);
    }
}

package io.qeventd.runtime.demo;

import java.util.List;

/**
 * What happens in the demo: three VMs, each with its own story, played at the same time (the daemon
 * processes different domains in parallel, each in its own order).
 */
final class DemoScenario {
    /** One VM's story. */
    record Plot(String vm, String mac, String about, List<DemoStep> steps) {
    }

    private DemoScenario() {
    }

    static List<Plot> plots() {
        return List.of(
                new Plot("web-1", "52:54:00:12:34:56", "a web server: its NIC and a USB tablet", List.of(
                        DemoStep.of("operator starts the VM (cont)", DemoVm::cont),
                        rx(RxFilterChange.DRIVER_LOADED),
                        rx(RxFilterChange.MULTICAST_JOINED),
                        rx(RxFilterChange.MAC_CHANGED),
                        DemoStep.of("operator hot-plugs a USB tablet and unplugs it again (device_add, device_del)",
                                DemoVm::unplugUsbTablet),
                        rx(RxFilterChange.PROMISCUOUS_ON),
                        DemoStep.of("operator pauses the VM (stop)", DemoVm::stop),
                        DemoStep.of("operator resumes it (cont)", DemoVm::cont),
                        DemoStep.of("operator resets it (system_reset)", DemoVm::systemReset),
                        DemoStep.of("operator asks the guest to power down (system_powerdown)",
                                DemoVm::systemPowerdown),
                        new DemoStep(DemoVm::shutDownStory, vm -> {
                            vm.shutDown();
                            return null;
                        }))),
                new Plot("db-1", "52:54:00:12:34:57", "a database: its disk is mirrored to new storage", List.of(
                        DemoStep.of("operator starts the VM (cont)", DemoVm::cont),
                        DemoStep.of("operator mirrors disk0 to new storage (blockdev-mirror, job mirror0) and waits"
                                + " until the copy is in sync", DemoVm::startDiskMirror),
                        DemoStep.of("operator switches the VM over to the copy (block-job-complete)",
                                DemoVm::completeDiskMirror),
                        DemoStep.of("operator pauses the VM (stop)", DemoVm::stop),
                        DemoStep.of("operator resumes it (cont)", DemoVm::cont),
                        DemoStep.of("operator ends QEMU (quit)", DemoVm::quit))),
                new Plot("app-1", "52:54:00:12:34:58", "an application server: live-migrated to another host",
                        List.of(
                                DemoStep.of("operator starts the VM (cont)", DemoVm::cont),
                                DemoStep.of("operator live-migrates the VM to another host (migrate; here the"
                                        + " stream goes into a file)", DemoVm::migrate),
                                DemoStep.of("the VM runs on at the destination; operator ends the source QEMU (quit)",
                                        DemoVm::quit))));
    }

    private static DemoStep rx(RxFilterChange change) {
        return new DemoStep(vm -> change.description(), vm -> vm.guestChangesRxFilter(change));
    }
}

package io.qeventd.runtime.demo;

import java.nio.file.Path;
import java.util.List;

/**
 * The demo's configuration, written as an operator would write it (see docs/configuration.md): the VMs'
 * sockets, each with its NIC {@code net0} trusted to have its RX filter mirrored onto a host device.
 */
final class DemoConfig {
    private DemoConfig() {
    }

    /** The host device behind a VM's net0 in the in-memory host network (at most 15 characters). */
    static String hostDevice(String vm) {
        return "macvtap-" + vm;
    }

    static String yaml(Path dir, DemoOptions options, List<DemoVm> vms) {
        StringBuilder y = new StringBuilder();
        y.append("plugins:\n  dir: ").append(quoted(options.pluginsDir())).append("\n  watch: false\n");
        y.append("admin:\n  socket: ").append(quoted(dir.resolve("admin.sock"))).append('\n');
        y.append("journal: ").append(quoted(options.journal().orElse(dir.resolve("journal.jsonl")))).append('\n');
        y.append("domains:\n");
        for (DemoVm vm : vms) {
            y.append("  - name: ").append(vm.name()).append('\n')
                    .append("    qmp: ").append(quoted(vm.daemonSocket())).append('\n')
                    // The demo ends when the VMs do: there is nothing to come back to.
                    .append("    reconnect: false\n")
                    .append("    nics:\n")
                    .append("      - alias: net0\n")
                    .append("        hostDevice: ").append(hostDevice(vm.name())).append('\n')
                    .append("        trustGuestRxFilters: true\n");
        }
        return y.toString();
    }

    private static String quoted(Path p) {
        return "'" + p.toAbsolutePath().toString().replace("'", "''") + "'";
    }
}

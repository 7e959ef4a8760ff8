package io.qeventd.api;

import java.util.List;
import java.util.Optional;

/** A live view of the virtual machine behind one monitor. */
public interface Domain {
    /** The configured name; unique within a daemon. */
    String name();

    /** The VM's UUID when QEMU reported one ({@code query-uuid}). */
    Optional<String> uuid();

    /** Whether the domain's monitor is connected now. A processor may see this turn false while it runs. */
    boolean isActive();

    /** The NICs the configuration lists for this domain. */
    List<Nic> nics();

    default Optional<Nic> nic(String alias) {
        return nics().stream().filter(n -> n.alias().equals(alias)).findFirst();
    }
}

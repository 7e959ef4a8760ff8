package io.qeventd.plugins.lifecycle;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The lifecycle policy of one domain.
 *
 * @param onPoweroff    after a guest-initiated SHUTDOWN
 * @param onCrash       after a GUEST_PANICKED that paused the guest (and after its dump, if any)
 * @param dumpDirectory when present, a panicked guest's memory is dumped there first
 */
public record DomainPolicy(PoweroffAction onPoweroff, CrashAction onCrash, Optional<Path> dumpDirectory) {
    static final DomainPolicy DEFAULT = new DomainPolicy(PoweroffAction.KEEP, CrashAction.PRESERVE, Optional.empty());
}

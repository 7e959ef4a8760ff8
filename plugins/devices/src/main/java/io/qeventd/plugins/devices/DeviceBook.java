package io.qeventd.plugins.devices;

import io.qeventd.api.state.SharedState;
import java.util.function.UnaryOperator;

/** Keeps each domain's {@link DomainDevices} published; updates come from workers and timers alike. */
final class DeviceBook {
    private final SharedState state;

    DeviceBook(SharedState state) {
        this.state = state;
    }

    synchronized DomainDevices update(String domain, UnaryOperator<DomainDevices> change) {
        DomainDevices next = change.apply(state.get(domain, DomainDevices.KEY).orElse(DomainDevices.EMPTY));
        state.publish(domain, DomainDevices.KEY, next);
        return next;
    }
}

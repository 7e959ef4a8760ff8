package io.qeventd.plugins.guestsignals;

/**
 * A virtio-serial port of a domain.
 *
 * @param id   the port's device id
 * @param name the port's name as the guest sees it (e.g. {@code org.qemu.guest_agent.0}), {@code null} if unknown
 * @param open whether a program in the guest has it open
 */
public record SerialPort(String id, String name, boolean open) {
    /** The name QEMU's guest agent listens on. */
    public static final String GUEST_AGENT = "org.qemu.guest_agent.0";

    public boolean isGuestAgent() {
        return GUEST_AGENT.equals(name);
    }
}

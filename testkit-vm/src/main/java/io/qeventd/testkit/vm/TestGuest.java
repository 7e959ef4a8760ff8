package io.qeventd.testkit.vm;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A booted test guest (see scripts/build-test-guest.sh): a real Linux kernel whose virtio-net driver makes
 * QEMU emit guest-driven events, with a {@link GuestShell} to run commands in it.
 *
 * <pre>{@code
 * try (TestGuest guest = TestGuest.boot(Qemu.builder().qmpSocket("test").nic("net0"))) {
 *     guest.shell().run("ip link set eth0 promisc on", Duration.ofSeconds(10)).requireSuccess();
 * }
 * }</pre>
 *
 * Under TCG the guest needs some seconds to boot; {@link #boot} returns once its shell answers.
 */
public final class TestGuest implements AutoCloseable {
    /** How long {@link #boot(QemuBuilder)} waits for the guest's shell. */
    public static final Duration DEFAULT_BOOT_TIMEOUT = Duration.ofSeconds(60);
    private static final String SHELL_CHARDEV = "guest-shell";
    private static final Logger LOG = LoggerFactory.getLogger(TestGuest.class);

    private final Qemu qemu;
    private final GuestShell shell;
    private final Path consoleLog;

    private TestGuest(Qemu qemu, GuestShell shell, Path consoleLog) {
        this.qemu = qemu;
        this.shell = shell;
        this.consoleLog = consoleLog;
    }

    /** Boots the guest in a QEMU configured by {@code qemu} and waits until its shell answers. */
    public static TestGuest boot(QemuBuilder qemu) {
        return boot(qemu, DEFAULT_BOOT_TIMEOUT);
    }

    /**
     * Adds the guest's kernel, initramfs and serial ports to {@code qemu}, starts it and waits up to
     * {@code bootTimeout} for the guest's shell. Do not pass {@code paused()}: the guest must run to answer.
     */
    public static TestGuest boot(QemuBuilder qemu, Duration bootTimeout) {
        TestGuestImage image = TestGuestImage.get();
        Path consoleLog = qemu.runDirectory().resolve("console.log");
        Path shellSocket = qemu.runDirectory().resolve("shell.sock");
        qemu.kernel(image.kernel())
                .initrd(image.initramfs())
                .append("console=ttyS0 panic=-1")
                .args("-no-reboot",
                        "-serial", "file:" + consoleLog,
                        "-chardev", "socket,id=" + SHELL_CHARDEV + ",path=" + shellSocket + ",server=on,wait=off",
                        "-serial", "chardev:" + SHELL_CHARDEV)
                .awaitSocket(shellSocket);
        long started = System.nanoTime();
        Qemu running = qemu.start();
        GuestShell shell = null;
        try {
            shell = GuestShell.connect(shellSocket, () -> diagnostics(running, consoleLog));
            shell.awaitReady(bootTimeout);
            LOG.info("test guest answered {} ms after QEMU started", (System.nanoTime() - started) / 1_000_000);
            return new TestGuest(running, shell, consoleLog);
        } catch (RuntimeException e) {
            closeQuietly(shell);
            running.close();
            throw e;
        }
    }

    /** The guest's shell, to run commands in it. */
    public GuestShell shell() {
        return shell;
    }

    /** The QEMU the guest runs in (its QMP sockets, pid, output). */
    public Qemu qemu() {
        return qemu;
    }

    /** The guest's console (ttyS0): kernel messages and /init's. Removed on {@link #close()}. */
    public Path consoleLog() {
        return consoleLog;
    }

    /** The last lines of the guest console, for failure messages. */
    public String consoleTail() {
        return Qemu.tail(consoleLog, 30);
    }

    @Override
    public void close() {
        try {
            closeQuietly(shell);
        } finally {
            qemu.close();
        }
    }

    private static String diagnostics(Qemu qemu, Path consoleLog) {
        return "QEMU " + (qemu.isAlive() ? "is running" : "has exited") + "; guest console (last 30 lines):\n"
                + Qemu.tail(consoleLog, 30) + "\nQEMU output:\n" + qemu.outputTail();
    }

    private static void closeQuietly(GuestShell shell) {
        if (shell == null) {
            return;
        }
        try {
            shell.close();
        } catch (IOException e) {
            LOG.warn("cannot close the guest shell: {}", e.toString());
        }
    }
}

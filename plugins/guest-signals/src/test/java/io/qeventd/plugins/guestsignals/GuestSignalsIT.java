package io.qeventd.plugins.guestsignals;

import static org.assertj.core.api.Assertions.assertThat;

import io.qeventd.testkit.vm.JournalLines;
import io.qeventd.testkit.TestDaemon;
import io.qeventd.testkit.vm.Qemu;
import io.qeventd.testkit.vm.QemuBuilder;
import io.qeventd.testkit.vm.QemuRawQmp;
import io.qeventd.testkit.vm.TestGuest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged plugin jar in the daemon, attached to a real Linux guest whose drivers make QEMU signal:
 * a virtio balloon the test inflates, the RTC the guest sets, the guest agent's virtio-serial port the guest
 * opens and closes, a virtio-mem device the test resizes, and an i6300esb watchdog the guest arms and lets
 * expire (QEMU then pauses it).
 */
@EnabledIfSystemProperty(named = "qeventd.plugin.jar", matches = ".+",
        disabledReason = "needs the packaged plugin jar: runs under failsafe, after package (mvn verify)")
class GuestSignalsIT {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final long BASE_OFFSET = 100;

    @TempDir
    Path dir;

    @Test
    void eachSignalOfARealGuestIsKeptAndTheRtcOffsetWrittenForTheLauncher() throws Exception {
        Path rtcDir = dir.resolve("rtc");
        QemuBuilder qemu = Qemu.builder().qmpSocket("daemon").qmpSocket("test")
                .args("-m", "256M,maxmem=1G",
                        "-device", "virtio-balloon-pci,id=balloon0",
                        "-object", "memory-backend-ram,id=vmem0-ram,size=256M",
                        "-device", "virtio-mem-pci,id=vmem0,memdev=vmem0-ram,requested-size=0",
                        "-device", "virtio-serial-pci,id=serial0",
                        "-chardev", "socket,id=agent0,path=" + Files.createDirectories(dir.resolve("s"))
                                .resolve("agent.sock") + ",server=on,wait=off",
                        "-device", "virtserialport,chardev=agent0,name=org.qemu.guest_agent.0,id=channel0",
                        "-device", "i6300esb,id=watchdog0",
                        "-action", "watchdog=pause");
        try (TestGuest guest = TestGuest.boot(qemu);
             TestDaemon fixture = TestDaemon.in(dir).domain("vm1", guest.qemu().qmpSocket("daemon"))
                     .yaml("pluginSettings:\n  guest-signals:\n    rtcStateDir: " + rtcDir
                             + "\n    domains:\n      vm1: {rtcBaseOffset: " + BASE_OFFSET + "}");
             QemuRawQmp test = QemuRawQmp.connect(guest.qemu().qmpSocket("test"), DEADLINE)) {
            fixture.pluginJar(Path.of(System.getProperty("qeventd.plugin.jar"))).start();
            fixture.awaitConnected("vm1", DEADLINE);
            Path journal = fixture.journal;

            require(test, "{\"execute\":\"balloon\",\"arguments\":{\"value\":201326592}}");
            JournalLines.awaitAction(journal, "balloon: guest memory 192 MiB", DEADLINE);

            guest.shell().run("date -s '2030-01-01 00:00:00' && hwclock -w", DEADLINE).requireSuccess();
            String rtc = JournalLines.awaitAction(journal, "rtc: offset ", DEADLINE);
            long offset = Long.parseLong(rtc.replaceAll("\\D", ""));
            long expected = Instant.parse("2030-01-01T00:00:00Z").getEpochSecond() - Instant.now().getEpochSecond()
                    + BASE_OFFSET;
            assertThat(offset).isBetween(expected - 120, expected + 5);
            assertThat(Files.readString(rtcDir.resolve("vm1.rtc-offset"))).isEqualTo(offset + "\n");

            String port = guest.shell().run("for p in /sys/class/virtio-ports/*; do [ \"$(cat $p/name)\" ="
                    + " org.qemu.guest_agent.0 ] && echo /dev/${p##*/}; done", DEADLINE).requireSuccess().output();
            guest.shell().run("sleep 600 <>" + port + " & echo $! >/tmp/agent.pid", DEADLINE).requireSuccess();
            JournalLines.awaitAction(journal, "channel0 (org.qemu.guest_agent.0): guest agent connected", DEADLINE);
            guest.shell().run("kill $(cat /tmp/agent.pid)", DEADLINE).requireSuccess();
            JournalLines.awaitAction(journal, "channel0 (org.qemu.guest_agent.0): guest agent disconnected", DEADLINE);

            require(test, "{\"execute\":\"qom-set\",\"arguments\":{\"path\":\"vmem0\",\"property\":\"requested-size\","
                    + "\"value\":134217728}}");
            JournalLines.awaitAction(journal, "vmem0: plugged 128 MiB", DEADLINE);

            // Last: the watchdog's action pauses the guest, whose shell then no longer answers.
            guest.shell().run("watchdog -T 2 -t 600 /dev/watchdog", DEADLINE).requireSuccess();
            JournalLines.awaitAction(journal, "watchdog expired: QEMU action pause", DEADLINE);

            Map<String, Object> published = fixture.daemon().status().pluginState().get("guest-signals")
                    .get("guest-signals.signals").get("vm1");
            assertThat(published).containsEntry("balloon MiB", 192L).containsEntry("watchdog", "pause")
                    .containsEntry("rtc offset s", offset).containsEntry("guest agent", "disconnected")
                    .containsEntry("virtio-mem MiB", "vmem0=128");
            assertThat(JournalLines.ofPlugin(journal, "guest-signals"))
                    .allSatisfy(l -> assertThat(l.path("outcome").asText()).as(l.toString()).isEqualTo("processed"));
        }
    }

    private static void require(QemuRawQmp qmp, String command) {
        assertThat(qmp.executeJson(command).has("return")).as(command).isTrue();
    }
}

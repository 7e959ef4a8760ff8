package io.qeventd.runtime.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.qeventd.runtime.testing.Pipeline;
import io.qeventd.testkit.vm.Qemu;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DomainIdentityTest {
    private static final String UUID = "5f1c8b0e-4a0c-4c53-9d3e-0b6f8a7e2d11";

    @Test
    void theDomainLearnsItsUuidFromQemuAfterConnecting() throws Exception {
        try (Qemu qemu = Qemu.builder().paused().qmpSocket("daemon").args("-uuid", UUID).start();
             Pipeline p = new Pipeline(Pipeline.options(1, 10))) {
            DomainHandle d = p.attach("vm1", qemu.qmpSocket("daemon"));
            d.monitor().firstConnect().get(15, TimeUnit.SECONDS);
            long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (d.uuid().isEmpty() && System.nanoTime() < end) {
                Thread.sleep(10); // polling a value another thread sets, with a deadline
            }
            assertThat(d.uuid()).contains(UUID);
            assertThat(d.isActive()).isTrue();
        }
    }
}

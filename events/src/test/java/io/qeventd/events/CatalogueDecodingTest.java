package io.qeventd.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import org.junit.jupiter.api.Test;

/** Event data as QEMU 7.2 sends it, decoded by a mapper with Jackson's defaults. */
class CatalogueDecodingTest {
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void membersDecodeByTheirQmpNames() throws Exception {
        Shutdown s = mapper.readValue("{\"guest\": true, \"reason\": \"guest-shutdown\"}", Shutdown.class);
        assertThat(s).isEqualTo(new Shutdown(true, ShutdownCause.GUEST_SHUTDOWN));
        RtcChange r = mapper.readValue("{\"offset\": -3600, \"qom-path\": \"/machine/unattached/device[0]\"}",
                RtcChange.class);
        assertThat(r.qomPath()).isEqualTo("/machine/unattached/device[0]");
        assertThat(r.offset()).isEqualTo(-3600L);
    }

    @Test
    void anAbsentOptionalMemberIsNull() throws Exception {
        DeviceDeleted d = mapper.readValue("{\"path\": \"/machine/peripheral-anon/device[0]\"}", DeviceDeleted.class);
        assertThat(d.device()).isNull();
        assertThat(d.path()).isEqualTo("/machine/peripheral-anon/device[0]");
    }

    @Test
    void aMissingMandatoryMemberFailsNamingIt() {
        assertThatThrownBy(() -> mapper.readValue("{\"device\": \"tablet\"}", DeviceDeleted.class))
                .isInstanceOf(MismatchedInputException.class).hasMessageContaining("path");
    }

    @Test
    void anEnumValueOfANewerQemuIsUnrecognizedAndUnknownMembersAreIgnored() throws Exception {
        Migration m = mapper.readValue("{\"status\": \"teleporting\", \"extra\": 1}", Migration.class);
        assertThat(m.status()).isEqualTo(MigrationStatus.UNRECOGNIZED);
        assertThat(MigrationStatus.of("postcopy-active")).isEqualTo(MigrationStatus.POSTCOPY_ACTIVE);
        assertThat(MigrationStatus.POSTCOPY_ACTIVE.value()).isEqualTo("postcopy-active");
    }

    @Test
    void unionCasesDecodeByTheirTagAndAnUnknownCaseIsUnrecognized() throws Exception {
        GuestPanicked hv = mapper.readValue("{\"action\": \"pause\", \"info\": {\"type\": \"hyper-v\", \"arg1\": 1,"
                + " \"arg2\": 2, \"arg3\": 3, \"arg4\": 4, \"arg5\": 5}}", GuestPanicked.class);
        assertThat(hv.info()).isEqualTo(new GuestPanicInformationHyperV(1, 2, 3, 4, 5));
        assertThat(hv.info().type()).isEqualTo(GuestPanicInformationType.HYPER_V);

        GuestPanicked future = mapper.readValue("{\"action\": \"run\", \"info\": {\"type\": \"tdx\", \"code\": 7}}",
                GuestPanicked.class);
        assertThat(future.info().type()).isEqualTo(GuestPanicInformationType.UNRECOGNIZED);
        assertThat(mapper.readValue("{\"action\": \"poweroff\"}", GuestPanicked.class).info()).isNull();
    }

    @Test
    void anEventWithoutDataDecodesFromAnEmptyObject() throws Exception {
        assertThat(mapper.readValue("{}", Stop.class)).isEqualTo(new Stop());
        assertThat(Stop.NAME).isEqualTo(QemuEvents.STOP);
    }
}

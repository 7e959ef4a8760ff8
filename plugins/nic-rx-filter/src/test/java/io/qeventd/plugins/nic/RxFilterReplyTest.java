package io.qeventd.plugins.nic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** query-rx-filter replies, as QEMU 7.2 sent them, read the way the daemon reads a plugin's replies. */
class RxFilterReplyTest {
    /** Configured as the daemon's per-plugin mapper is. */
    private final ObjectMapper mapper = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Test
    void readsTheReplyForARunningLinuxGuest() throws IOException {
        RxFilter[] reply = mapper.readValue(resource("query-rx-filter-linux-guest.json"), RxFilter[].class);

        assertThat(reply).hasSize(1);
        RxFilter f = reply[0];
        assertThat(f.name()).isEqualTo("net0");
        assertThat(f.mainMac()).isEqualTo("52:54:00:00:00:10");
        assertThat(f.promiscuous()).isFalse();
        assertThat(f.multicast()).isEqualTo(RxMode.ALL);
        assertThat(f.unicast()).isEqualTo(RxMode.NORMAL);
        assertThat(f.vlan()).isEqualTo(RxMode.NONE);
        assertThat(f.multicastOverflow()).isFalse();
        assertThat(f.multicastTable()).containsExactly("01:00:5e:01:02:03", "01:00:5e:00:00:01", "33:33:00:00:00:01");
        assertThat(f.usesVlans()).isFalse();
    }

    @Test
    void aNicWithoutItsDriverReportsEveryVlanAndCountsAsUsingThem() throws IOException {
        RxFilter f = mapper.readValue(resource("query-rx-filter-before-driver.json"), RxFilter[].class)[0];

        assertThat(f.vlan()).isEqualTo(RxMode.ALL);
        assertThat(f.vlanTable()).hasSize(4096);
        assertThat(f.usesVlans()).isTrue();
        assertThat(f.promiscuous()).isTrue();
    }

    @Test
    void fieldsQemuMayAddLaterAreIgnored() throws IOException {
        String json = "[{\"name\":\"net0\",\"promiscuous\":false,\"multicast\":\"normal\",\"multicast-overflow\":false,"
                + "\"main-mac\":\"52:54:00:00:00:10\",\"multicast-table\":[],\"some-future-field\":{\"x\":1}}]";

        RxFilter f = mapper.readValue(json, RxFilter[].class)[0];

        assertThat(f.vlanTable()).isEmpty();
        assertThat(f.unicastTable()).isEmpty();
    }

    @Test
    void anEntryWithoutItsMulticastTableIsRefusedRatherThanReadAsEmpty() {
        String json = "[{\"name\":\"net0\",\"promiscuous\":false,\"multicast\":\"normal\",\"multicast-overflow\":false,"
                + "\"main-mac\":\"52:54:00:00:00:10\"}]";

        assertThatThrownBy(() -> mapper.readValue(json, RxFilter[].class))
                .isInstanceOf(JsonProcessingException.class)
                .hasMessageContaining("multicast-table");
    }

    @Test
    void anEntryWithANullMacIsRefused() {
        String json = "[{\"name\":\"net0\",\"promiscuous\":false,\"multicast\":\"normal\",\"multicast-overflow\":false,"
                + "\"main-mac\":null,\"multicast-table\":[]}]";

        assertThatThrownBy(() -> mapper.readValue(json, RxFilter[].class))
                .isInstanceOf(JsonProcessingException.class)
                .hasMessageContaining("main-mac");
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = RxFilterReplyTest.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("test resource " + name + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}

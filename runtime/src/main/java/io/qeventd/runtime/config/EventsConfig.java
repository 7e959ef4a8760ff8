package io.qeventd.runtime.config;

/**
 * The live event stream that {@code qeventd events} reads ({@code events.*}).
 *
 * @param recent       how many recent records the daemon keeps for {@code qeventd events} without
 *                     {@code --follow}
 * @param clientBuffer how many records may wait for one following client before it is cut off
 */
public record EventsConfig(int recent, int clientBuffer) {
    public static final int DEFAULT_RECENT = 1000;
    public static final int DEFAULT_CLIENT_BUFFER = 10_000;

    public EventsConfig {
        if (recent < 0 || clientBuffer < 1) {
            throw new IllegalArgumentException("recent >= 0 and clientBuffer >= 1");
        }
    }

    public static EventsConfig defaults() {
        return new EventsConfig(DEFAULT_RECENT, DEFAULT_CLIENT_BUFFER);
    }
}

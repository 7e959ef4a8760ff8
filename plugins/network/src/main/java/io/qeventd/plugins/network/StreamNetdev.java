package io.qeventd.plugins.network;

import java.time.Instant;

/**
 * A stream netdev of a domain ({@code -netdev stream,id=ID,...}).
 *
 * @param id        the netdev id
 * @param connected whether it is connected to its peer now
 * @param peer      the peer's address as QEMU reported it on connecting ({@code unix:PATH}, {@code inet:HOST:PORT},
 *                  …), kept after a disconnect
 * @param since     when it connected or disconnected (QEMU's clock)
 */
public record StreamNetdev(String id, boolean connected, String peer, Instant since) {
}

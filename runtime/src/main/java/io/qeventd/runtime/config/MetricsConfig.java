package io.qeventd.runtime.config;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * The Prometheus metrics listener ({@code metrics.*}); off unless {@code metrics.listen} is written.
 *
 * @param listen the address and port to serve {@code /metrics} on, e.g. {@code 127.0.0.1:9464}
 */
public record MetricsConfig(Optional<InetSocketAddress> listen) {
    public MetricsConfig {
        Objects.requireNonNull(listen, "listen");
    }

    /** No listener. */
    public static MetricsConfig off() {
        return new MetricsConfig(Optional.empty());
    }

    /**
     * {@code HOST:PORT} ({@code [V6]:PORT} for an IPv6 literal) as an unresolved address; throws
     * IllegalArgumentException naming what was wrong.
     */
    public static InetSocketAddress parseListen(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("expected HOST:PORT (e.g. 127.0.0.1:9464), got '" + text + "'");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("write an IPv6 address in brackets ([::1]:9464), got '" + text + "'");
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the port of '" + text + "' is not a number");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("the port of '" + text + "' is not between 0 and 65535");
        }
        return InetSocketAddress.createUnresolved(host, port);
    }
}

package io.qeventd.plugins.network;

import com.google.inject.Inject;
import io.qeventd.api.Event;
import io.qeventd.api.EventHandlers;
import io.qeventd.api.Handler;
import io.qeventd.api.PluginSettings;
import io.qeventd.api.ProcessContext;
import io.qeventd.api.state.SharedState;
import io.qeventd.api.state.StateKey;
import io.qeventd.events.FdSocketAddress;
import io.qeventd.events.InetSocketAddress;
import io.qeventd.events.NetdevStreamConnected;
import io.qeventd.events.NetdevStreamDisconnected;
import io.qeventd.events.SocketAddress;
import io.qeventd.events.UnixSocketAddress;
import io.qeventd.events.VsockSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.pf4j.Extension;

/**
 * NETDEV_STREAM_CONNECTED and NETDEV_STREAM_DISCONNECTED: each stream netdev's connection per domain
 * ({@link DomainNetdevs}), and the reconnect policy of {@link NetworkSettings}: when a configured netdev
 * disconnects, its peer is restarted by a host command, as libvirt restarts passt.
 */
@Extension
public final class NetworkHandlers implements EventHandlers {
    /** Each domain's stream netdevs, as {@code qeventd status} and other plugins read them. */
    public static final StateKey<DomainNetdevs> STREAMS = StateKey.of("network.streams", DomainNetdevs.class);

    private final NetworkSettings settings;
    private final SharedState state;
    private final Map<String, DomainNetdevs> domains = new ConcurrentHashMap<>();

    @Inject
    public NetworkHandlers(PluginSettings settings, SharedState state) {
        this(NetworkSettings.from(settings), state);
    }

    NetworkHandlers(NetworkSettings settings, SharedState state) {
        this.settings = settings;
        this.state = state;
    }

    @Override
    public List<Handler<?>> handlers() {
        return List.of(
                Handler.on(NetdevStreamConnected.NAME, NetdevStreamConnected.class).type(NetworkEvent.STREAM_CONNECTED)
                        .process(this::connected),
                Handler.on(NetdevStreamDisconnected.NAME, NetdevStreamDisconnected.class)
                        .type(NetworkEvent.STREAM_DISCONNECTED).process(this::disconnected));
    }

    void connected(ProcessContext ctx, Event<NetdevStreamConnected> event) {
        NetdevStreamConnected c = event.payload();
        String peer = describe(c.addr());
        record(ctx, new StreamNetdev(c.netdevId(), true, peer, event.timestamp().toInstant()));
        ctx.report(c.netdevId() + ": connected to " + peer);
    }

    void disconnected(ProcessContext ctx, Event<NetdevStreamDisconnected> event) throws Exception {
        String id = event.payload().netdevId();
        String domain = ctx.domain().name();
        StreamNetdev before = domains.getOrDefault(domain, DomainNetdevs.NONE).netdevs().get(id);
        record(ctx, new StreamNetdev(id, false, before == null ? null : before.peer(), event.timestamp().toInstant()));
        ctx.report(id + ": disconnected");
        NetworkSettings.Reconnect reconnect = settings.reconnect(domain, id);
        if (reconnect == null) {
            ctx.log().warn("domain '{}': stream netdev {} disconnected; no reconnect configured", domain, id);
            return;
        }
        PeerRestart.run(reconnect, domain, id);
        ctx.report(id + ": peer restarted (" + String.join(" ", reconnect.command()) + ")");
    }

    private void record(ProcessContext ctx, StreamNetdev netdev) {
        DomainNetdevs now = domains.compute(ctx.domain().name(),
                (d, old) -> (old == null ? DomainNetdevs.NONE : old).with(netdev));
        state.publish(ctx.domain().name(), STREAMS, now);
    }

    private static String describe(SocketAddress address) {
        if (address instanceof UnixSocketAddress u) {
            return "unix:" + u.path();
        } else if (address instanceof InetSocketAddress i) {
            return "inet:" + i.host() + ":" + i.port();
        } else if (address instanceof VsockSocketAddress v) {
            return "vsock:" + v.cid() + ":" + v.port();
        } else if (address instanceof FdSocketAddress f) {
            return "fd:" + f.str();
        }
        return "unknown address";
    }
}

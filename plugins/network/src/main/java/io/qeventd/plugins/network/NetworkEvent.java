package io.qeventd.plugins.network;

import io.qeventd.api.EventType;

/** The process events this plugin queues. */
public enum NetworkEvent implements EventType {
    /** NETDEV_STREAM_CONNECTED: a stream netdev connected to its peer (or its peer connected to it). */
    STREAM_CONNECTED,
    /** NETDEV_STREAM_DISCONNECTED: a stream netdev lost its peer. */
    STREAM_DISCONNECTED
}

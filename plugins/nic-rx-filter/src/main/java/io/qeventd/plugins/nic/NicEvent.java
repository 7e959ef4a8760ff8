package io.qeventd.plugins.nic;

import io.qeventd.api.EventType;

/** The process events this plugin queues. */
public enum NicEvent implements EventType {
    /** The guest changed a NIC's receive filter (QMP NIC_RX_FILTER_CHANGED). */
    RX_FILTER_CHANGED
}

package io.qeventd.api.state;

import java.util.Map;

/**
 * A published value that says how {@code qeventd status} shows it: one column per field, in the map's order.
 * Field values should be strings, numbers, booleans or null; anything else is shown as its
 * {@code toString()}. A value that does not implement this is shown in a single column, {@code value}.
 */
public interface StatusFields {
    Map<String, Object> statusFields();
}

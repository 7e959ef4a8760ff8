package io.qeventd.events;

/**
 * What every QAPI enum of the catalogue shares: its value on the wire, and a constant for values a newer
 * QEMU adds.
 */
public interface QapiEnum {
    /** The value on the wire; null for the constant that stands for values this catalogue does not know. */
    String value();

    /** The constant among {@code constants} whose wire value is {@code value}, else {@code unrecognized}. */
    static <E extends QapiEnum> E of(E[] constants, String value, E unrecognized) {
        for (E c : constants) {
            if (c.value() != null && c.value().equals(value)) {
                return c;
            }
        }
        return unrecognized;
    }

    /** The wire value, or {@code unrecognized}. */
    static String toString(QapiEnum e) {
        return e.value() == null ? "unrecognized" : e.value();
    }
}

package io.qeventd.plugins.nic;

/** Mirroring a guest's receive filter onto its host device did not fully succeed; the message says what failed. */
public class RxFilterSyncException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RxFilterSyncException(String message) {
        super(message);
    }
}

package io.qeventd.testkit.qmp;

/** How the fake server ends each line it writes. */
public enum LineEnding {
    /** What QEMU writes. */
    CRLF("\r\n"),
    /** What most other QMP servers and hand-written scripts write. */
    LF("\n");

    private final String chars;

    LineEnding(String chars) {
        this.chars = chars;
    }

    public String chars() {
        return chars;
    }
}

package io.qeventd.runtime.log;

/**
 * Text that came from outside (a monitor, a plugin's file name) made safe for a log line: control characters
 * (a newline that would start a forged line, an escape sequence for the terminal) are shown escaped, and the
 * text is cut at a length a reader can take in.
 */
public final class LogText {
    public static final int MAX_CHARS = 200;

    private LogText() {
    }

    public static String safe(Object value) {
        String s = String.valueOf(value);
        StringBuilder out = new StringBuilder(Math.min(s.length(), MAX_CHARS) + 8);
        for (int i = 0; i < s.length(); i++) {
            if (out.length() >= MAX_CHARS) {
                out.append("…(").append(s.length()).append(" chars)");
                break;
            }
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || c >= 0x80 && c < 0xa0 || c == '\u2028' || c == '\u2029') {
                out.append(String.format("\\x%02x", (int) c & 0xff));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}

package io.qeventd.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version of this api, which plugins name in their {@code Plugin-Requires}. */
public final class ApiVersion {
    private static final String VERSION = read();

    private ApiVersion() {
    }

    public static String get() {
        return VERSION;
    }

    private static String read() {
        try (InputStream in = ApiVersion.class.getResourceAsStream("api.properties")) {
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.qeventd.runtime.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Properties;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** Reads a plugin file's id without loading it, e.g. to give its settings to the check before the load. */
public final class PluginDescriptors {
    private PluginDescriptors() {
    }

    /** The {@code Plugin-Id} of a jar's manifest or the {@code plugin.id} of its plugin.properties; null if none. */
    public static String peekId(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry props = zip.getEntry("plugin.properties");
            if (props != null) {
                try (InputStream in = zip.getInputStream(props)) {
                    Properties p = new Properties();
                    p.load(in);
                    String id = p.getProperty("plugin.id");
                    if (id != null) {
                        return id.strip();
                    }
                }
            }
            ZipEntry mf = zip.getEntry("META-INF/MANIFEST.MF");
            if (mf != null) {
                try (InputStream in = zip.getInputStream(mf)) {
                    String id = new Manifest(in).getMainAttributes().getValue("Plugin-Id");
                    return id == null ? null : id.strip();
                }
            }
        } catch (IOException e) {
            return null; // not a readable archive: the check that follows says so
        }
        return null;
    }
}

package io.qeventd.runtime.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Locale;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.pf4j.ManifestPluginDescriptorFinder;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginDescriptorFinder;
import org.pf4j.PropertiesPluginDescriptorFinder;

/**
 * The archive-level facts about a plugin file that PF4J only logs or reports vaguely: is it a readable
 * zip, where is its descriptor, does it carry an extension index. Reads a private copy of the file.
 */
final class PluginInspectorArchive {

    enum Format {
        /** Classes at the root, descriptor in {@code META-INF/MANIFEST.MF} or {@code plugin.properties}. */
        JAR("META-INF/"),
        /** PF4J's zip layout: {@code plugin.properties} at the root, classes under {@code classes/}. */
        ZIP("classes/META-INF/");

        private final String metaInf;

        Format(String metaInf) {
            this.metaInf = metaInf;
        }

        String manifestEntry() {
            return metaInf + "MANIFEST.MF";
        }

        String indexEntry() {
            return metaInf + "extensions.idx";
        }

        static Format of(Path file) {
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            return name.endsWith(".zip") ? ZIP : name.endsWith(".jar") ? JAR : null;
        }
    }

    /** Where PF4J will take the descriptor from, with the key names a message should use. */
    enum DescriptorSource {
        PROPERTIES("plugin.properties", "plugin.id", "plugin.version", "plugin.requires", "plugin.dependencies"),
        MANIFEST("MANIFEST.MF", "Plugin-Id", "Plugin-Version", "Plugin-Requires", "Plugin-Dependencies");

        final String file;
        final String idKey;
        final String versionKey;
        final String requiresKey;
        final String dependenciesKey;

        DescriptorSource(String file, String idKey, String versionKey, String requiresKey, String dependenciesKey) {
            this.file = file;
            this.idKey = idKey;
            this.versionKey = versionKey;
            this.requiresKey = requiresKey;
            this.dependenciesKey = dependenciesKey;
        }

        PluginDescriptorFinder finder() {
            return this == PROPERTIES ? new PropertiesPluginDescriptorFinder() : new ManifestPluginDescriptorFinder();
        }
    }

    static final String PROPERTIES_ENTRY = "plugin.properties";

    private final Path copy;
    private final Format format;
    private final DescriptorSource descriptorSource;
    private final boolean hasIndex;

    private PluginInspectorArchive(Path copy, Format format, DescriptorSource descriptorSource, boolean hasIndex) {
        this.copy = copy;
        this.format = format;
        this.descriptorSource = descriptorSource;
        this.hasIndex = hasIndex;
    }

    /**
     * Opens the copy and reads every entry through, so a damaged entry shows here rather than as a
     * class that fails to load later.
     *
     * @throws IOException naming the entry when the archive or one of its entries cannot be read
     */
    static PluginInspectorArchive read(Path copy, Format format) throws IOException {
        try (ZipFile zip = new ZipFile(copy.toFile())) {
            byte[] buffer = new byte[8192];
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                try (InputStream in = zip.getInputStream(entry)) {
                    while (in.read(buffer) >= 0) {
                        // reading to the end checks the entry's CRC
                    }
                } catch (IOException damaged) {
                    throw new IOException("entry " + entry.getName() + " is damaged (" + damaged.getMessage() + ")",
                            damaged);
                }
            }
            DescriptorSource source = null;
            if (zip.getEntry(PROPERTIES_ENTRY) != null) {
                source = DescriptorSource.PROPERTIES; // PF4J tries plugin.properties first
            } else if (manifestNamesPlugin(zip, format.manifestEntry())) {
                source = DescriptorSource.MANIFEST;
            }
            return new PluginInspectorArchive(copy, format, source, zip.getEntry(format.indexEntry()) != null);
        }
    }

    private static boolean manifestNamesPlugin(ZipFile zip, String entryName) throws IOException {
        ZipEntry entry = zip.getEntry(entryName);
        if (entry == null) {
            return false;
        }
        try (InputStream in = zip.getInputStream(entry)) {
            return new Manifest(in).getMainAttributes().getValue(ManifestPluginDescriptorFinder.PLUGIN_ID) != null;
        }
    }

    Format format() {
        return format;
    }

    /** Null when there is neither a {@code plugin.properties} nor a manifest with {@code Plugin-Id}. */
    DescriptorSource descriptorSource() {
        return descriptorSource;
    }

    boolean hasIndex() {
        return hasIndex;
    }

    /** The descriptor as PF4J reads it (no validation beyond PF4J's own parsing). */
    PluginDescriptor descriptor() {
        return descriptorSource.finder().find(copy);
    }
}

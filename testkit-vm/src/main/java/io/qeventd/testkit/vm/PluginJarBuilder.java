package io.qeventd.testkit.vm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Builds real PF4J plugin jars and zips inside a test, from Java sources compiled on the spot.
 *
 * <pre>{@code
 * Path jar = PluginJarBuilder.create("nic-sync")
 *         .version("1.0.0").requires(">=0.1.0")
 *         .source("com.example.NicHandlers", "package com.example; ...")
 *         .build(pluginsDir.resolve("nic-sync.jar"));
 * }</pre>
 *
 * <p>Sources compile against the test's classpath (api, PF4J) with PF4J's annotation processor, so
 * {@code @Extension} classes land in {@code META-INF/extensions.idx} as in a Maven build. A jar holds
 * the classes at its root; a zip has the layout PF4J expands: {@code plugin.properties} at the root,
 * classes under {@code classes/}.
 */
public final class PluginJarBuilder {

    /** Where the plugin descriptor goes. */
    public enum Descriptor {
        /** {@code Plugin-*} attributes in {@code META-INF/MANIFEST.MF}. */
        MANIFEST,
        /** A {@code plugin.properties} file. */
        PROPERTIES,
        /** None: a plain jar, as a build that forgot the plugin attributes makes. */
        NONE
    }

    private final String pluginId;
    private String version = "1.0.0";
    private String requires;
    private final List<String> dependencies = new ArrayList<>();
    private String pluginClass;
    private String provider = "qeventd tests";
    private Descriptor descriptor = Descriptor.MANIFEST;
    private final Map<String, String> sources = new LinkedHashMap<>();
    private final Map<String, byte[]> resources = new LinkedHashMap<>();
    private final List<Path> extraClasspath = new ArrayList<>();
    private boolean extensionIndex = true;
    private Map<String, byte[]> compiled;

    private PluginJarBuilder(String pluginId) {
        this.pluginId = Objects.requireNonNull(pluginId, "pluginId");
    }

    /** A builder of plugin {@code pluginId}'s jar. */
    public static PluginJarBuilder create(String pluginId) {
        return new PluginJarBuilder(pluginId);
    }

    public PluginJarBuilder version(String version) {
        this.version = version;
        return this;
    }

    /** The {@code Plugin-Requires} expression, e.g. {@code >=0.1.0}; unset by default. */
    public PluginJarBuilder requires(String requires) {
        this.requires = requires;
        return this;
    }

    /** {@code Plugin-Dependencies} entries such as {@code other@1.0.0} or {@code optional?}. */
    public PluginJarBuilder dependencies(String... dependencies) {
        this.dependencies.addAll(Arrays.asList(dependencies));
        return this;
    }

    /** The {@code Plugin-Class}; without it PF4J uses its plain {@code org.pf4j.Plugin}. */
    public PluginJarBuilder pluginClass(String className) {
        this.pluginClass = className;
        return this;
    }

    public PluginJarBuilder provider(String provider) {
        this.provider = provider;
        return this;
    }

    public PluginJarBuilder descriptor(Descriptor descriptor) {
        this.descriptor = Objects.requireNonNull(descriptor, "descriptor");
        return this;
    }

    /** A Java source file; {@code className} is its top-level class, e.g. {@code com.example.Foo}. */
    public PluginJarBuilder source(String className, String code) {
        sources.put(className, code);
        compiled = null;
        return this;
    }

    /** A file put next to the classes, e.g. {@code com/example/defaults.yaml}. */
    public PluginJarBuilder resource(String path, byte[] bytes) {
        resources.put(path, bytes.clone());
        return this;
    }

    public PluginJarBuilder resource(String path, String text) {
        return resource(path, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Adds jars or class directories the sources compile against, beyond the test's classpath. */
    public PluginJarBuilder classpath(Path... entries) {
        extraClasspath.addAll(Arrays.asList(entries));
        compiled = null;
        return this;
    }

    /** Leaves {@code META-INF/extensions.idx} out, as a build without PF4J's annotation processor would. */
    public PluginJarBuilder withoutExtensionIndex() {
        this.extensionIndex = false;
        return this;
    }

    /** The plugin's version, as its descriptor states it. */
    public String version() {
        return version;
    }

    /** The compiled classes and generated resources, by jar entry name. */
    public Map<String, byte[]> classes() {
        if (compiled == null) {
            compiled = PluginJarCompiler.compile(pluginId, sources, extraClasspath);
        }
        if (!extensionIndex) {
            Map<String, byte[]> withoutIndex = new LinkedHashMap<>(compiled);
            withoutIndex.remove(PluginJarCompiler.EXTENSION_INDEX);
            return withoutIndex;
        }
        return compiled;
    }

    /** The jar's bytes. */
    public byte[] jarBytes() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        if (descriptor == Descriptor.PROPERTIES) {
            entries.put("plugin.properties", properties());
        }
        entries.putAll(classes());
        entries.putAll(resources);
        return archive(manifest(descriptor == Descriptor.MANIFEST), "META-INF/MANIFEST.MF", entries);
    }

    /** The zip's bytes, laid out as PF4J expands a zip plugin. */
    public byte[] zipBytes() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        if (descriptor == Descriptor.PROPERTIES) {
            entries.put("plugin.properties", properties());
        }
        classes().forEach((name, bytes) -> entries.put("classes/" + name, bytes));
        resources.forEach((name, bytes) -> entries.put("classes/" + name, bytes));
        Manifest manifest = descriptor == Descriptor.MANIFEST ? manifest(true) : null;
        return archive(manifest, "classes/META-INF/MANIFEST.MF", entries);
    }

    /** Writes the jar to {@code jar} (replacing it) and returns {@code jar}. */
    public Path build(Path jar) {
        return write(jar, jarBytes());
    }

    /** Writes the zip to {@code zip} (replacing it) and returns {@code zip}. */
    public Path buildZip(Path zip) {
        return write(zip, zipBytes());
    }

    /** Writes only the first {@code length} bytes of the jar: a file still being copied. */
    public Path buildPartial(Path jar, int length) {
        byte[] bytes = jarBytes();
        if (length < 0 || length >= bytes.length) {
            throw new IllegalArgumentException("length " + length + " is not within the jar's " + bytes.length + " bytes");
        }
        return write(jar, Arrays.copyOf(bytes, length));
    }

    /**
     * Writes a jar of full length whose zip directory is destroyed: every reader refuses it, as it would a
     * file damaged on disk or in transfer.
     */
    public Path buildCorrupt(Path jar) {
        byte[] bytes = jarBytes();
        // The end-of-central-directory record sits in the last 22 bytes (no archive comment is written);
        // without it no zip reader can find the entries.
        Arrays.fill(bytes, bytes.length - 22, bytes.length, (byte) 0x5a);
        return write(jar, bytes);
    }

    private Manifest manifest(boolean withPluginAttributes) {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (withPluginAttributes) {
            put(main, "Plugin-Id", pluginId);
            put(main, "Plugin-Version", version);
            put(main, "Plugin-Requires", requires);
            put(main, "Plugin-Class", pluginClass);
            put(main, "Plugin-Provider", provider);
            put(main, "Plugin-Dependencies", dependencies.isEmpty() ? null : String.join(", ", dependencies));
        }
        return manifest;
    }

    private static void put(Attributes attributes, String name, String value) {
        if (value != null) {
            attributes.putValue(name, value);
        }
    }

    private byte[] properties() {
        Properties p = new Properties();
        putIfSet(p, "plugin.id", pluginId);
        putIfSet(p, "plugin.version", version);
        putIfSet(p, "plugin.requires", requires);
        putIfSet(p, "plugin.class", pluginClass);
        putIfSet(p, "plugin.provider", provider);
        putIfSet(p, "plugin.dependencies", dependencies.isEmpty() ? null : String.join(", ", dependencies));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            p.store(out, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void putIfSet(Properties p, String key, String value) {
        if (value != null) {
            p.setProperty(key, value);
        }
    }

    private static byte[] archive(Manifest manifest, String manifestEntry, Map<String, byte[]> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            if (manifest != null) {
                zip.putNextEntry(new ZipEntry(manifestEntry));
                manifest.write(zip);
                zip.closeEntry();
            }
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static Path write(Path target, byte[] bytes) {
        try {
            Path parent = target.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.write(target, bytes);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write plugin archive " + target, e);
        }
    }
}

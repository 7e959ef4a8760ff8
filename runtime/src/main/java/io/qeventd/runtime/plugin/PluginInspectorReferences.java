package io.qeventd.runtime.plugin;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Finds every class a plugin's bytecode uses (supertypes, field and method types, instructions, constants) and
 * reports those that will not resolve in the daemon: neither in the plugin (its classes and, for a zip, its
 * {@code lib/} jars), nor in the JDK, nor in the packages the daemon shares with every plugin, nor in a plugin it
 * depends on. Such a class loads fine in the plugin's own tests (where the library is on the class path) and
 * fails in the daemon with {@code NoClassDefFoundError} the first time the code that uses it runs. Annotations
 * are not counted: a missing annotation class does not stop a class from loading.
 */
final class PluginInspectorReferences {
    private static final int MAX_REPORTED = 10;

    private final Map<String, String> referrers = new TreeMap<>(); // referenced class -> first class referring to it
    private final Set<String> defined = new HashSet<>();
    /** Where the plugin's own bytecode ends the JVM: "System.exit in com.example.Foo.bar". */
    private final Set<String> exits = new java.util.TreeSet<>();

    /** Reads the plugin archive and the archives of plugins it depends on (their classes count as defined). */
    static List<String> missing(Path archive, PluginInspectorArchive.Format format, Collection<Path> dependencies,
                                ClassLoader daemon) throws IOException {
        PluginInspectorReferences refs = new PluginInspectorReferences();
        refs.read(archive, format, true);
        for (Path dependency : dependencies) {
            refs.read(dependency, PluginInspectorArchive.Format.of(dependency), false);
        }
        return refs.unresolved(daemon);
    }

    /**
     * Where the plugin's bytecode (its own classes and bundled libraries) calls {@code System.exit},
     * {@code Runtime.exit} or {@code Runtime.halt}: a plugin that can end the daemon is refused before any of its
     * code runs. (A call made through reflection is not found here.)
     */
    static List<String> exitCalls(Path archive, PluginInspectorArchive.Format format) throws IOException {
        PluginInspectorReferences refs = new PluginInspectorReferences();
        refs.read(archive, format, true);
        return List.copyOf(refs.exits);
    }

    private void read(Path archive, PluginInspectorArchive.Format format, boolean collect) throws IOException {
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                String name = entry.getName();
                try (InputStream in = zip.getInputStream(entry)) {
                    if (format == PluginInspectorArchive.Format.ZIP && name.startsWith("lib/") && name.endsWith(".jar")) {
                        readNestedJar(in.readAllBytes(), collect);
                    } else if (isClass(name, format)) {
                        readClass(in.readAllBytes(), collect);
                    }
                }
            }
        }
    }

    private static boolean isClass(String name, PluginInspectorArchive.Format format) {
        return name.endsWith(".class") && !name.endsWith("module-info.class")
                && (format != PluginInspectorArchive.Format.ZIP || name.startsWith("classes/"));
    }

    private void readNestedJar(byte[] jar, boolean collect) throws IOException {
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(jar))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                if (entry.getName().endsWith(".class") && !entry.getName().endsWith("module-info.class")) {
                    readClass(in.readAllBytes(), collect);
                }
            }
        }
    }

    private void readClass(byte[] bytes, boolean collect) {
        ClassReader reader = new ClassReader(bytes);
        defined.add(reader.getClassName());
        if (collect) {
            reader.accept(new Collector(reader.getClassName()), ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        }
    }

    private List<String> unresolved(ClassLoader daemon) {
        List<String> out = new ArrayList<>();
        int count = 0;
        for (Map.Entry<String, String> e : referrers.entrySet()) {
            String internal = e.getKey();
            if (defined.contains(internal) || resolvesOutsideThePlugin(internal, daemon)) {
                continue;
            }
            if (++count <= MAX_REPORTED) {
                out.add("class " + internal.replace('/', '.') + ", used by " + e.getValue().replace('/', '.')
                        + ", is neither in the plugin nor provided by qeventd");
            }
        }
        if (count > MAX_REPORTED) {
            out.add((count - MAX_REPORTED) + " more classes used by the plugin are missing in the same way");
        }
        return out;
    }

    /** The JDK's classes, and the shared packages the daemon gives every plugin. */
    private static boolean resolvesOutsideThePlugin(String internal, ClassLoader daemon) {
        String resource = internal + ".class";
        if (ClassLoader.getPlatformClassLoader().getResource(resource) != null) {
            return true;
        }
        return QeventdClassLoader.isShared(internal.replace('/', '.')) && daemon.getResource(resource) != null;
    }

    private void use(String internalName, String referrer) {
        if (internalName != null && !internalName.isEmpty()) {
            referrers.putIfAbsent(internalName, referrer);
        }
    }

    private void useType(Type type, String referrer) {
        switch (type.getSort()) {
            case Type.ARRAY -> useType(type.getElementType(), referrer);
            case Type.OBJECT -> use(type.getInternalName(), referrer);
            case Type.METHOD -> {
                useType(type.getReturnType(), referrer);
                for (Type t : type.getArgumentTypes()) {
                    useType(t, referrer);
                }
            }
            default -> { }
        }
    }

    private void useDescriptor(String descriptor, String referrer) {
        if (descriptor != null) {
            useType(descriptor.startsWith("(") ? Type.getMethodType(descriptor) : Type.getType(descriptor), referrer);
        }
    }

    private void useConstant(Object value, String referrer) {
        if (value instanceof Type t) {
            useType(t, referrer);
        } else if (value instanceof Handle h) {
            use(h.getOwner(), referrer);
            useDescriptor(h.getDesc(), referrer);
        }
    }

    private final class Collector extends ClassVisitor {
        private final String self;

        Collector(String self) {
            super(Opcodes.ASM9);
            this.self = self;
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName,
                          String[] interfaces) {
            use(superName, self);
            if (interfaces != null) {
                for (String i : interfaces) {
                    use(i, self);
                }
            }
        }

        @Override
        public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
            useDescriptor(descriptor, self);
            return null;
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                         String[] exceptions) {
            useDescriptor(descriptor, self);
            if (exceptions != null) {
                for (String e : exceptions) {
                    use(e, self);
                }
            }
            return new MethodVisitor(Opcodes.ASM9) {
                @Override
                public void visitTypeInsn(int opcode, String type) {
                    useType(Type.getObjectType(type), self);
                }

                @Override
                public void visitFieldInsn(int opcode, String owner, String fieldName, String fieldDescriptor) {
                    useType(Type.getObjectType(owner), self);
                    useDescriptor(fieldDescriptor, self);
                }

                @Override
                public void visitMethodInsn(int opcode, String owner, String methodName, String methodDescriptor,
                                            boolean isInterface) {
                    useType(Type.getObjectType(owner), self);
                    useDescriptor(methodDescriptor, self);
                    boolean exit = "java/lang/System".equals(owner) && "exit".equals(methodName)
                            || "java/lang/Runtime".equals(owner)
                            && ("exit".equals(methodName) || "halt".equals(methodName));
                    if (exit) {
                        exits.add(owner.substring(owner.lastIndexOf('/') + 1) + "." + methodName + " in "
                                + self.replace('/', '.') + "." + name);
                    }
                }

                @Override
                public void visitInvokeDynamicInsn(String indyName, String indyDescriptor, Handle bootstrap,
                                                   Object... arguments) {
                    useDescriptor(indyDescriptor, self);
                    useConstant(bootstrap, self);
                    for (Object a : arguments) {
                        useConstant(a, self);
                    }
                }

                @Override
                public void visitLdcInsn(Object value) {
                    useConstant(value, self);
                }

                @Override
                public void visitMultiANewArrayInsn(String arrayDescriptor, int dimensions) {
                    useDescriptor(arrayDescriptor, self);
                }

                @Override
                public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
                    use(type, self);
                }
            };
        }
    }
}

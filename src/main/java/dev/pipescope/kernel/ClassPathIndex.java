package dev.pipescope.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * What the kernel's class path already holds, to tell which jars {@code %maven} resolved would add
 * nothing: libraries by Maven coordinates (from the {@code META-INF/maven/.../pom.properties} that jars
 * and the kernel's shaded jar carry), and any class file by name (for jars without that file).
 */
final class ClassPathIndex {

    private static final String POM_PROPERTIES = "pom.properties";

    /** {@code group:artifact} -> version, for the libraries on the class path. */
    private final Map<String, String> versions = new ConcurrentHashMap<>();

    /** Reads the coordinates of every jar {@code loader} loads classes from (those with a manifest). */
    static ClassPathIndex of(ClassLoader loader) {
        ClassPathIndex index = new ClassPathIndex();
        try {
            Enumeration<URL> manifests = loader.getResources("META-INF/MANIFEST.MF");
            while (manifests.hasMoreElements()) {
                jarOf(manifests.nextElement()).ifPresent(index::addJar);
            }
        } catch (IOException e) {
            throw new MagicError("%maven cannot list the kernel's class path: " + e.getMessage());
        }
        return index;
    }

    /** The version of {@code groupId:artifactId} on the class path, if it is there. */
    Optional<String> versionOf(String groupId, String artifactId) {
        return Optional.ofNullable(versions.get(groupId + ":" + artifactId));
    }

    /** Records a library put on the class path (so a later {@code %maven} of another version is a clash). */
    void add(String groupId, String artifactId, String version) {
        versions.putIfAbsent(groupId + ":" + artifactId, version);
    }

    /** Records every library whose {@code pom.properties} {@code jar} carries. */
    void addJar(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            Enumeration<JarEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                String name = entry.getName();
                if (name.startsWith("META-INF/maven/") && name.endsWith("/" + POM_PROPERTIES)) {
                    Properties properties = new Properties();
                    try (InputStream in = file.getInputStream(entry)) {
                        properties.load(in);
                    }
                    String group = properties.getProperty("groupId");
                    String artifact = properties.getProperty("artifactId");
                    String version = properties.getProperty("version");
                    if (group != null && artifact != null && version != null) {
                        add(group, artifact, version);
                    }
                }
            }
        } catch (IOException e) {
            throw new MagicError("%maven cannot read the jar " + jar + " to see which libraries it holds: " + e.getMessage());
        }
    }

    /** A class a jar brings that the class path already has, and where the class path has it. */
    record ShadowedClass(String className, String alreadyIn) {
    }

    /**
     * The first class of {@code jar} that {@code loader} already loads from elsewhere: such a jar's
     * classes would be shadowed (the class path's own copies win).
     */
    static Optional<ShadowedClass> shadowedClass(Path jar, ClassLoader loader) {
        try (JarFile file = new JarFile(jar.toFile())) {
            Enumeration<JarEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                String name = entries.nextElement().getName();
                if (!name.endsWith(".class") || name.startsWith("META-INF/") || name.endsWith("module-info.class")) {
                    continue;
                }
                URL existing = loader.getResource(name);
                if (existing != null) {
                    return Optional.of(new ShadowedClass(name.substring(0, name.length() - ".class".length()).replace('/', '.'),
                            source(existing)));
                }
            }
        } catch (IOException e) {
            throw new MagicError("%maven cannot read the jar " + jar + ": " + e.getMessage());
        }
        return Optional.empty();
    }

    private static String source(URL resource) {
        String text = resource.toString();
        if (text.startsWith("jar:")) {
            int bang = text.indexOf("!/");
            return bang > 0 ? jarOf(resource).map(Path::toString).orElse(text.substring(4, bang)) : text;
        }
        return text.startsWith("jrt:/") ? "the JDK (" + text.substring(5, text.indexOf('/', 5)) + ")" : text;
    }

    /** The jar a {@code jar:file:/x.jar!/entry} URL points into, if it is a local file. */
    private static Optional<Path> jarOf(URL resource) {
        String text = resource.toString();
        int bang = text.indexOf("!/");
        if (!text.startsWith("jar:file:") || bang < 0) {
            return Optional.empty();
        }
        try {
            Path path = Path.of(new java.net.URI(text.substring(4, bang)));
            return Files.isRegularFile(path) ? Optional.of(path) : Optional.empty();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}

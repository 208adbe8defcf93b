package dev.pipescope.notebook;

import dev.pipescope.kernel.IntegrationContext;
import dev.pipescope.kernel.NotebookIntegration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Collection;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Pipescope's own notebook integration: imports the library's API so that a notebook can start
 * with {@code var db = Pipescope.openReadOnly(...)}.
 *
 * <p>An import-on-demand of a package without classes fails in JShell, so each Pipescope package is
 * imported only if it has classes on the class path at run time.
 */
public final class PipescopeIntegration implements NotebookIntegration {

    /** Library packages a notebook uses directly, imported when present. */
    static final List<String> LIBRARY_PACKAGES = List.of("dev.pipescope", "dev.pipescope.domain");
    /** JDK packages every Pipescope notebook uses (java.nio.file and java.util are JShell defaults too). */
    static final List<String> JDK_PACKAGES = List.of("java.nio.file", "java.time", "java.util");

    @Override
    public void configure(IntegrationContext context) {
        Set<String> present = packagesWithClasses(PipescopeIntegration.class.getClassLoader(), LIBRARY_PACKAGES);
        for (String pkg : LIBRARY_PACKAGES) {
            if (present.contains(pkg)) {
                context.addImport(pkg + ".*");
            }
        }
        for (String pkg : JDK_PACKAGES) {
            context.addImport(pkg + ".*");
        }
    }

    static boolean hasClasses(ClassLoader loader, String pkg) {
        return packagesWithClasses(loader, List.of(pkg)).contains(pkg);
    }

    /**
     * Which of {@code wanted} have a class file of their own (not only sub-packages) on the class path.
     * Each jar is read once: the shaded jar has tens of thousands of entries.
     */
    static Set<String> packagesWithClasses(ClassLoader loader, Collection<String> wanted) {
        Set<String> present = new HashSet<>();
        Set<Path> jars = new LinkedHashSet<>();
        try {
            for (String pkg : wanted) {
                String dir = pkg.replace('.', '/') + "/";
                Enumeration<URL> roots = loader.getResources(dir);
                while (roots.hasMoreElements()) {
                    String location = roots.nextElement().toString();
                    if (location.startsWith("jar:")) {
                        jars.add(Path.of(toUri(location.substring("jar:".length(), location.indexOf("!/")))));
                    } else if (location.startsWith("file:") && directoryHasClass(Path.of(toUri(location)))) {
                        present.add(pkg);
                    }
                }
            }
            // a jar without directory entries lists no resource for a directory: read our own jar too
            CodeSource source = PipescopeIntegration.class.getProtectionDomain().getCodeSource();
            if (source != null && source.getLocation().toString().startsWith("file:")) {
                Path own = Path.of(toUri(source.getLocation().toString()));
                if (Files.isRegularFile(own)) {
                    jars.add(own);
                }
            }
            for (Path jar : jars) {
                addPackagesOfJar(jar, wanted, present);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot look for the classes of packages " + wanted, e);
        }
        return present;
    }

    private static boolean directoryHasClass(Path packageDir) throws IOException {
        if (!Files.isDirectory(packageDir)) {
            return false;
        }
        try (Stream<Path> files = Files.list(packageDir)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".class"));
        }
    }

    private static void addPackagesOfJar(Path jar, Collection<String> wanted, Set<String> present) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            Enumeration<JarEntry> entries = file.entries();
            while (entries.hasMoreElements() && present.size() < wanted.size()) {
                String name = entries.nextElement().getName();
                int slash = name.lastIndexOf('/');
                if (slash > 0 && name.endsWith(".class")) {
                    String pkg = name.substring(0, slash).replace('/', '.');
                    if (wanted.contains(pkg)) {
                        present.add(pkg);
                    }
                }
            }
        }
    }

    private static java.net.URI toUri(String url) throws IOException {
        try {
            return new URL(url).toURI();
        } catch (URISyntaxException e) {
            throw new IOException("not a file location: " + url, e);
        }
    }
}

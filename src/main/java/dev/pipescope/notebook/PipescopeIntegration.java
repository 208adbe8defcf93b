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
import java.util.Enumeration;
import java.util.List;
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
        ClassLoader loader = PipescopeIntegration.class.getClassLoader();
        for (String pkg : LIBRARY_PACKAGES) {
            if (hasClasses(loader, pkg)) {
                context.addImport(pkg + ".*");
            }
        }
        for (String pkg : JDK_PACKAGES) {
            context.addImport(pkg + ".*");
        }
    }

    /** True when some class file of {@code pkg} (not of a sub-package) is on the class path. */
    static boolean hasClasses(ClassLoader loader, String pkg) {
        String dir = pkg.replace('.', '/') + "/";
        try {
            Enumeration<URL> roots = loader.getResources(dir);
            while (roots.hasMoreElements()) {
                if (containsClass(roots.nextElement(), dir)) {
                    return true;
                }
            }
            // a jar without directory entries lists no resource for the directory: look inside our own jar
            CodeSource source = PipescopeIntegration.class.getProtectionDomain().getCodeSource();
            return source != null && containsClass(source.getLocation(), dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot look for classes of package " + pkg, e);
        }
    }

    private static boolean containsClass(URL location, String dir) throws IOException {
        String text = location.toString();
        if (text.startsWith("jar:")) {
            String jar = text.substring("jar:".length(), text.indexOf("!/"));
            return jarContainsClass(Path.of(toUri(jar)), dir);
        }
        if (!text.startsWith("file:")) {
            return false;
        }
        Path path = Path.of(toUri(text));
        if (Files.isRegularFile(path)) {
            return jarContainsClass(path, dir);
        }
        Path packageDir = text.endsWith(dir) ? path : path.resolve(dir);
        if (!Files.isDirectory(packageDir)) {
            return false;
        }
        try (Stream<Path> files = Files.list(packageDir)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".class"));
        }
    }

    private static boolean jarContainsClass(Path jar, String dir) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            Enumeration<JarEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                String name = entries.nextElement().getName();
                if (name.startsWith(dir) && name.endsWith(".class") && name.indexOf('/', dir.length()) < 0) {
                    return true;
                }
            }
            return false;
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

package dev.pipescope.notebook;

import dev.pipescope.kernel.IntegrationContext;
import dev.pipescope.kernel.MimeBundle;
import dev.pipescope.kernel.NotebookIntegration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Function;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PipescopeIntegrationTest {

    @Test
    void isFoundThroughServiceLoader() {
        List<String> found = new ArrayList<>();
        ServiceLoader.load(NotebookIntegration.class).forEach(i -> found.add(i.getClass().getName()));
        assertTrue(found.contains(PipescopeIntegration.class.getName()), found.toString());
    }

    @Test
    void importsOnlyPackagesThatHaveClasses() {
        List<String> imports = new ArrayList<>();
        new PipescopeIntegration().configure(recordingImports(imports));
        assertTrue(imports.containsAll(List.of("java.nio.file.*", "java.time.*", "java.util.*")), imports.toString());
        ClassLoader loader = PipescopeIntegration.class.getClassLoader();
        for (String pkg : PipescopeIntegration.LIBRARY_PACKAGES) {
            assertEquals(PipescopeIntegration.hasClasses(loader, pkg), imports.contains(pkg + ".*"), pkg);
        }
    }

    @Test
    void packageProbeTellsClassesFromSubPackagesOnly(@TempDir Path dir) throws IOException {
        ClassLoader loader = PipescopeIntegration.class.getClassLoader();
        assertTrue(PipescopeIntegration.hasClasses(loader, "dev.pipescope.kernel"));
        assertFalse(PipescopeIntegration.hasClasses(loader, "dev.pipescope.nosuchpackage"));

        // a jar whose "parent" package only holds a sub-package, like dev.pipescope before the facade lands
        Path jar = dir.resolve("only-sub.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("probe/"));
            out.closeEntry();
            out.putNextEntry(new JarEntry("probe/sub/"));
            out.closeEntry();
            out.putNextEntry(new JarEntry("probe/sub/Thing.class"));
            out.write(new byte[] {0});
            out.closeEntry();
        }
        try (URLClassLoader jarLoader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            assertFalse(PipescopeIntegration.hasClasses(jarLoader, "probe"));
            assertTrue(PipescopeIntegration.hasClasses(jarLoader, "probe.sub"));
        }
    }

    private static IntegrationContext recordingImports(List<String> imports) {
        return new IntegrationContext() {
            @Override
            public IntegrationContext addImport(String importTarget) {
                imports.add(importTarget);
                return this;
            }

            @Override
            public IntegrationContext addStartupCode(String code) {
                return this;
            }

            @Override
            public <T> IntegrationContext addRenderer(Class<T> type, Function<? super T, MimeBundle> renderer) {
                return this;
            }

            @Override
            public IntegrationContext onShutdown(Runnable hook) {
                return this;
            }

            @Override
            public Optional<String> environment(String name) {
                return Optional.empty();
            }
        };
    }
}

package dev.pipescope.kernel;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * %maven against a Maven repository the test lays out on disk (file://, no network): real Maven Resolver,
 * reading a settings.xml whose mirror points at that repository and whose local repository is fresh.
 */
class MavenMagicTest {

    @TempDir
    Path dir;
    private Path remote;
    private ShellSession session;
    private final List<ClassLoader> jarsAddedCalls = new ArrayList<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalOut;
    private PrintStream originalErr;

    @BeforeEach
    void start() throws IOException {
        remote = Files.createDirectories(dir.resolve("remote"));
        session = ShellSession.start(ShellSession.Mode.LOCAL, System.getProperty("java.class.path"));
        originalOut = System.out;
        originalErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        deploy("demo", "util", "2.0", Map.of("demo.util.Util", "package demo.util; public class Util { public static String shout(String s) { return s.toUpperCase() + \"!\"; } }"), List.of());
        deploy("demo", "util", "3.0", Map.of("demo.util.Util", "package demo.util; public class Util { public static String shout(String s) { return s + \"!!!\"; } }"), List.of());
        // an older slf4j-api than the kernel's, and a jar that carries a copy of a class the kernel has
        deploy("org.slf4j", "slf4j-api", "1.7.36", Map.of("org.slf4j.OldMarker", "package org.slf4j; public interface OldMarker { }"), List.of());
        deploy("demo", "shadow", "1.0", Map.of("com.google.gson.Gson", "package com.google.gson; public class Gson { }"), List.of(), false);
        deploy("demo", "lib", "1.0", Map.of("demo.lib.Greeter", "package demo.lib; public class Greeter { public static String greet(String who) { return demo.util.Util.shout(\"hello \" + who); } }"),
                List.of("demo:util:2.0", "org.slf4j:slf4j-api:1.7.36", "demo:shadow:1.0"));
        deploy("demo", "other", "1.0", Map.of("demo.other.Other", "package demo.other; public class Other { public static int seven() { return 7; } }"), List.of());
    }

    @AfterEach
    void stop() {
        System.setOut(originalOut);
        System.setErr(originalErr);
        session.close();
    }

    private CellRunner runnerWithSettings(String settingsBody) throws IOException {
        Path settings = dir.resolve("settings-" + settingsBody.hashCode() + ".xml");
        Files.writeString(settings, "<settings>\n  <localRepository>" + Files.createTempDirectory(dir, "local") + "</localRepository>\n"
                + settingsBody + "\n</settings>\n");
        return new CellRunner(session, jarsAddedCalls::add, new MavenResolver(settings, dir.resolve("unused-default-local")));
    }

    private CellRunner runner() throws IOException {
        return runnerWithSettings("  <mirrors><mirror><id>test-repository</id><mirrorOf>*</mirrorOf><url>" + remote.toUri() + "</url></mirror></mirrors>");
    }

    @Test
    void mavenAddsAnArtifactWithItsDependenciesAndReportsClashes() throws IOException {
        CellRunner runner = runner();
        runner.run("%maven demo:lib:1.0", "In [1]");
        assertEquals("HELLO ADA!", runner.run("demo.lib.Greeter.greet(\"ada\")", "In [2]").value());
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.startsWith("Added to the class path: demo:lib:1.0 ("), printed);
        assertTrue(printed.contains("demo:util:2.0 ("), printed);
        assertFalse(printed.contains("slf4j") || printed.contains("shadow"), printed);
        String clashes = err.toString(StandardCharsets.UTF_8);
        assertTrue(clashes.contains("org.slf4j:slf4j-api:1.7.36 (needed by demo:lib:1.0): the class path has org.slf4j:slf4j-api:2."), clashes);
        assertTrue(clashes.contains("demo:shadow:1.0 (needed by demo:lib:1.0): its class com.google.gson.Gson is on the class path already"), clashes);
        assertEquals(1, jarsAddedCalls.size());

        // another version of a library added before is a clash too; several coordinates at once
        runner.run("%maven demo:util:3.0 demo:other:1.0", "In [3]");
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("demo:util:3.0: the class path has demo:util:2.0, which stays in use"), err.toString(StandardCharsets.UTF_8));
        assertEquals(7, runner.run("demo.other.Other.seven()", "In [4]").value());
        assertEquals("HELLO ADA!", runner.run("demo.lib.Greeter.greet(\"ada\")", "In [5]").value());
        runner.run("%maven demo:other:1.0", "In [6]");
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("Already on the class path: demo:other:1.0"), out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anUnknownArtifactIsAClearErrorAndAddsNothing() throws IOException {
        CellRunner runner = runner();
        MagicError error = assertThrows(MagicError.class, () -> runner.run("%maven demo:other:1.0 demo:nope:1.0", "In [1]"));
        assertTrue(error.getMessage().contains("demo:nope:jar:1.0 was not found in test-repository (" + remote.toUri()), error.getMessage());
        assertThrows(CompileError.class, () -> runner.run("demo.other.Other.seven()", "In [2]"));
        assertEquals(0, jarsAddedCalls.size());
        // once the repository has it, running the cell again finds it: the failure was not cached
        deploy("demo", "nope", "1.0", Map.of("demo.nope.Nope", "package demo.nope; public class Nope { public static int found() { return 1; } }"), List.of());
        runner.run("%maven demo:other:1.0 demo:nope:1.0", "In [3]");
        assertEquals(1, runner.run("demo.nope.Nope.found()", "In [4]").value());
    }

    @Test
    void anUnreachableRepositoryIsAClearError() throws IOException {
        // port 1 on loopback: nothing listens, the connection is refused at once (as when offline)
        CellRunner unreachable = runnerWithSettings("  <mirrors><mirror><id>company</id><mirrorOf>*</mirrorOf><url>http://127.0.0.1:1/maven2/</url></mirror></mirrors>");
        MagicError error = assertThrows(MagicError.class, () -> unreachable.run("%maven demo:other:1.0", "In [1]"));
        assertTrue(error.getMessage().contains("cannot reach company (http://127.0.0.1:1/maven2/)"), error.getMessage());
        CellRunner offline = runnerWithSettings("  <offline>true</offline>");
        MagicError offlineError = assertThrows(MagicError.class, () -> offline.run("%maven demo:other:1.0", "In [2]"));
        assertTrue(offlineError.getMessage().contains("offline"), offlineError.getMessage());
    }

    @Test
    void badCoordinatesAreAClearError() throws IOException {
        CellRunner runner = runner();
        MagicError error = assertThrows(MagicError.class, () -> runner.run("%maven commons-csv", "In [1]"));
        assertTrue(error.getMessage().contains("'commons-csv' are not Maven coordinates"), error.getMessage());
        assertThrows(MagicError.class, () -> runner.run("%maven", "In [2]"));
    }

    private void deploy(String group, String artifact, String version, Map<String, String> classes, List<String> dependencies) throws IOException {
        deploy(group, artifact, version, classes, dependencies, true);
    }

    /** Writes group/artifact/version/artifact-version.{jar,pom} as a Maven repository holds them. */
    private void deploy(String group, String artifact, String version, Map<String, String> classes, List<String> dependencies,
                        boolean withPomProperties) throws IOException {
        Path target = Files.createDirectories(remote.resolve(group.replace('.', '/')).resolve(artifact).resolve(version));
        Path sources = Files.createTempDirectory(dir, "src");
        Path compiled = Files.createTempDirectory(dir, "classes");
        // demo.lib.Greeter compiles against demo:util:2.0, deployed first
        List<String> javacArgs = new ArrayList<>(List.of("-d", compiled.toString(), "-cp", remote.resolve("demo/util/2.0/util-2.0.jar").toString()));
        for (Map.Entry<String, String> entry : classes.entrySet()) {
            Path file = sources.resolve(entry.getKey().substring(entry.getKey().lastIndexOf('.') + 1) + ".java");
            Files.writeString(file, entry.getValue());
            javacArgs.add(file.toString());
        }
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, javacArgs.toArray(String[]::new)));
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(target.resolve(artifact + "-" + version + ".jar")))) {
            for (String className : classes.keySet()) {
                String entry = className.replace('.', '/') + ".class";
                jar.putNextEntry(new JarEntry(entry));
                jar.write(Files.readAllBytes(compiled.resolve(entry)));
                jar.closeEntry();
            }
            if (withPomProperties) {
                jar.putNextEntry(new JarEntry("META-INF/maven/" + group + "/" + artifact + "/pom.properties"));
                jar.write(("groupId=" + group + "\nartifactId=" + artifact + "\nversion=" + version + "\n").getBytes(StandardCharsets.UTF_8));
                jar.closeEntry();
            }
        }
        StringBuilder pom = new StringBuilder("<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n  <modelVersion>4.0.0</modelVersion>\n")
                .append("  <groupId>").append(group).append("</groupId>\n  <artifactId>").append(artifact)
                .append("</artifactId>\n  <version>").append(version).append("</version>\n  <dependencies>\n");
        for (String dependency : dependencies) {
            String[] parts = dependency.split(":");
            pom.append("    <dependency><groupId>").append(parts[0]).append("</groupId><artifactId>").append(parts[1])
                    .append("</artifactId><version>").append(parts[2]).append("</version></dependency>\n");
        }
        pom.append("  </dependencies>\n</project>\n");
        Files.writeString(target.resolve(artifact + "-" + version + ".pom"), pom);
    }
}

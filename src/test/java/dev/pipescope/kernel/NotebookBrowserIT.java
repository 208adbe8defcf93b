package dev.pipescope.kernel;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Serves the executed example notebooks with the Jupyter Notebook server on 127.0.0.1 (random free
 * port, random token), opens each in headless Debian Chromium, and checks that the page its
 * JavaScript built holds the tables and SVG pictures. Screenshots go to target/screenshots/ (the ones
 * in docs/screenshots/ are copies of them).
 */
class NotebookBrowserIT {

    static final String CHROMIUM = System.getProperty("pipescope.chromium", "/usr/bin/chromium");
    static final List<String> NOTEBOOKS = List.of("01-pipelines-runs-metrics.ipynb", "02-dag-snapshots.ipynb", "03-sql.ipynb");

    @TempDir
    static Path temp;
    static JupyterHarness jupyter;
    static Process server;
    static int port;
    static String token;
    static Path executed;

    @BeforeAll
    static void serveExecutedNotebooks() throws Exception {
        assertTrue(Files.isExecutable(Path.of(CHROMIUM)), CHROMIUM + " is missing: apt-get install chromium");
        jupyter = JupyterHarness.install(temp);
        // what kernel/start gives the notebooks, and nothing else
        jupyter.environment.put("PIPESCOPE_DB", jupyter.demoDatabase(temp.resolve("demo")).toString());

        executed = Files.createDirectories(temp.resolve("executed"));
        List<String> run = new ArrayList<>(List.of(jupyter.projectRoot.resolve("src/test/python/run_notebooks.py").toString(),
                "--out", executed.toString()));
        NOTEBOOKS.forEach(n -> run.add(jupyter.projectRoot.resolve("notebooks").resolve(n).toString()));
        JupyterHarness.Result result = jupyter.python(run, 600);
        assertEquals(0, result.exitCode(), result.output());
        // trusted, so the page shows the SVG outputs (the Notebook sanitizes untrusted ones away), as for the person who ran them
        List<String> trust = new ArrayList<>(List.of(jupyter.projectRoot.resolve("src/test/python/trust_notebooks.py").toString()));
        NOTEBOOKS.forEach(n -> trust.add(executed.resolve(n).toString()));
        JupyterHarness.Result trusted = jupyter.python(trust, 60);
        assertEquals(0, trusted.exitCode(), trusted.output());

        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        token = HexFormat.of().formatHex(secret);
        List<String> command = new ArrayList<>(List.of("/usr/bin/jupyter", "notebook", "--no-browser", "--ip", "127.0.0.1",
                "--port", String.valueOf(port), "--port-retries", "0", "--NotebookApp.token=" + token,
                "--notebook-dir", executed.toString()));
        if ("root".equals(System.getProperty("user.name"))) {
            command.add("--allow-root");
        }
        server = jupyter.start(command, temp.resolve("notebook-server.log"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!serverAnswers()) {
            if (!server.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the Notebook server did not come up on port " + port + ":\n"
                        + Files.readString(temp.resolve("notebook-server.log")));
            }
            Thread.sleep(250);
        }
    }

    private static boolean serverAnswers() {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(
                    "http://127.0.0.1:" + port + "/api/status?token=" + token).toURL().openConnection();
            connection.setConnectTimeout(1000);
            connection.setReadTimeout(2000);
            return connection.getResponseCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    @AfterAll
    static void stopServer() throws InterruptedException {
        if (server != null) {
            // SIGTERM lets the server shut down the kernels the pages started
            server.destroy();
            if (!server.waitFor(20, TimeUnit.SECONDS)) {
                server.descendants().forEach(ProcessHandle::destroyForcibly);
                server.destroyForcibly();
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> eachNotebookRendersTablesAndSvgInChromium() {
        return NOTEBOOKS.stream().map(notebook -> DynamicTest.dynamicTest(notebook, () -> {
            String url = "http://127.0.0.1:" + port + "/notebooks/" + notebook + "?token=" + token;
            String dom = chromium(List.of("--virtual-time-budget=20000", "--dump-dom", url), temp.resolve(notebook + ".dom.log"));
            assertTrue(dom.contains("pipescope-table") && dom.contains("<table"), "no Pipescope table in the page of " + notebook);
            assertTrue(dom.contains("<svg"), "no SVG in the page of " + notebook);
            assertTrue(!dom.contains("<script>alert"), "unescaped script in " + notebook);
            Path screenshots = Files.createDirectories(jupyter.projectRoot.resolve("target/screenshots"));
            Path png = screenshots.resolve(notebook.replace(".ipynb", ".png"));
            Files.deleteIfExists(png);
            chromium(List.of("--virtual-time-budget=20000", "--hide-scrollbars", "--window-size=1280,2000",
                    "--screenshot=" + png, url), temp.resolve(notebook + ".png.log"));
            assertTrue(Files.size(png) > 10_000, "screenshot " + png + " is too small to show anything");
        }));
    }

    /** Runs headless Chromium once (bounded); returns its standard output. */
    private static String chromium(List<String> args, Path log) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--user-data-dir=" + temp.resolve("chromium-profile")));
        command.addAll(args);
        Path out = log.resolveSibling(log.getFileName() + ".out");
        Process browser = new ProcessBuilder(command).redirectError(log.toFile()).redirectOutput(out.toFile()).start();
        if (!browser.waitFor(90, TimeUnit.SECONDS)) {
            browser.descendants().forEach(ProcessHandle::destroyForcibly);
            browser.destroyForcibly();
            throw new IllegalStateException("chromium did not finish in 90 s: " + command);
        }
        assertEquals(0, browser.exitValue(), "chromium failed: " + Files.readString(log));
        return Files.readString(out, StandardCharsets.UTF_8);
    }
}

package dev.pipescope.kernel;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The example notebooks in a real browser: the project's JupyterLab 4 server (.venv, as kernel/start
 * runs it) serves a copy of notebooks/ on 127.0.0.1 (random free port, random token), and
 * src/test/python/browser_test.py drives Debian's Chromium with Playwright through JupyterLab and
 * Notebook 7, in the light and the dark theme: each notebook is run with Run All Cells and checked
 * against its cells' metadata (tables and their rows, charts, pictures, text, errors), then completion,
 * inspection, the interrupt button and a kernel restart are checked. Screenshots go to target/screenshots/
 * (docs/screenshots/ holds copies of four of them).
 */
class NotebookBrowserIT {

    static final String CHROMIUM = System.getProperty("pipescope.chromium", "/usr/bin/chromium");

    @TempDir
    static Path temp;
    static JupyterHarness jupyter;
    static Process server;
    static int port;
    static String token;
    static Path venv;
    static Path served;

    @BeforeAll
    static void serveTheExampleNotebooks() throws Exception {
        assertTrue(Files.isExecutable(Path.of(CHROMIUM)), CHROMIUM + " is missing: kernel/packages --tests installs it");
        jupyter = JupyterHarness.install(temp);
        venv = Path.of(System.getProperty("pipescope.venv", jupyter.projectRoot.resolve(".venv").toString()));
        assertTrue(Files.isExecutable(venv.resolve("bin/jupyter-lab")),
                "no JupyterLab in " + venv + ": kernel/packages --tests installs it");
        // what kernel/start gives the notebooks, and nothing else
        jupyter.environment.put("PIPESCOPE_DB", jupyter.demoDatabase(temp.resolve("demo")).toString());

        // the browser saves what it runs: it works on a copy, never on the source tree
        served = copyTree(jupyter.projectRoot.resolve("notebooks"), temp.resolve("served"));
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        token = HexFormat.of().formatHex(secret);
        List<String> command = new ArrayList<>(List.of(venv.resolve("bin/jupyter").toString(), "lab", "--no-browser",
                "--ip", "127.0.0.1", "--port", String.valueOf(port), "--port-retries", "0",
                "--IdentityProvider.token=" + token, "--ServerApp.root_dir=" + served,
                "--MultiKernelManager.default_kernel_name=pipescope"));
        if ("root".equals(System.getProperty("user.name"))) {
            command.add("--allow-root");
        }
        server = jupyter.start(command, temp.resolve("jupyterlab-server.log"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!serverAnswers()) {
            if (!server.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the JupyterLab server did not come up on port " + port + ":\n"
                        + Files.readString(temp.resolve("jupyterlab-server.log")));
            }
            Thread.sleep(250);
        }
    }

    private static Path copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            files.forEach(file -> {
                try {
                    Path target = to.resolve(from.relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return to;
    }

    private static boolean serverAnswers() {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(
                    "http://127.0.0.1:" + port + "/api/status").toURL().openConnection();
            connection.setRequestProperty("Authorization", "token " + token);
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

    @Test
    void everyNotebookRunsAndTheKernelAnswersInJupyterLabAndNotebook7InBothThemes() throws Exception {
        Path screenshots = Files.createDirectories(jupyter.projectRoot.resolve("target/screenshots"));
        try (Stream<Path> old = Files.list(screenshots)) {
            for (Path png : old.filter(p -> p.toString().endsWith(".png")).toList()) {
                Files.delete(png);  // only this run's pictures count below
            }
        }
        List<String> run = new ArrayList<>(List.of(venv.resolve("bin/python").toString(),
                jupyter.projectRoot.resolve("src/test/python/browser_test.py").toString(),
                "--url", "http://127.0.0.1:" + port, "--token", token, "--screenshots", screenshots.toString(),
                "--chromium", CHROMIUM));
        try (Stream<Path> notebooks = Files.list(served)) {
            notebooks.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".ipynb")).sorted().forEach(run::add);
        }
        JupyterHarness.Result result = jupyter.run(run, 1500);
        System.out.println(result.output());
        assertEquals(0, result.exitCode(), result.output());
        try (Stream<Path> shots = Files.list(screenshots)) {
            List<Path> pngs = shots.filter(p -> p.toString().endsWith(".png") && !p.getFileName().toString().startsWith("failed-")).toList();
            assertTrue(pngs.size() >= 4, "expected a screenshot per notebook, UI and theme, found " + pngs);
            for (Path png : pngs) {
                assertTrue(Files.size(png) > 10_000, "screenshot " + png + " is too small to show anything");
            }
        }
    }
}

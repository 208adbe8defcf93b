package dev.pipescope.kernel;

import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.kernel.display.Renderer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Pipescope Jupyter kernel's process: Java evaluated by JShell inside this JVM ({@link JShellKernel}).
 *
 * <p>Usage: {@code java -cp pipescope.jar dev.pipescope.kernel.PipescopeKernel <connection-file>}, or
 * {@code --print-startup} to print the integrations' imports and startup code as a JShell script, or
 * {@code --train [CELL_FILE...]} to run a kernel's start, its integrations' warm-ups, a few cells and the cells
 * in the files given (one cell a file) without Jupyter (for the class-data-sharing archive).
 *
 * <p>Settings (environment): {@code PIPESCOPE_EVAL_TIMEOUT} seconds per cell (0 or unset: none);
 * {@code PIPESCOPE_KERNEL_EXECUTION=remote} runs snippets in JShell's default remote agent instead
 * (for comparison only: values come back as text and display functions are unavailable);
 * {@code JPY_PARENT_PID} the process whose end ends the kernel.
 */
public final class PipescopeKernel {

    private PipescopeKernel() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("--print-startup")) {
            printStartupScript(System.out);
            return;
        }
        if (args.length >= 1 && args[0].equals("--train")) {
            List<String> cells = new ArrayList<>();
            for (int i = 1; i < args.length; i++) {
                cells.add(Files.readString(Path.of(args[i])));
            }
            train(cells);
            return;
        }
        if (args.length != 1) {
            System.err.println("usage: PipescopeKernel <connection-file> | --print-startup | --train [CELL_FILE...]");
            System.exit(2);
        }
        Path connectionFile = Path.of(args[0]);
        KernelConnectionProperties props;
        try {
            props = KernelConnectionProperties.parse(Files.readString(connectionFile));
        } catch (IOException e) {
            System.err.println("Cannot read the connection file " + connectionFile + ": " + e.getMessage());
            System.exit(2);
            return;
        }
        ParentWatch.start(System.getenv("JPY_PARENT_PID"));

        ShellSession.Mode mode = "remote".equalsIgnoreCase(System.getenv("PIPESCOPE_KERNEL_EXECUTION"))
                ? ShellSession.Mode.REMOTE : ShellSession.Mode.LOCAL;
        JShellKernel kernel = new JShellKernel(new KernelIO(), new Renderer(), mode, timeoutFromEnvironment());
        kernel.onStartup();
        KernelConnection connection = new KernelConnection(props);
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        // JShell starts once the sockets are up (so that a client's connection is not refused meanwhile);
        // kernel_info is answered when it is ready
        Thread preparation = new Thread(kernel::prepare, "pipescope-prepare");
        preparation.setDaemon(true);
        preparation.start();
        kernel.awaitShutdown();
        // sends what is still queued (the shutdown reply's idle status), then closes the sockets
        connection.close();
        System.exit(0);
    }

    private static long timeoutFromEnvironment() {
        String seconds = System.getenv("PIPESCOPE_EVAL_TIMEOUT");
        if (seconds == null || seconds.isBlank()) {
            return 0;
        }
        try {
            return Math.round(Double.parseDouble(seconds) * 1000);
        } catch (NumberFormatException e) {
            System.err.println("PIPESCOPE_EVAL_TIMEOUT must be a number of seconds, not '" + seconds + "'; no timeout set");
            return 0;
        }
    }

    /**
     * Runs what a kernel start and a first few cells run, without Jupyter, so that the install script
     * can record the classes in a class-data-sharing archive (-XX:ArchiveClassesAtExit) for faster starts.
     *
     * @param cells more cells to run and render after the built-in ones (the installer's: an analyst's first cells)
     * @throws CellError when one of them fails: an archive without their classes would start them slowly unnoticed
     */
    static void train(List<String> cells) {
        JShellKernel kernel = new JShellKernel(new KernelIO(), new Renderer(), ShellSession.Mode.LOCAL, 0);
        // the running kernel is what hands the integrations' variables to JShell (KernelVariables)
        kernel.onStartup();
        kernel.prepare();
        // the integrations' warm-ups load what their first cells use: into the archive with them
        kernel.startup().awaitWarmUps();
        CellRunner cellRunner = kernel.startup().awaitRunner();
        cellRunner.run("int trained = 1 + 1;\ntrained", "train");
        cellRunner.run("String text = String.join(\",\", List.of(\"a\", \"b\"));\ntext.length()", "train");
        kernel.render(cellRunner.run("html(\"<b>\" + trained + \"</b>\")", "train").value());
        cellRunner.assist().complete("text.toUpp", 10);
        cellRunner.assist().inspect("Math.max(1, 2)", 6, false);
        cellRunner.assist().isComplete("for (int i = 0; i < 2; i++) {");
        for (String cell : cells) {
            ShellSession.Value value = cellRunner.run(cell, "train");
            if (value.present()) {
                kernel.render(value.value());
            }
        }
        cellRunner.session().close();
    }

    /** The integrations' imports and startup code, for a plain jshell with the same jar. */
    static void printStartupScript(PrintStream out) {
        Integrations integrations = new Integrations(null);
        for (String target : KernelStartup.DEFAULT_IMPORTS) {
            out.println("import " + target + ";");
        }
        for (Integrations.Contribution contribution : integrations.discover(PipescopeKernel.class.getClassLoader())) {
            out.println("// " + contribution.name);
            contribution.imports.forEach(target -> out.println("import " + target + ";"));
            contribution.variables.forEach(variable -> out.println(variable.standaloneDeclaration()));
            contribution.startupCode.forEach(out::println);
        }
    }
}

package dev.pipescope.cli;

import dev.pipescope.error.PipescopeException;
import dev.pipescope.ops.PipescopeVersion;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code pipescope} command. Each subcommand is one class listed in {@link #COMMANDS}; errors end a
 * command with a one-line message on stderr (JSON on stdout with {@code --json}) and the exit code of
 * {@link ExitCodes}.
 */
@Command(name = "pipescope", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Inspect, check, back up and restore Pipescope databases and the upstream tools' SQLite files.")
public final class Main implements Runnable {
    /**
     * The subcommands by name, in the order help lists them (each name is its class's {@code @Command} name,
     * which MainTest checks). A command line naming one of them builds only that one's model: picocli reads
     * each command's annotations by reflection, a tenth of {@code pipescope info}'s start for all twelve.
     * Help, {@code --version}, completion and a mistyped name get them all.
     */
    static final Map<String, Class<?>> COMMANDS = commands(List.of(
            command("info", InfoCommand.class),
            command("databases", DatabasesCommand.class),
            command("demo", DemoCommand.class),
            command("kernel", KernelCommand.class),
            command("install", InstallCommand.class),
            command("completion", CompletionCommand.class),
            command("health", HealthCommand.class),
            command("migrate", MigrateCommand.class),
            command("backup", BackupCommand.class),
            command("backups", BackupsCommand.class),
            command("verify", VerifyCommand.class),
            command("restore", RestoreCommand.class),
            command("prune", PruneCommand.class)));

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Where database aliases and credentials are read: this process's environment, or a test's. */
    final Map<String, String> environment;

    Main(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    public static void main(String[] args) {
        LauncherRefresh.startIfStale();
        System.exit(run(System.out, System.err, args));
    }

    /** Runs one command line, printing on the given streams; returns the exit code. */
    public static int run(PrintStream out, PrintStream err, String... args) {
        return run(System.getenv(), out, err, args);
    }

    /** As {@link #run(PrintStream, PrintStream, String...)}, reading aliases and credentials from {@code environment}. */
    static int run(Map<String, String> environment, PrintStream out, PrintStream err, String... args) {
        var stdout = new PrintWriter(out, true, StandardCharsets.UTF_8);
        var stderr = new PrintWriter(err, true, StandardCharsets.UTF_8);
        var commandLine = commandLine(environment, args.length > 0 ? args[0] : null)
                .setOut(stdout)
                .setErr(stderr)
                .setExecutionExceptionHandler(Main::handle);
        describeExitCodes(commandLine);
        int code = commandLine.execute(args);
        stdout.flush();
        stderr.flush();
        return code;
    }

    /** The bash completion script of every command and option (picocli's generator). */
    static String bashCompletion() {
        return picocli.AutoComplete.bash("pipescope", commandLine(Map.of(), null));
    }

    /** The command with only the subcommand {@code first} names, or with all when it names none of them. */
    static CommandLine commandLine(Map<String, String> environment, String first) {
        var commandLine = new CommandLine(new Main(environment));
        var named = first == null ? null : COMMANDS.get(first);
        if (named != null) {
            commandLine.addSubcommand(named);
        } else {
            COMMANDS.values().forEach(commandLine::addSubcommand);
        }
        return commandLine;
    }

    private static Map.Entry<String, Class<?>> command(String name, Class<?> type) {
        return Map.entry(name, type);
    }

    // a List, not varargs: @SafeVarargs would be one more annotation type (a proxy class) for picocli to read
    private static Map<String, Class<?>> commands(List<Map.Entry<String, Class<?>>> entries) {
        var byName = new LinkedHashMap<String, Class<?>>();
        for (var entry : entries) {
            byName.put(entry.getKey(), entry.getValue());
        }
        return Collections.unmodifiableMap(byName);
    }

    private static void describeExitCodes(CommandLine commandLine) {
        commandLine.getCommandSpec().usageMessage()
                .exitCodeListHeading("%nExit codes:%n")
                .exitCodeList(ExitCodes.descriptions());
        commandLine.getSubcommands().values().forEach(Main::describeExitCodes);
    }

    private static int handle(Exception error, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        if (!(error instanceof PipescopeException)) {
            // not a failure Pipescope foresaw: say so in one line, then give the trace a bug report needs
            commandLine.getErr().println("pipescope " + commandLine.getCommandName() + " failed unexpectedly: " + error);
            error.printStackTrace(commandLine.getErr());
            commandLine.getErr().flush();
            return ExitCodes.ERROR;
        }
        int code = ExitCodes.of(error);
        var command = commandLine.getCommand();
        if (command instanceof DatabaseCommand db && db.json || command instanceof DatabasesCommand list && list.json) {
            var node = Output.mapper().createObjectNode();
            node.put("error", error.getMessage());
            node.put("type", error.getClass().getSimpleName());
            node.put("exitCode", code);
            Output.json(commandLine.getOut(), node);
        }
        commandLine.getErr().println("pipescope " + commandLine.getCommandName() + ": " + error.getMessage());
        commandLine.getErr().flush();
        return code;
    }

    /** Without a subcommand: a usage error that lists the commands. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing a command: one of "
                + String.join(", ", spec.commandLine().getSubcommands().keySet()));
    }

    /** {@code --version}: the Pipescope build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"pipescope " + PipescopeVersion.current()};
        }
    }
}

package dev.pipescope.kernel;

import java.util.Locale;
import java.util.function.Supplier;

/** The built-in line magics: {@code %time}, {@code %timeout}, {@code %lsmagic}, {@code %help}, and the class path ({@code %jars}, {@code %maven}) and load magics. */
final class LineMagics {

    private final ShellSession session;
    private final ClassPathMagics classPath;
    private final LoadMagic load;
    private final Supplier<String> cellMagicNames;

    /**
     * @param cellMagicNames the cell magics known now, as {@code %%lsmagic} lists them ("%%sql %%time")
     */
    LineMagics(ShellSession session, ClassPathMagics classPath, LoadMagic load, Supplier<String> cellMagicNames) {
        this.session = session;
        this.classPath = classPath;
        this.load = load;
        this.cellMagicNames = cellMagicNames;
    }

    /**
     * Runs {@code %name args} found on cell line {@code line} (0-based) of the cell labelled {@code label}.
     *
     * @return what the magic evaluated to ({@code %time} and {@code %load} have the value of their Java)
     * @throws MagicError for an unknown magic or arguments it cannot use
     */
    ShellSession.Value run(String name, String args, String label, int line) {
        switch (name) {
            case "time":
                if (args.isEmpty()) {
                    throw new MagicError("%time needs Java code to time, e.g. %time compute(42)");
                }
                long start = System.nanoTime();
                try {
                    return session.eval(args, label, line);
                } finally {
                    printWallTime(start);
                }
            case "jars":
            case "classpath":
                classPath.addJars(name, args);
                return ShellSession.Value.NONE;
            case "maven":
                classPath.addMaven(args);
                return ShellSession.Value.NONE;
            case "load":
                return load.load(args);
            case "timeout":
                timeout(args);
                return ShellSession.Value.NONE;
            case "lsmagic":
                System.out.println("Line magics: %classpath %help %jars %load %lsmagic %maven %time %timeout");
                System.out.println("Cell magics: " + cellMagicNames.get());
                return ShellSession.Value.NONE;
            case "help":
                System.out.println(help(args));
                return ShellSession.Value.NONE;
            default:
                throw new MagicError("unknown line magic %" + name + " (see %lsmagic)");
        }
    }

    /** Prints "Wall time: 12.3 ms" for a run that started at {@code startNanos} ({@link System#nanoTime()}). */
    static void printWallTime(long startNanos) {
        double millis = (System.nanoTime() - startNanos) / 1e6;
        System.out.printf(Locale.ROOT, "Wall time: %.1f ms%n", millis);
    }

    private void timeout(String args) {
        if (args.isEmpty()) {
            long millis = session.timeoutMillis();
            System.out.println(millis == 0 ? "No evaluation timeout" : "Evaluation timeout: " + millis / 1000.0 + " s");
            return;
        }
        try {
            double seconds = Double.parseDouble(args);
            if (seconds < 0) {
                throw new NumberFormatException();
            }
            session.setTimeoutMillis(Math.round(seconds * 1000));
            System.out.println(seconds == 0 ? "Evaluation timeout off" : "Evaluation timeout: " + seconds + " s");
        } catch (NumberFormatException e) {
            throw new MagicError("%timeout takes a number of seconds (0 turns it off), not '" + args + "'");
        }
    }

    /** What {@code %help topic} prints; an unknown or empty topic gives the overview. */
    static String help(String topic) {
        return switch (topic.replace("%", "")) {
            case "time" -> "%time <java>   runs one line and prints its wall time\n%%time         (first line of a cell) times the whole cell";
            case "jars", "classpath" -> "%jars <glob>...   adds jars or class directories to the class path, e.g. %jars lib/*.jar;\n"
                    + "                  quote or escape spaces: %jars \"my libs/*.jar\" or %jars my\\ libs/*.jar.\n"
                    + "                  notebook integrations in them are installed. %classpath is the same.";
            case "maven" -> "%maven <group:artifact:version>...   resolves the coordinates and their runtime dependencies from Maven\n"
                    + "                  Central (or the mirrors and local repository of ~/.m2/settings.xml) and adds the jars\n"
                    + "                  to the class path; jars that clash with ones already there are reported, not added.";
            case "load" -> "%load <file>   runs a .jsh or .java source, or every code cell of a .ipynb notebook (quote a path with spaces)";
            case "timeout" -> "%timeout [s]   shows or sets the evaluation timeout in seconds (0: none)";
            default -> String.join("\n",
                    "Pipescope kernel: Java 17 evaluated by JShell inside the kernel's JVM.",
                    "The last expression of a cell is its result. Display functions (imported):",
                    "  display(value) -> id, updateDisplay(id, value), html(s), markdown(s), svg(s), png(bytes), mime(type, data)",
                    "Magics (%help <name> for details):",
                    "  %time  %%time  %jars  %classpath  %maven  %load  %timeout  %lsmagic  %help",
                    "Interrupt stops the running cell and keeps the kernel's state.");
        };
    }
}

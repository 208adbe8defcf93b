package dev.pipescope.kernel;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a cell: Java goes to JShell, lines starting with {@code %name} are line magics, and a first line
 * {@code %%name} makes the whole cell a cell magic. Segments run in order, so {@code %jars} can precede
 * the imports that need the jars.
 */
final class CellRunner {

    private static final Pattern LINE_MAGIC = Pattern.compile("^\\s*%([A-Za-z][\\w-]*)(.*)$");
    private static final Pattern PACKAGE_LINE = Pattern.compile("^\\s*package\\s+[\\w.]+\\s*;", Pattern.MULTILINE);
    private static final Pattern CELL_MAGIC = Pattern.compile("^\\s*%%([A-Za-z][\\w-]*)(.*)$");

    private final ShellSession session;
    private final Consumer<ClassLoader> jarsAdded;
    private final java.util.Map<String, CellMagic> cellMagics = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param jarsAdded told about the snippet class loader after {@code %jars} added jars, so that
     *                  integrations in them are installed
     */
    CellRunner(ShellSession session, Consumer<ClassLoader> jarsAdded) {
        this.session = session;
        this.jarsAdded = jarsAdded;
    }

    ShellSession session() {
        return session;
    }

    /** Adds an integration's cell magic; the built-in ones keep their names. */
    void addCellMagic(String name, CellMagic magic) {
        if (name.equals("time")) {
            throw new MagicError("%%time is built in; an integration cannot replace it");
        }
        cellMagics.put(name, magic);
    }

    ShellSession.Value run(String cell, String label) {
        List<String> lines = cell.lines().toList();
        int first = 0;
        while (first < lines.size() && lines.get(first).isBlank()) {
            first++;
        }
        if (first < lines.size()) {
            Matcher cellMagic = CELL_MAGIC.matcher(lines.get(first));
            if (cellMagic.matches()) {
                String body = String.join("\n", lines.subList(first + 1, lines.size()));
                return cellMagic(cellMagic.group(1), cellMagic.group(2).strip(), body, label, first + 1);
            }
        }
        return runLines(lines, label, 0);
    }

    private ShellSession.Value runLines(List<String> lines, String label, int lineOffset) {
        ShellSession.Value last = ShellSession.Value.NONE;
        StringBuilder java = new StringBuilder();
        int javaStart = 0;
        for (int i = 0; i < lines.size(); i++) {
            Matcher magic = LINE_MAGIC.matcher(lines.get(i));
            if (magic.matches()) {
                if (!java.toString().isBlank()) {
                    session.eval(java.toString(), label, lineOffset + javaStart);
                }
                java.setLength(0);
                javaStart = i + 1;
                last = lineMagic(magic.group(1), magic.group(2).strip(), label, lineOffset + i);
            } else {
                if (java.length() == 0) {
                    javaStart = i;
                }
                java.append(lines.get(i)).append('\n');
            }
        }
        if (!java.toString().isBlank()) {
            last = session.eval(java.toString(), label, lineOffset + javaStart);
        }
        return last;
    }

    /** The cell with magic lines blanked (same length), for completion and inspection offsets. */
    static String maskMagics(String cell) {
        StringBuilder out = new StringBuilder(cell.length());
        boolean firstContent = true;
        for (String line : cell.split("\n", -1)) {
            boolean magic = LINE_MAGIC.matcher(line).matches() || (firstContent && CELL_MAGIC.matcher(line).matches());
            if (!line.isBlank()) {
                firstContent = false;
            }
            out.append(magic ? " ".repeat(line.length()) : line).append('\n');
        }
        return out.substring(0, cell.length());
    }

    // ---- magics ----

    private ShellSession.Value cellMagic(String name, String args, String body, String label, int bodyLine) {
        if (name.equals("time")) {
            long start = System.nanoTime();
            try {
                return runLines(body.lines().toList(), label, bodyLine);
            } finally {
                printWallTime(start);
            }
        }
        CellMagic magic = cellMagics.get(name);
        if (magic != null) {
            // evaluated as is: the generated Java is not scanned for line magics
            return session.eval(magic.toJava(args, body), label, bodyLine);
        }
        throw new MagicError("unknown cell magic %%" + name + " (cell magics: " + cellMagicNames() + "; see %lsmagic)");
    }

    private String cellMagicNames() {
        java.util.TreeSet<String> names = new java.util.TreeSet<>(cellMagics.keySet());
        names.add("time");
        return names.stream().map(n -> "%%" + n).collect(java.util.stream.Collectors.joining(" "));
    }

    private ShellSession.Value lineMagic(String name, String args, String label, int line) {
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
                addJars(name, args);
                return ShellSession.Value.NONE;
            case "load":
                return load(args);
            case "timeout":
                timeout(args);
                return ShellSession.Value.NONE;
            case "lsmagic":
                System.out.println("Line magics: %classpath %help %jars %load %lsmagic %time %timeout");
                System.out.println("Cell magics: " + cellMagicNames());
                return ShellSession.Value.NONE;
            case "help":
                System.out.println(help(args));
                return ShellSession.Value.NONE;
            default:
                throw new MagicError("unknown line magic %" + name + " (see %lsmagic)");
        }
    }

    private static void printWallTime(long startNanos) {
        double millis = (System.nanoTime() - startNanos) / 1e6;
        System.out.printf(Locale.ROOT, "Wall time: %.1f ms%n", millis);
    }

    private void addJars(String magic, String args) {
        if (args.isEmpty()) {
            throw new MagicError("%" + magic + " needs one or more paths or globs, e.g. %" + magic + " lib/*.jar");
        }
        List<Path> added = new ArrayList<>();
        for (String glob : args.split("\\s+")) {
            List<Path> matches;
            try {
                matches = PathGlob.expand(glob);
            } catch (UncheckedIOException e) {
                throw new MagicError("%" + magic + " could not read " + glob + ": " + e.getMessage());
            }
            if (matches == null || matches.isEmpty()) {
                throw new MagicError("%" + magic + ": nothing matches " + glob
                        + " (relative paths start at " + Path.of("").toAbsolutePath() + ")");
            }
            for (Path path : matches) {
                session.addToClasspath(path.toAbsolutePath().toString());
                added.add(path);
            }
        }
        System.out.println("Added to the class path: " + added.stream().map(Path::toString).sorted().toList());
        jarsAdded.accept(session.snippetLoader());
    }

    private ShellSession.Value load(String args) {
        if (args.isEmpty()) {
            throw new MagicError("%load needs a file: a .jsh or .java source, or a .ipynb notebook");
        }
        Path file = Path.of(args);
        if (!Files.isRegularFile(file)) {
            throw new MagicError("%load: no such file " + file.toAbsolutePath());
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new MagicError("%load could not read " + file + ": " + e.getMessage());
        }
        String name = file.getFileName().toString();
        if (name.endsWith(".ipynb")) {
            ShellSession.Value last = ShellSession.Value.NONE;
            List<String> cells = notebookCode(text, file);
            for (int i = 0; i < cells.size(); i++) {
                last = run(cells.get(i), name + " cell " + (i + 1));
            }
            return last;
        }
        if (name.endsWith(".java")) {
            // JShell has no packages: a source file's package line would be rejected
            return run(PACKAGE_LINE.matcher(text).replaceFirst(""), name);
        }
        if (name.endsWith(".jsh")) {
            return run(text, name);
        }
        throw new MagicError("%load reads .jsh, .java and .ipynb files, not " + name);
    }

    static List<String> notebookCode(String json, Path file) {
        JsonObject notebook;
        try {
            notebook = JsonParser.parseString(json).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new MagicError("%load: " + file + " is not a notebook (" + e.getMessage() + ")");
        }
        List<String> code = new ArrayList<>();
        JsonArray cells = notebook.has("cells") ? notebook.getAsJsonArray("cells") : new JsonArray();
        for (JsonElement element : cells) {
            JsonObject cell = element.getAsJsonObject();
            if (!"code".equals(cell.get("cell_type").getAsString())) {
                continue;
            }
            JsonElement source = cell.get("source");
            if (source.isJsonArray()) {
                StringBuilder text = new StringBuilder();
                source.getAsJsonArray().forEach(part -> text.append(part.getAsString()));
                code.add(text.toString());
            } else {
                code.add(source.getAsString());
            }
        }
        return code;
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

    static String help(String topic) {
        return switch (topic.replace("%", "")) {
            case "time" -> "%time <java>   runs one line and prints its wall time\n%%time         (first line of a cell) times the whole cell";
            case "jars", "classpath" -> "%jars <glob>...   adds jars or class directories to the class path, e.g. %jars lib/*.jar;\n"
                    + "                  notebook integrations in them are installed. %classpath is the same.";
            case "load" -> "%load <file>   runs a .jsh or .java source, or every code cell of a .ipynb notebook";
            case "timeout" -> "%timeout [s]   shows or sets the evaluation timeout in seconds (0: none)";
            default -> String.join("\n",
                    "Pipescope kernel: Java 17 evaluated by JShell inside the kernel's JVM.",
                    "The last expression of a cell is its result. Display functions (imported):",
                    "  display(value) -> id, updateDisplay(id, value), html(s), markdown(s), svg(s), png(bytes), mime(type, data)",
                    "Magics (%help <name> for details):",
                    "  %time  %%time  %jars  %classpath  %load  %timeout  %lsmagic  %help",
                    "Interrupt stops the running cell and keeps the kernel's state.");
        };
    }
}

package dev.pipescope.kernel;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/** {@code %load <file>}: runs a {@code .jsh} or {@code .java} source, or every code cell of an {@code .ipynb} notebook. */
final class LoadMagic {

    private static final Pattern PACKAGE_LINE = Pattern.compile("^\\s*package\\s+[\\w.]+\\s*;", Pattern.MULTILINE);

    private final BiFunction<String, String, ShellSession.Value> runCell;

    /** @param runCell runs a cell's text under a label, magics included (e.g. {@link CellRunner#run}) */
    LoadMagic(BiFunction<String, String, ShellSession.Value> runCell) {
        this.runCell = runCell;
    }

    /** Runs the file named by {@code args} (quoted or escaped if it has spaces); returns the value of its last cell or snippet. */
    ShellSession.Value load(String args) {
        List<String> words = MagicArgs.words(args);
        if (words.size() != 1) {
            throw new MagicError("%load needs one file: a .jsh or .java source, or a .ipynb notebook"
                    + (words.size() > 1 ? " (quote or escape a path with spaces: \"" + args + "\")" : ""));
        }
        Path file = Path.of(words.get(0));
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
                last = runCell.apply(cells.get(i), name + " cell " + (i + 1));
            }
            return last;
        }
        if (name.endsWith(".java")) {
            // JShell has no packages: a source file's package line would be rejected
            return runCell.apply(PACKAGE_LINE.matcher(text).replaceFirst(""), name);
        }
        if (name.endsWith(".jsh")) {
            return runCell.apply(text, name);
        }
        throw new MagicError("%load reads .jsh, .java and .ipynb files, not " + name);
    }

    /** The source of each code cell of a notebook file's JSON, in order. */
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
}

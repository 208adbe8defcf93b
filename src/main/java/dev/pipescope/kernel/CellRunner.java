package dev.pipescope.kernel;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Runs a cell: Java goes to JShell, lines starting with {@code %name} are line magics, and a first line
 * {@code %%name} makes the whole cell a cell magic. Segments run in order, so {@code %jars} can precede
 * the imports that need the jars.
 */
final class CellRunner {

    private final ShellSession session;
    private final CellScanner scanner;
    private final LineMagics lineMagics;
    private final CodeAssist assist;
    private final Map<String, CellMagic> cellMagics = new ConcurrentHashMap<>();

    /**
     * @param jarsAdded told about the snippet class loader after {@code %jars} added jars, so that
     *                  integrations in them are installed
     */
    CellRunner(ShellSession session, Consumer<ClassLoader> jarsAdded) {
        this(session, jarsAdded, MavenResolver.fromUserSettings());
    }

    /** @param maven where {@code %maven} resolves (tests give it their own settings and repositories) */
    CellRunner(ShellSession session, Consumer<ClassLoader> jarsAdded, MavenResolver maven) {
        this.session = session;
        this.scanner = new CellScanner(session.analysis());
        this.lineMagics = new LineMagics(session, new ClassPathMagics(session, jarsAdded, maven), new LoadMagic(this::run),
                this::cellMagicNames);
        this.assist = new CodeAssist(session, scanner, name -> name.equals("time") || cellMagics.containsKey(name));
    }

    ShellSession session() {
        return session;
    }

    /** Completion, inspection and is_complete for cells of this runner. */
    CodeAssist assist() {
        return assist;
    }

    /** Adds an integration's cell magic; the built-in ones keep their names. */
    void addCellMagic(String name, CellMagic magic) {
        if (name.equals("time")) {
            throw new MagicError("%%time is built in; an integration cannot replace it");
        }
        cellMagics.put(name, magic);
    }

    /**
     * Runs a cell and returns its result: the value of its last piece (Java or line magic).
     *
     * @param label how errors name the cell, e.g. "In [4]"
     */
    ShellSession.Value run(String cell, String label) {
        Optional<CellScanner.CellMagicCall> cellMagic = CellScanner.cellMagic(cell);
        if (cellMagic.isPresent()) {
            return runCellMagic(cellMagic.get(), label);
        }
        return runSegments(cell, label, 0);
    }

    private ShellSession.Value runSegments(String code, String label, int lineOffset) {
        List<CellScanner.Segment> segments = scanner.segments(code);
        for (CellScanner.Segment segment : segments) {
            if (segment instanceof CellScanner.MisplacedCellMagic misplaced) {
                // refused before anything runs: the Java above it would otherwise run without the rest
                throw new MagicError("%%" + misplaced.name() + " must be the first line of its cell (it is on line "
                        + (lineOffset + misplaced.line() + 1) + " of " + label + "): a cell magic takes the whole cell. "
                        + "Move %%" + misplaced.name() + " and the lines after it into a cell of their own.");
            }
        }
        ShellSession.Value last = ShellSession.Value.NONE;
        for (CellScanner.Segment segment : segments) {
            if (segment instanceof CellScanner.JavaLines java) {
                last = session.eval(java.code(), label, lineOffset + java.firstLine());
            } else if (segment instanceof CellScanner.LineMagicCall magic) {
                last = lineMagics.run(magic.name(), magic.args(), label, lineOffset + magic.line());
            }
        }
        return last;
    }

    private ShellSession.Value runCellMagic(CellScanner.CellMagicCall call, String label) {
        if (call.name().equals("time")) {
            long start = System.nanoTime();
            try {
                return runSegments(call.body(), label, call.bodyLine());
            } finally {
                LineMagics.printWallTime(start);
            }
        }
        CellMagic magic = cellMagics.get(call.name());
        if (magic != null) {
            // evaluated as is: the generated Java is not scanned for line magics
            return session.eval(magic.toJava(call.args(), call.body()), label, call.bodyLine());
        }
        throw new MagicError("unknown cell magic %%" + call.name() + " (cell magics: " + cellMagicNames() + "; see %lsmagic)");
    }

    private String cellMagicNames() {
        TreeSet<String> names = new TreeSet<>(cellMagics.keySet());
        names.add("time");
        return names.stream().map(n -> "%%" + n).collect(Collectors.joining(" "));
    }
}

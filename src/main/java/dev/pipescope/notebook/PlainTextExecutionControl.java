package dev.pipescope.notebook;

import dev.pipescope.ops.HealthReport;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;
import tech.tablesaw.api.Table;

/**
 * Plain jshell's execution engine for Pipescope ({@code jshell --execution pipescope}, what
 * {@code kernel/jshell} uses): like JShell's {@code local} engine it runs snippets in jshell's own JVM
 * on a thread that Ctrl-C can stop, and it shows tables, Pipescope records and lists of them as the
 * same aligned text tables a notebook's {@code text/plain} carries, instead of their {@code toString()},
 * printed whole (see {@link #show}).
 */
final class PlainTextExecutionControl extends DirectExecutionControl {
    private volatile Thread running;
    private volatile boolean stopped;

    /** Found by JShell through {@code ServiceLoader} under the name {@code pipescope}. */
    public static final class Provider implements ExecutionControlProvider {
        @Override
        public String name() {
            return "pipescope";
        }

        @Override
        public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
            return new PlainTextExecutionControl();
        }
    }

    @Override
    protected String invoke(Method doitMethod) throws Exception {
        stopped = false;
        var value = new AtomicReference<Object>();
        var failure = new AtomicReference<Throwable>();
        var thread = new Thread(() -> {
            try {
                value.set(doitMethod.invoke(null));
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "jshell snippet");
        running = thread;
        thread.start();
        try {
            thread.join();
        } finally {
            running = null;
        }
        if (stopped) {
            throw new StoppedException();
        }
        var thrown = failure.get();
        if (thrown instanceof InvocationTargetException || thrown instanceof Exception) {
            throw (Exception) thrown; // DirectExecutionControl reports the user's exception
        }
        if (thrown instanceof Error error) {
            throw error;
        }
        return show(value.get(), System.out);
    }

    /**
     * What jshell is handed as a snippet's value. jshell cuts every value it shows at about 1,000
     * characters (80 in its concise mode), which dropped table rows without a word; so a table is printed
     * whole on {@code out}, the snippet's own output, and jshell is handed a one-line summary of it.
     */
    static String show(Object value, java.io.PrintStream out) {
        var text = render(value);
        if (!text.startsWith("\n")) {
            return text;
        }
        var table = text.substring(1);
        out.print(table.endsWith("\n") ? table : table + "\n");
        out.flush();
        var title = table.lines().findFirst().orElse("table");
        return "(" + title.strip() + ": printed above)";
    }

    /** What jshell shows for a value: a text table where a notebook would show an HTML one. */
    static String render(Object value) {
        if (value instanceof Table table) {
            return "\n" + TableRenderer.text(table);
        }
        if (value instanceof HealthReport report) {
            return "\n" + report;
        }
        if (RecordTables.recordType(value).isPresent()) {
            return "\n" + TableRenderer.text(RecordTables.of(value));
        }
        return valueString(value);
    }

    @SuppressWarnings("removal")
    @Override
    public void stop() {
        var thread = running;
        if (thread != null) {
            stopped = true;
            // as JShell's own local engine does: the snippet runs in this JVM, so only Thread.stop ends a loop
            thread.stop();
        }
    }
}

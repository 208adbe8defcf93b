package dev.pipescope.kernel;

import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.VarSnippet;

import java.lang.reflect.Field;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the values a notebook computed when JShell recompiles a variable's declaration.
 *
 * <p>Redefining a method or type that a declaration uses ({@code int f()} under {@code var v = f();})
 * makes JShell compile the declaration again into a new wrapper class, whose field starts at 0 or null:
 * the jshell tool's remote agent redefines classes in place instead, which an in-process engine cannot.
 * This carries each value over from the old class's field to the new one, so a value never changes
 * behind the user's back; when the new declaration cannot hold the old value (its type changed), or can
 * no longer be used at all, it says so on stderr.
 */
final class VariableKeeper {

    private final JShell shell;
    private final LiveExecutionControl live;
    /** The field that holds each variable's value now, by snippet id. */
    private final Map<String, Field> holders = new ConcurrentHashMap<>();

    VariableKeeper(JShell shell, LiveExecutionControl live) {
        this.shell = shell;
        this.live = live;
    }

    /** After the user's declaration of {@code variable} ran: remembers where its value lives. */
    void declared(VarSnippet variable) {
        if (variable.subKind() != Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND && shell.status(variable) == Snippet.Status.VALID) {
            field(variable).ifPresent(field -> holders.put(variable.id(), field));
        }
    }

    /** For an event JShell reports as caused by another snippet: carries a recompiled variable's value over, or says why not. */
    void recompiled(SnippetEvent event) {
        if (!(event.snippet() instanceof VarSnippet variable) || event.causeSnippet() == null) {
            return;
        }
        Field old = holders.get(variable.id());
        Snippet.Status status = event.status();
        if (status == Snippet.Status.OVERWRITTEN || status == Snippet.Status.DROPPED) {
            holders.remove(variable.id());
            return;
        }
        if (old == null) {
            return;
        }
        String cause = event.causeSnippet() instanceof DeclarationSnippet declaration ? declaration.name() : "a declaration it uses";
        if (status != Snippet.Status.VALID) {
            // the old field keeps the value, for when the declaration compiles again
            System.err.println("Note: " + variable.name() + " can no longer be used: " + cause + " changed"
                    + firstError(variable).map(e -> " (" + e + ")").orElse("")
                    + ". Its value is kept for when it compiles again; or run its cell again.");
            return;
        }
        Optional<Field> current = field(variable);
        if (current.isEmpty() || current.get().equals(old)) {
            return;
        }
        Field now = current.get();
        holders.put(variable.id(), now);
        Object value;
        try {
            value = old.get(null);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read the earlier value of " + variable.name() + ": " + e, e);
        }
        if (fits(now.getType(), old.getType(), value)) {
            try {
                now.set(null, value);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("cannot keep the value of " + variable.name() + ": " + e, e);
            }
            return;
        }
        System.err.println("Note: " + variable.name() + " was compiled again because " + cause + " changed, and its value ("
                + describe(value) + ") does not fit its new type " + variable.typeName() + "; it is now "
                + defaultOf(now.getType()) + ": run its cell again to recompute it.");
    }

    private Optional<Field> field(VarSnippet variable) {
        return live.takeVariableField(shell.varValue(variable));
    }

    private static boolean fits(Class<?> newType, Class<?> oldType, Object value) {
        if (newType.isPrimitive() || oldType.isPrimitive()) {
            return newType == oldType;
        }
        return value == null || newType.isInstance(value);
    }

    private Optional<String> firstError(Snippet snippet) {
        return shell.diagnostics(snippet).filter(Diag::isError).findFirst()
                .map(d -> d.getMessage(Locale.ROOT).lines().findFirst().orElse(""));
    }

    private static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        String text = String.valueOf(value);
        return (text.length() > 40 ? text.substring(0, 40) + "..." : text) + ", a " + value.getClass().getSimpleName();
    }

    private static String defaultOf(Class<?> type) {
        if (!type.isPrimitive()) {
            return "null";
        }
        return type == boolean.class ? "false" : type == char.class ? "'\\u0000'" : "0";
    }
}

package dev.pipescope.reliability;

import dev.pipescope.Pipescope;
import dev.pipescope.error.PipescopeException;
import java.nio.file.Path;

/**
 * Opens a database in a process that lacks the root capabilities which bypass file permissions, so
 * permission cases are real even when the tests run as root. Modes: {@code read-only}, {@code read-write}
 * (open and count) and {@code write} (open and save). Prints {@code threw <class> <message>} or
 * {@code opened}; the message's line breaks are escaped.
 */
public final class BadInputChild {
    private BadInputChild() {}

    public static void main(String[] args) {
        var file = Path.of(args[1]);
        try (var db = args[0].equals("read-only") ? Pipescope.openReadOnly(file) : Pipescope.open(file)) {
            db.pipelines().count();
            if (args[0].equals("write")) {
                db.pipelines().save(dev.pipescope.domain.Pipeline.builder("written").build());
            }
            System.out.println("opened");
        } catch (PipescopeException e) {
            System.out.println("threw " + e.getClass().getName() + " " + e.getMessage().replace("\n", "\\n"));
        }
    }
}

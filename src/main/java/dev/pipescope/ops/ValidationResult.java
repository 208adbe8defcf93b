package dev.pipescope.ops;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The outcome of checking one backup: every check that ran, passed or not, in the order they ran.
 *
 * @param backup the backup file checked
 * @param checks each check with what it found
 */
public record ValidationResult(Path backup, List<Check> checks) {

    /** One check: {@code file}, {@code metadata}, {@code size}, {@code sha256}, {@code integrity} or {@code schema}. */
    public record Check(String name, boolean passed, String detail) {}

    public ValidationResult {
        checks = List.copyOf(checks);
    }

    /** True when every check passed. */
    public boolean ok() {
        return !checks.isEmpty() && checks.stream().allMatch(Check::passed);
    }

    /** The checks that failed. */
    public List<Check> failures() {
        return checks.stream().filter(c -> !c.passed()).toList();
    }

    /** One line per failed check, or {@code "ok"}. */
    public String summary() {
        if (ok()) {
            return "backup " + backup + " is valid";
        }
        return "backup " + backup + " is not valid: " + failures().stream()
                .map(c -> c.name() + ": " + c.detail()).collect(Collectors.joining("; "));
    }
}

package dev.pipescope.error;

import java.util.List;

/**
 * A database was named by an alias ({@code open("prod")}) that no config file or environment variable defines,
 * and no file of that name exists. The message lists the aliases that are defined and where they were read.
 */
public class UnknownAliasException extends NotFoundException {
    private final String alias;
    private final List<String> known;

    public UnknownAliasException(String alias, List<String> known, String message) {
        super(message);
        this.alias = alias;
        this.known = List.copyOf(known);
    }

    /** The name asked for. */
    public String alias() {
        return alias;
    }

    /** The aliases that are defined, sorted. */
    public List<String> known() {
        return known;
    }
}

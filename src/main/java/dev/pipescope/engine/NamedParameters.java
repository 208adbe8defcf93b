package dev.pipescope.engine;

/** Named SQL parameters, shared by every source. */
public final class NamedParameters {
    private NamedParameters() {}

    /** A statement's named parameters ({@code :name}) as JDBC's positional ones ({@code ?}), for paths that bind by index. */
    public static String positional(String sql) {
        return sql.replaceAll(":[a-zA-Z]\\w*", "?");
    }
}

package dev.pipescope.postgres;

import dev.pipescope.error.UnsupportedServerException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Reads what a PostgreSQL database holds, so it can be judged before anything writes to it. */
public final class PostgresSchema {
    /** The oldest server Pipescope runs on: 12 (generated identity columns, and the oldest release still kept). */
    public static final int OLDEST_SERVER_VERSION = 120_000;

    private PostgresSchema() {}

    /** The tables of the connection's current schema with their column names, by table name. */
    public static Map<String, Set<String>> tables(Connection connection) throws SQLException {
        var result = new TreeMap<String, Set<String>>();
        try (var st = connection.createStatement(); var rs = st.executeQuery(PostgresSql.TABLES_AND_COLUMNS)) {
            while (rs.next()) {
                result.computeIfAbsent(rs.getString(1), t -> new LinkedHashSet<>()).add(rs.getString(2));
            }
        }
        return result;
    }

    /** The server's version number ({@code server_version_num}: 150013 for 15.13). */
    static int serverVersion(Connection connection) throws SQLException {
        try (var st = connection.createStatement(); var rs = st.executeQuery(PostgresSql.SERVER_VERSION)) {
            rs.next();
            return Integer.parseInt(rs.getString(1).strip());
        }
    }

    /**
     * Refuses a server older than {@link #OLDEST_SERVER_VERSION}.
     *
     * @param versionNum the server's {@code server_version_num}
     * @param server     how the message names the server ({@code postgresql://user@host:port/db})
     * @throws UnsupportedServerException naming the server, its version and the oldest supported one
     */
    public static void requireSupported(int versionNum, String server) {
        if (versionNum < OLDEST_SERVER_VERSION) {
            throw new UnsupportedServerException("the PostgreSQL server of " + server + " is version "
                    + versionText(versionNum) + "; Pipescope needs PostgreSQL " + OLDEST_SERVER_VERSION / 10_000
                    + " or newer. Nothing was changed.");
        }
    }

    /** {@code 110022} as {@code 11.22}, {@code 90624} as {@code 9.6.24} (the numbering before 10). */
    static String versionText(int versionNum) {
        int major = versionNum / 10_000;
        return major >= 10 ? major + "." + versionNum % 10_000
                : major + "." + versionNum / 100 % 100 + "." + versionNum % 100;
    }
}

package dev.pipescope;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * libpq's password file, read by its rules (PostgreSQL documentation, "The Password File"): lines
 * {@code hostname:port:database:username:password}; each of the first four fields a literal or {@code *}
 * (anything); {@code \:} and {@code \\} stand for {@code :} and {@code \}; lines starting with {@code #} are
 * comments; the first matching line wins. {@code PGPASSFILE} names the file, else {@code ~/.pgpass}. A file
 * that is not a plain file, or that its group or others may access in any way, is ignored with a warning,
 * as libpq does. A matching line with an empty password means no password, as in libpq.
 */
final class PgPass {

    /** A password found, and the file and line it came from (for {@link DatabaseLocation.Server#passwordFrom()}). */
    record Match(Optional<Secret> password, String from) {
    }

    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private PgPass() {
    }

    /** {@code PGPASSFILE} when set and not empty, else {@code home/.pgpass}. */
    static Path location(Map<String, String> environment, Path home) {
        var named = environment.get("PGPASSFILE");
        return named != null && !named.isEmpty() ? Path.of(named) : home.resolve(".pgpass");
    }

    /**
     * The first line of {@code file} that matches the connection, if any. A missing file is no match; a file
     * libpq would ignore (not a plain file, group or world access, unreadable) is no match, with a warning that
     * names the file.
     */
    static Optional<Match> lookup(Path file, String host, int port, String database, String user, Consumer<String> warnings) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        if (!Files.isRegularFile(file)) {
            warnings.accept("WARNING: password file \"" + file + "\" is not a plain file; it is ignored");
            return Optional.empty();
        }
        if (groupOrOthersAccess(file)) {
            warnings.accept("WARNING: password file \"" + file + "\" has group or world access; it is ignored "
                    + "(permissions should be u=rw (0600) or less: chmod 600 " + file + ")");
            return Optional.empty();
        }
        java.util.List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            warnings.accept("WARNING: password file \"" + file + "\" cannot be read (" + e.getClass().getSimpleName()
                    + "); it is ignored");
            return Optional.empty();
        }
        var fields = new String[] {host, Integer.toString(port), database, user};
        for (int number = 1; number <= lines.size(); number++) {
            var line = lines.get(number - 1);
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int position = 0;
            for (var field : fields) {
                position = matchField(line, position, field);
                if (position < 0) {
                    break;
                }
            }
            if (position >= 0) {
                var password = password(line, position);
                return Optional.of(new Match(password.isEmpty() ? Optional.empty() : Optional.of(Secret.of(password)),
                        file + " line " + number));
            }
        }
        return Optional.empty();
    }

    /** True when the file's group or others have any permission; false where the file system has no POSIX modes. */
    static boolean groupOrOthersAccess(Path file) {
        try {
            var permissions = Files.getPosixFilePermissions(file);
            return permissions.stream().anyMatch(GROUP_OR_OTHERS::contains);
        } catch (UnsupportedOperationException | IOException e) {
            // no POSIX modes (libpq skips the check on such systems too), or gone meanwhile: the read decides
            return false;
        }
    }

    /**
     * Whether the field starting at {@code start} matches {@code value}: {@code *} matches anything, otherwise the
     * field, with its escapes undone, must equal it. Returns where the next field starts, or -1.
     */
    private static int matchField(String line, int start, String value) {
        if (line.startsWith("*:", start)) {
            return start + 2;
        }
        int matched = 0;
        int i = start;
        while (i < line.length()) {
            char ch = line.charAt(i);
            boolean escaped = false;
            if (ch == '\\' && i + 1 < line.length()) {
                ch = line.charAt(++i);
                escaped = true;
            }
            if (ch == ':' && !escaped) {
                return matched == value.length() ? i + 1 : -1;
            }
            if (matched >= value.length() || value.charAt(matched) != ch) {
                return -1;
            }
            matched++;
            i++;
        }
        return -1; // the line ended before the field's colon
    }

    /** The password field from {@code start}: up to an unescaped colon or the end, escapes undone. */
    private static String password(String line, int start) {
        var out = new StringBuilder();
        for (int i = start; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (ch == ':') {
                break;
            }
            if (ch == '\\' && i + 1 < line.length()) {
                ch = line.charAt(++i);
            }
            out.append(ch);
        }
        return out.toString();
    }
}

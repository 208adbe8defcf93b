package dev.pipescope;

import dev.pipescope.error.ConfigException;
import dev.pipescope.error.UnreadableConfigException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * A config file as written: {@code java.util.Properties} syntax (UTF-8), every key
 * {@code database.<alias>.<setting>}. Anything else is refused with a {@link ConfigException} that names the
 * file, the line and the key, never a value: an unknown or misspelt key, a key set twice, an empty value, an
 * alias with other characters than letters, digits, {@code -} and {@code _}.
 */
final class ConfigFile {

    /** One {@code database.<alias>.<setting>=value} line. */
    record Entry(String alias, ConfigSetting setting, String key, String value, int line) {
        /** How messages name it: {@code database.prod.url (line 3 of /home/a/.config/pipescope/pipescope.properties)}. */
        String where(Path file) {
            return key + " (" + (line > 0 ? "line " + line + " of " : "") + file + ")";
        }
    }

    static final Pattern ALIAS = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");
    private static final String PREFIX = "database.";

    private final Path path;
    private final List<Entry> entries;

    private ConfigFile(Path path, List<Entry> entries) {
        this.path = path;
        this.entries = List.copyOf(entries);
    }

    Path path() {
        return path;
    }

    /** The entries in file order. */
    List<Entry> entries() {
        return entries;
    }

    /**
     * Reads and checks {@code path}.
     *
     * @throws UnreadableConfigException when it is missing, not a file, unreadable or not UTF-8
     * @throws ConfigException           for a line that is not a known, once-set, non-empty {@code database.<alias>.<setting>}
     */
    static ConfigFile read(Path path) {
        var file = path.toString();
        if (!Files.exists(path)) {
            throw new UnreadableConfigException(file, "config file " + path + " does not exist", null);
        }
        if (!Files.isRegularFile(path)) {
            throw new UnreadableConfigException(file, "config file " + path + " is not a regular file", null);
        }
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new UnreadableConfigException(file, "config file " + path + " is not UTF-8 text", e);
        } catch (IOException e) {
            throw new UnreadableConfigException(file, "cannot read config file " + path + ": "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
        }
        // Properties keeps the last of a key set twice; this map sees every one, in order
        var seen = new LinkedHashMap<String, String>();
        var twice = new ArrayList<String>();
        var properties = new Properties() {
            @Override
            public synchronized Object put(Object key, Object value) {
                if (seen.put((String) key, (String) value) != null && !twice.contains(key)) {
                    twice.add((String) key);
                }
                return super.put(key, value);
            }
        };
        try {
            properties.load(new StringReader(text));
        } catch (IllegalArgumentException e) {
            // java.util.Properties' only complaint: a malformed \\uXXXX escape (its message holds no value)
            throw new ConfigException(file, "", "config file " + path + " has a malformed \\uXXXX escape: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UnreadableConfigException(file, "cannot read config file " + path + ": " + e.getMessage(), e);
        }
        if (!twice.isEmpty()) {
            var key = twice.get(0);
            var lines = lines(text, key);
            throw new ConfigException(file, shown(key), shownKey(key, lines) + " is set more than once in " + path
                    + (lines.size() > 1 ? " (lines " + lines.stream().map(String::valueOf).reduce((a, b) -> a + ", " + b)
                    .orElse("") + ")" : "") + "; keep one");
        }
        var entries = new ArrayList<Entry>();
        for (Map.Entry<String, String> property : seen.entrySet()) {
            entries.add(entry(path, text, property.getKey(), property.getValue()));
        }
        return new ConfigFile(path, entries);
    }

    private static Entry entry(Path path, String text, String key, String value) {
        var file = path.toString();
        var lines = lines(text, key);
        int line = lines.isEmpty() ? 0 : lines.get(0);
        var at = (line > 0 ? "line " + line + " of " : "") + path;
        if (!key.startsWith(PREFIX) || key.lastIndexOf('.') <= PREFIX.length()) {
            throw new ConfigException(file, shown(key), at + ": " + shownKey(key, lines)
                    + " is not a database.<alias>.<setting> key (settings: " + ConfigSetting.keys() + ")");
        }
        var alias = key.substring(PREFIX.length(), key.lastIndexOf('.'));
        var name = key.substring(key.lastIndexOf('.') + 1);
        if (!ALIAS.matcher(alias).matches()) {
            throw new ConfigException(file, key, at + ": alias '" + alias + "' in " + key
                    + " may hold only letters, digits, - and _ (and starts with a letter or digit)");
        }
        var setting = ConfigSetting.ofKey(name).orElseThrow(() -> new ConfigException(file, key, at + ": unknown setting '"
                + name + "' in " + key + " (settings: " + ConfigSetting.keys() + ")"));
        var kept = setting == ConfigSetting.PASSWORD ? value : value.strip();
        if (kept.isEmpty()) {
            throw new ConfigException(file, key, at + ": " + key + " is empty"
                    + (setting == ConfigSetting.PASSWORD ? " (remove the line for no password)" : ""));
        }
        return new Entry(alias, setting, key, kept, line);
    }

    /**
     * A key is shown only when it starts with {@code database.}: a line of anything else might be a password
     * pasted on a line of its own, which java.util.Properties reads as a key.
     */
    private static String shown(String key) {
        return key.startsWith(PREFIX) ? key : "";
    }

    private static String shownKey(String key, List<Integer> lines) {
        if (key.startsWith(PREFIX)) {
            return key;
        }
        return lines.isEmpty() ? "a line (not shown: it may hold a secret)" : "the line (not shown: it may hold a secret)";
    }

    /**
     * The numbers of the lines where {@code key} is set, found as java.util.Properties reads keys: a logical
     * line's first characters up to an unescaped {@code =}, {@code :} or white space, after leading white space,
     * skipping comments ({@code #}, {@code !}) and continuation lines. Empty when the key is written with escapes
     * this does not undo ({@code \\uXXXX}).
     */
    static List<Integer> lines(String text, String key) {
        var found = new ArrayList<Integer>();
        var physical = text.split("\r\n|\r|\n", -1);
        boolean continuation = false;
        for (int i = 0; i < physical.length; i++) {
            var line = physical[i];
            var startsLogicalLine = !continuation;
            var stripped = line.stripLeading();
            var comment = startsLogicalLine && (stripped.startsWith("#") || stripped.startsWith("!"));
            continuation = !comment && !stripped.isEmpty() && endsWithOddBackslashes(line);
            if (!startsLogicalLine || comment || stripped.isEmpty()) {
                continue;
            }
            if (keyOf(stripped).equals(key)) {
                found.add(i + 1);
            }
        }
        return found;
    }

    private static boolean endsWithOddBackslashes(String line) {
        int count = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            count++;
        }
        return count % 2 == 1;
    }

    private static String keyOf(String line) {
        var key = new StringBuilder();
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (ch == '\\' && i + 1 < line.length()) {
                key.append(line.charAt(++i));
                continue;
            }
            if (ch == '=' || ch == ':' || ch == ' ' || ch == '\t' || ch == '\f') {
                break;
            }
            key.append(ch);
        }
        return key.toString();
    }
}

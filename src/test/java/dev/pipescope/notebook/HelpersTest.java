package dev.pipescope.notebook;

import dev.pipescope.demo.DemoData;
import dev.pipescope.demo.DemoScale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The helpers are declared once (Helpers), documented once (docs/notebook-helpers.md), and the two agree. */
class HelpersTest {

    private static final Path DOCS = Path.of(System.getProperty("pipescope.root", System.getProperty("user.dir")))
            .resolve("docs/notebook-helpers.md");

    /** The helpers a table of the docs lists in its first column: {@code `runs()` / `runs(RunFilter)`}. */
    static Set<String> documented(String prefix) throws Exception {
        Pattern call = Pattern.compile("`" + Pattern.quote(prefix) + "([a-zA-Z]\\w*)\\(");
        Set<String> names = new TreeSet<>();
        for (String line : Files.readAllLines(DOCS)) {
            if (!line.startsWith("| `")) {
                continue;
            }
            String firstCell = line.substring(1, line.indexOf('|', 1));
            Matcher m = call.matcher(firstCell);
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    static Set<String> publicStatic(Class<?> type) {
        return Arrays.stream(type.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers()))
                .map(Method::getName).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void everyDocumentedHelperExistsAndEveryHelperIsDocumented() throws Exception {
        Set<String> documented = documented("");
        Set<String> declared = publicStatic(Helpers.class);
        assertTrue(declared.size() > 20, declared.toString());
        assertEquals(declared, documented, "docs/notebook-helpers.md and Helpers disagree");
    }

    @Test
    void everyDocumentedSessionMethodExists() throws Exception {
        Set<String> session = Arrays.stream(NotebookSession.class.getMethods()).map(Method::getName)
                .collect(Collectors.toSet());
        Set<String> documented = documented("pipescope.");
        assertTrue(!documented.isEmpty());
        for (String name : documented) {
            assertTrue(session.contains(name), "docs name pipescope." + name + "(), which NotebookSession does not have");
        }
    }

    @Test
    void helpersDelegateToTheBoundSession(@TempDir Path dir) {
        Path file = dir.resolve("demo.db");
        DemoData.create(file, DemoScale.SMALL).close();
        try (NotebookSession session = NotebookSession.forHelpers(new NotebookSession())) {
            Helpers.open(file.toString());
            assertEquals(file, session.db().path().orElseThrow());
            assertEquals(session.pipelines().rowCount(), Helpers.pipelines().rowCount());
            assertEquals(12L, Helpers.sql("SELECT count(*) AS n FROM pipelines WHERE archived = 0").longColumn("n").get(0));
        }
    }
}

package dev.pipescope.kernel;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JavaTextTest {

    private static JavaText.End scan(String text) {
        return JavaText.scan(text);
    }

    @Test
    void quotesInsideLiteralsAndCommentsDoNotOpenAnything() {
        assertEquals(JavaText.State.CODE, scan("char q = '\"'; String s = \"\\\"(\"; // \"\n").state());
        assertEquals(0, scan("char q = '('; String s = \"[{\"; /* ( */").depth());
        assertEquals(JavaText.State.CODE, scan("String t = \"\"\"\n  \"quoted\" \\\"\"\"\n  \"\"\";").state());
    }

    @Test
    void openConstructsAreReported() {
        assertEquals(JavaText.State.TEXT_BLOCK, scan("String t = \"\"\"\n  text\n").state());
        assertEquals(JavaText.State.BLOCK_COMMENT, scan("int a; /* still\n").state());
        assertEquals(2, scan("foo(bar[").depth());
    }

    @Test
    void theLastSignificantCharacterSkipsCommentsAndWhitespace() {
        String text = "int a = 1; // note\n/* more */\n  ";
        assertEquals(';', scan(text).lastChar(text));
        assertEquals(0, scan("// only a comment\n").lastChar("// only a comment\n"));
        String literal = "s = \"a;\"";
        assertEquals('"', scan(literal).lastChar(literal));
    }

    @Test
    void assignmentsAreToldFromComparisonsAndNestedAssignments() {
        for (String assignment : new String[] {"x[0] = 3", "y += 2 // six", "a>>=1", "a >>>= 1", "a <<= 2", "s = \"a == b\"", "m.get(k)[i] |= f(x = 1)"}) {
            assertEquals(true, JavaText.isAssignment(assignment), assignment);
        }
        for (String expression : new String[] {"a == b", "a != b", "a <= b", "a >= b", "f(x = 1)", "new int[] {n = 2}", "\"x = 1\"", "a // = b", "c == '='"}) {
            assertEquals(false, JavaText.isAssignment(expression), expression);
        }
    }
}

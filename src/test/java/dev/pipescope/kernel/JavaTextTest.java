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
}

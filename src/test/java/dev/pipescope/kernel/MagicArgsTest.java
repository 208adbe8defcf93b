package dev.pipescope.kernel;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MagicArgsTest {

    @Test
    void wordsSplitOnSpacesUnlessQuotedOrEscaped() {
        assertEquals(List.of("lib/*.jar", "my libs/a.jar", "other dir/b.jar", "x y", "it's"),
                MagicArgs.words("lib/*.jar \"my libs/a.jar\"  'other dir/b.jar' x\\ y \"it's\""));
        assertEquals(List.of("a\"b", "c\\d", ""), MagicArgs.words("a\\\"b 'c\\d' \"\""));
        assertEquals(List.of(), MagicArgs.words("   "));
    }

    @Test
    void anUnclosedQuoteIsAnErrorNamingIt() {
        MagicError error = assertThrows(MagicError.class, () -> MagicArgs.words("\"my libs/a.jar"));
        assertTrue(error.getMessage().contains("unclosed \""), error.getMessage());
    }
}

package dev.pipescope.kernel;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SignatureHistoryTest {

    @Test
    void aSignatureIsAcceptedOnceAndTheOldestAreForgottenBeyondTheCapacity() {
        SignatureHistory history = new SignatureHistory(3);
        assertTrue(history.firstTime("a"));
        assertFalse(history.firstTime("a"));
        assertTrue(history.firstTime("b"));
        assertTrue(history.firstTime("c"));
        assertTrue(history.firstTime("d")); // "a" is forgotten now
        assertFalse(history.firstTime("b"));
        assertTrue(history.firstTime("a"));
    }
}

package dev.pipescope.kernel;

import java.util.LinkedHashSet;
import java.util.Iterator;

/**
 * The signatures of the requests this kernel accepted, as ipykernel's session keeps its digest history: a request
 * whose signature was already seen is a replay of a captured message and is rejected. The oldest signatures are
 * forgotten beyond {@link #CAPACITY} (ipykernel keeps 2^16 too).
 */
final class SignatureHistory {

    static final int CAPACITY = 1 << 16;

    private final int capacity;
    private final LinkedHashSet<String> seen = new LinkedHashSet<>();

    SignatureHistory() {
        this(CAPACITY);
    }

    SignatureHistory(int capacity) {
        this.capacity = capacity;
    }

    /** Records {@code signature}; false when it was seen before (a replay). */
    synchronized boolean firstTime(String signature) {
        if (!seen.add(signature)) {
            return false;
        }
        if (seen.size() > capacity) {
            Iterator<String> oldest = seen.iterator();
            oldest.next();
            oldest.remove();
        }
        return true;
    }
}

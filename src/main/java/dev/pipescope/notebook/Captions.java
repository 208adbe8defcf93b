package dev.pipescope.notebook;

import java.util.Locale;

/** Table titles that say what a capped result leaves out, where the user looks (the table's caption). */
final class Captions {

    private Captions() {
    }

    /** "runs: first 1,000 of 4,999 (allRuns() for all)". */
    static String firstOf(String name, long shown, long total, String forAll) {
        return name + ": first " + count(shown) + " of " + count(total) + " (" + forAll + ")";
    }

    /** A count with thousands separators: 4,999. */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}

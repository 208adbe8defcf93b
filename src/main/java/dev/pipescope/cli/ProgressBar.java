package dev.pipescope.cli;

import dev.pipescope.ops.Progress;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress bar redrawn in place with carriage returns: only meant for a terminal, which is
 * why {@link #forTerminal} returns {@link Progress#NONE} when there is none (pipes and logs stay clean).
 */
final class ProgressBar implements Progress {
    private static final int WIDTH = 30;
    private final PrintWriter err;
    private String phase = "";
    private int shownPercent = -1;

    ProgressBar(PrintWriter err) {
        this.err = err;
    }

    /** A bar on {@code err} when the process has a terminal and progress was not turned off; otherwise silence. */
    static Progress forTerminal(PrintWriter err, boolean wanted) {
        return wanted && System.console() != null ? new ProgressBar(err) : Progress.NONE;
    }

    @Override
    public void report(String newPhase, long done, long total) {
        if (!newPhase.equals(phase)) {
            if (!phase.isEmpty()) {
                err.print('\n');
            }
            phase = newPhase;
            shownPercent = -1;
        }
        int percent = total <= 0 ? 0 : (int) Math.min(100, done * 100 / total);
        if (percent == shownPercent) {
            return;
        }
        shownPercent = percent;
        int filled = percent * WIDTH / 100;
        err.print(String.format(Locale.ROOT, "\r%-16s [%s%s] %3d%%", phase, "#".repeat(filled),
                " ".repeat(WIDTH - filled), percent));
        err.flush();
    }

    /** Ends the bar's line, so what is printed next starts on its own. */
    void finish() {
        if (!phase.isEmpty()) {
            err.print('\n');
            err.flush();
        }
    }

    /** Ends the line of {@code progress} when it is a bar. */
    static void finish(Progress progress) {
        if (progress instanceof ProgressBar bar) {
            bar.finish();
        }
    }
}

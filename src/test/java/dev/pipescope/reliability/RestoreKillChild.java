package dev.pipescope.reliability;

import dev.pipescope.ops.Backups;
import dev.pipescope.ops.Progress;
import java.nio.file.Path;

/**
 * The process {@link RestoreKillTest} kills: backs up and restores one database in a loop, printing each
 * phase as it starts ({@code phase backup}, {@code phase checksum}, {@code phase restore}...). With
 * {@code linger}, it pauses when the restore's copy starts (inside the exclusive lock, after a WAL file
 * was switched to a rollback journal), so a kill lands in that window.
 */
public final class RestoreKillChild {
    private RestoreKillChild() {}

    public static void main(String[] args) throws Exception {
        var backups = Backups.forFile(Path.of(args[0]));
        boolean linger = args.length > 1 && args[1].equals("linger");
        var last = new String[] {""};
        Progress progress = (phase, done, total) -> {
            if (!phase.equals(last[0])) {
                last[0] = phase;
                System.out.println("phase " + phase);
                System.out.flush();
                if (linger && phase.equals("restore")) {
                    sleep(2_000);
                }
            }
        };
        for (int round = 0; ; round++) {
            var backup = backups.create("round " + round, progress);
            backups.restore(backup, progress);
            last[0] = "";
            System.out.println("restored " + round);
            System.out.flush();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

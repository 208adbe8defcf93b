package dev.pipescope.reliability;

import dev.pipescope.Pipescope;
import dev.pipescope.error.PipescopeException;
import java.nio.file.Path;

/**
 * The second process of the concurrency test: saves pipelines and records runs on the same file as
 * the parent's threads until its standard input closes. Prints {@code ready}, then
 * {@code committed pipeline <id>} and {@code committed run <id>} per commit, {@code failed <class> <message>}
 * if any call fails, and {@code done} at the end.
 */
public final class ConcurrencyChild {
    private ConcurrencyChild() {}

    public static void main(String[] args) throws Exception {
        var file = Path.of(args[0]);
        var stop = new java.util.concurrent.atomic.AtomicBoolean();
        var watcher = new Thread(() -> {
            try {
                System.in.transferTo(java.io.OutputStream.nullOutputStream());
            } catch (java.io.IOException ignored) {
                // a broken pipe means the parent is gone: stop as on EOF
            }
            stop.set(true);
        });
        watcher.setDaemon(true);
        watcher.start();
        try (var db = Pipescope.open(file)) {
            System.out.println("ready");
            System.out.flush();
            for (int i = 0; !stop.get(); i++) {
                var pipeline = ConcurrencyReliabilityTest.aggregate("child-" + i, i);
                db.pipelines().save(pipeline);
                System.out.println("committed pipeline " + pipeline.id());
                var run = db.runs().start(pipeline.id());
                db.runs().finish(run.id(), ConcurrencyReliabilityTest.MEASURES);
                System.out.println("committed run " + run.id());
                System.out.flush();
            }
        } catch (PipescopeException e) {
            System.out.println("failed " + e.getClass().getName() + " " + e.getMessage().replace("\n", "\\n"));
        }
        System.out.println("done");
        System.out.flush();
    }
}

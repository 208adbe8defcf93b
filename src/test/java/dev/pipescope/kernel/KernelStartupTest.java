package dev.pipescope.kernel;

import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kernel's start-up with an integration of the test's own, through a real JShell. */
class KernelStartupTest {

    /** Records where and in which order its variable's value and its warm-ups were made. */
    static final class Recording implements NotebookIntegration {
        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        final List<String> threads = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch valueMayFinish;

        Recording(CountDownLatch valueMayFinish) {
            this.valueMayFinish = valueMayFinish;
        }

        @Override
        public void configure(IntegrationContext context) {
            context.addImport("java.time.*");
            context.addImport("java.util.List");
            context.addVariable("answer", Integer.class, () -> {
                threads.add(Thread.currentThread().getName());
                await(valueMayFinish);
                events.add("value");
                return 42;
            }, "42");
            context.addWarmUp(() -> {
                events.add("failing warm-up");
                throw new IllegalStateException("this warm-up breaks");
            });
            context.addWarmUp(() -> {
                threads.add(Thread.currentThread().getName());
                events.add("warm-up");
            });
        }
    }

    private JShellKernel kernel;

    @AfterEach
    void stop() {
        if (kernel != null) {
            kernel.onShutdown(false);
            CellRunner runner = kernel.startup().runnerIfReady();
            if (runner != null) {
                runner.session().close();
            }
        }
    }

    private JShellKernel kernel(Recording recording) {
        return kernel(recording, ShellSession.Mode.LOCAL);
    }

    private JShellKernel kernel(Recording recording, ShellSession.Mode mode) {
        kernel = new JShellKernel(new KernelIO(), new Renderer(), mode, 0, loader -> List.of(recording));
        kernel.onStartup();
        return kernel;
    }

    @Test
    void variablesAreMadeAndWarmUpsRunOffTheStartingThreadAndAFailingWarmUpStopsNothing() {
        Recording recording = new Recording(new CountDownLatch(0));
        JShellKernel kernel = kernel(recording);
        kernel.prepare();
        kernel.startup().awaitWarmUps();
        assertEquals(List.of("value", "failing warm-up", "warm-up"), recording.events);
        // the value (Pipescope's opens the notebook's database) was made while this thread started JShell
        for (String thread : recording.threads) {
            assertNotEquals(Thread.currentThread().getName(), thread, recording.threads.toString());
        }
        assertEquals(43, kernel.evalRaw("answer + 1"));
    }

    @Test
    void startUpEndsOnlyOnceTheVariablesAreInJShell() throws InterruptedException {
        CountDownLatch valueMayFinish = new CountDownLatch(1);
        JShellKernel kernel = kernel(new Recording(valueMayFinish));
        // what kernel_info waits for before it answers
        Thread waiter = new Thread(kernel.startup()::awaitStarted);
        waiter.start();
        Thread preparation = new Thread(kernel::prepare);
        preparation.start();
        waiter.join(TimeUnit.SECONDS.toMillis(1));
        assertTrue(waiter.isAlive(), "start-up said it was done while the integration's value was still being made");
        valueMayFinish.countDown();
        waiter.join(TimeUnit.MINUTES.toMillis(2));
        assertFalse(waiter.isAlive(), "start-up never ended");
        // and once it has, the variable is there
        assertEquals(42, kernel.evalRaw("answer"));
        preparation.join(TimeUnit.MINUTES.toMillis(2));
    }

    @Test
    void aNotebooksOwnImportsLeaveTheKernelsInPlaceOrReplaceThemAsJShellWould() {
        JShellKernel kernel = kernel(new Recording(new CountDownLatch(0)));
        kernel.prepare();
        // the kernel's on-demand imports share one snippet: importing one of them again must not drop the others
        kernel.evalRaw("import java.util.*;");
        kernel.evalRaw("import java.io.*;");
        assertEquals("x", kernel.evalRaw("new File(\"x\").getName()"));
        assertEquals(60L, kernel.evalRaw("Duration.ofMinutes(1).getSeconds()"));
        assertEquals(3, kernel.evalRaw("new ArrayList<>(Set.of(1, 2, 3)).size()"));
        // a single-type import of the integration's is replaced by a notebook's of the same simple name
        kernel.evalRaw("import java.awt.List;");
        assertEquals("java.awt.List", kernel.evalRaw("List.class.getName()"));
    }

    @Test
    void aRemoteAgentGetsNoWarmUpsAndBuildsItsOwnVariables() {
        Recording recording = new Recording(new CountDownLatch(0));
        JShellKernel kernel = kernel(recording, ShellSession.Mode.REMOTE);
        kernel.prepare();
        kernel.startup().awaitWarmUps();
        // warm-ups prepare the kernel's JVM, where a remote agent's cells do not run
        assertEquals(List.of(), recording.events);
        assertEquals("42", kernel.evalRaw("answer"));
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(2, TimeUnit.MINUTES)) {
                throw new IllegalStateException("the test never let the value finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

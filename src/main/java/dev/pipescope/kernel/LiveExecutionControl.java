package dev.pipescope.kernel;

import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs snippets in the kernel's own JVM and keeps the live value of each snippet, so the kernel can
 * render it (JShell's remote agent only hands back a string).
 *
 * <p>JShell only ever sees a key for the value; {@link #takeValue(String)} turns it back into the object.
 * Each snippet runs on its own thread so that an interrupt or a timeout can stop it without touching
 * the thread that serves the Jupyter shell channel.
 */
final class LiveExecutionControl extends DirectExecutionControl {

    private static final String KEY_PREFIX = "\u0000pipescope-value:";
    /** How long an interrupted snippet gets to stop on its own before its thread is stopped. */
    private static final long GRACE_MS = 300;

    private final Map<String, Object> values = new ConcurrentHashMap<>();
    /** The static field behind each variable value handed out by {@link #varValue}, by its key. */
    private final Map<String, Field> variableFields = new ConcurrentHashMap<>();
    private final AtomicLong keys = new AtomicLong();
    private volatile Thread running;
    private volatile boolean stopRequested;
    private volatile long timeoutMillis;
    private volatile ClassLoader snippetLoader;

    /** Why the last snippet ended early, if it did. JShell itself reports a stopped snippet as a success. */
    enum Stop { NONE, INTERRUPTED, TIMED_OUT }

    private volatile Stop lastStop = Stop.NONE;

    void setTimeoutMillis(long timeoutMillis) {
        this.timeoutMillis = Math.max(0, timeoutMillis);
    }

    long timeoutMillis() {
        return timeoutMillis;
    }

    /** The class loader of the snippet classes, once a snippet has run. */
    ClassLoader snippetLoader() {
        ClassLoader loader = snippetLoader;
        return loader != null ? loader : getClass().getClassLoader();
    }

    static boolean isValueKey(String value) {
        return value != null && value.startsWith(KEY_PREFIX);
    }

    Object takeValue(String key) {
        return values.remove(key);
    }

    void forgetValues() {
        values.clear();
        variableFields.clear();
    }

    /**
     * Reads a variable when JShell asks ({@code JShell.varValue}): answers with a key to its live value,
     * like {@link #invoke}, instead of the value's {@code toString()} (which may be large or slow), and
     * remembers the wrapper class field that holds the variable, for {@link #takeVariableField}.
     */
    @Override
    public String varValue(String className, String varName) throws InternalException {
        Field field;
        Object value;
        try {
            field = findClass(className).getField(varName);
            // the wrapper classes are package-private: their public fields need this, as in DirectExecutionControl
            field.setAccessible(true);
            value = field.get(null);
        } catch (ReflectiveOperationException e) {
            throw new InternalException("cannot read " + className + "." + varName + ": " + e);
        }
        String key = KEY_PREFIX + keys.incrementAndGet();
        variableFields.put(key, field);
        if (value != null) {
            values.put(key, value);
        }
        return key;
    }

    /** The static field that held the variable whose value {@link #varValue} answered with {@code key}. */
    Optional<Field> takeVariableField(String key) {
        values.remove(key);
        return Optional.ofNullable(variableFields.remove(key));
    }

    /** Clears the stop reason before a new cell. */
    void resetStop() {
        lastStop = Stop.NONE;
        stopRequested = false;
    }

    Stop lastStop() {
        return lastStop;
    }

    @Override
    protected String invoke(Method doit) throws Exception {
        Object[] result = new Object[1];
        Throwable[] failure = new Throwable[1];
        Thread worker = new Thread(() -> {
            try {
                result[0] = doit.invoke(null);
            } catch (Throwable t) {
                failure[0] = t;
            }
        }, "pipescope-cell");
        ClassLoader loader = doit.getDeclaringClass().getClassLoader();
        snippetLoader = loader;
        worker.setContextClassLoader(loader);
        worker.setDaemon(true);
        running = worker;
        try {
            if (stopRequested) {
                // a cell of several snippets: once interrupted, none of the later ones runs
                throw new StoppedException();
            }
            worker.start();
            long timeout = timeoutMillis;
            if (timeout > 0) {
                worker.join(timeout);
                if (worker.isAlive()) {
                    lastStop = Stop.TIMED_OUT;
                    stopRequested = true;
                    halt(worker);
                }
            } else {
                worker.join();
            }
        } finally {
            running = null;
        }
        if (stopRequested) {
            throw new StoppedException();
        }
        if (failure[0] instanceof InvocationTargetException) {
            throw (InvocationTargetException) failure[0];
        }
        if (failure[0] instanceof Exception) {
            throw (Exception) failure[0];
        }
        if (failure[0] != null) {
            throw new InvocationTargetException(failure[0]);
        }
        String key = KEY_PREFIX + keys.incrementAndGet();
        if (result[0] != null) {
            values.put(key, result[0]);
        }
        return key;
    }

    @Override
    public void stop() {
        stopRequested = true;
        if (lastStop == Stop.NONE) {
            lastStop = Stop.INTERRUPTED;
        }
        Thread worker = running;
        if (worker != null) {
            Thread halter = new Thread(() -> halt(worker), "pipescope-interrupt");
            halter.setDaemon(true);
            halter.start();
        }
    }

    /** Asks politely (interrupt), then insists: a busy loop never checks its interrupt flag. */
    @SuppressWarnings({"deprecation", "removal"})
    private static void halt(Thread worker) {
        worker.interrupt();
        try {
            worker.join(GRACE_MS);
            while (worker.isAlive()) {
                worker.stop();
                worker.join(GRACE_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Hands this control to JShell; the kernel keeps the instance to read live values. */
    static final class Provider implements ExecutionControlProvider {
        private final LiveExecutionControl control;

        Provider(LiveExecutionControl control) {
            this.control = control;
        }

        @Override
        public String name() {
            return "pipescope-live";
        }

        @Override
        public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
            return control;
        }
    }
}

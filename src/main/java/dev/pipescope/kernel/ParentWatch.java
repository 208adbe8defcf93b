package dev.pipescope.kernel;

/** Ends the kernel when the process that started it (JPY_PARENT_PID) is gone: no orphan kernels. */
final class ParentWatch {

    private ParentWatch() {
    }

    static void start(String parentPid) {
        if (parentPid == null || parentPid.isBlank()) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(parentPid.strip());
        } catch (NumberFormatException e) {
            System.err.println("JPY_PARENT_PID is not a process id: '" + parentPid + "'; not watching the parent");
            return;
        }
        ProcessHandle.of(pid).ifPresentOrElse(
                parent -> parent.onExit().thenRun(() -> exit(pid)),
                () -> exit(pid));
    }

    private static void exit(long pid) {
        System.err.println("Parent process " + pid + " is gone; the kernel exits");
        Runtime.getRuntime().halt(0);
    }
}

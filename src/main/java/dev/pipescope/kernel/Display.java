package dev.pipescope.kernel;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.messages.publish.PublishClearOutput;
import org.dflib.jjava.jupyter.messages.publish.PublishDisplayData;
import org.dflib.jjava.jupyter.messages.publish.PublishUpdateDisplayData;

import java.util.UUID;

/**
 * The display functions every notebook has (statically imported): show values while a cell runs,
 * update them in place, clear the cell's output, and build MIME bundles.
 *
 * <p>Called from a thread a cell started, after the cell ended, they show under the last cell that ran. A value
 * whose message would be over the kernel's size limit (32 MiB) throws {@link OutputTooLarge} and is not shown.
 */
public final class Display {

    private Display() {
    }

    /**
     * Shows {@code value} as an output of the running cell; returns an id for {@link #updateDisplay}.
     * Example: {@code String progress = display("0 of 10 done");}
     */
    public static String display(Object value) {
        JShellKernel kernel = JShellKernel.running();
        DisplayData data = kernel.render(value);
        String id = UUID.randomUUID().toString();
        data.setDisplayId(id);
        kernel.publishOutput(new PublishDisplayData(data));
        return id;
    }

    /**
     * Replaces an earlier {@link #display(Object)} output (in any cell) with {@code value}.
     * Example: {@code updateDisplay(progress, "5 of 10 done");}
     */
    public static void updateDisplay(String displayId, Object value) {
        JShellKernel kernel = JShellKernel.running();
        DisplayData data = kernel.render(value);
        data.setDisplayId(displayId);
        kernel.publishOutput(new PublishUpdateDisplayData(data));
    }

    /**
     * Shows {@code value} in the notebook's pager (the help pane IPython's {@code ?} opens) instead of under the
     * cell; it is sent with the cell's reply. Example: {@code page(markdown("## Usage\n..."));}
     *
     * @throws IllegalStateException when called while no cell runs (from a thread that outlived its cell)
     */
    public static void page(Object value) {
        JShellKernel.running().page(value);
    }

    /** Clears the running cell's output now (Jupyter's clear_output). Example: {@code clearOutput(); display(chart);} */
    public static void clearOutput() {
        JShellKernel.running().publishOutput(PublishClearOutput.NOW);
    }

    /**
     * Clears the running cell's output; with {@code wait}, only when the next output arrives, so that a redrawn
     * display does not flicker. Example: {@code clearOutput(true); System.out.println(step + " of 100");}
     */
    public static void clearOutput(boolean wait) {
        JShellKernel.running().publishOutput(wait ? PublishClearOutput.BEFORE_NEXT_OUTPUT : PublishClearOutput.NOW);
    }

    public static MimeBundle html(String html) {
        return MimeBundle.html(html);
    }

    public static MimeBundle markdown(String markdown) {
        return MimeBundle.markdown(markdown);
    }

    public static MimeBundle svg(String svg) {
        return MimeBundle.svg(svg);
    }

    public static MimeBundle png(byte[] png) {
        return MimeBundle.png(png);
    }

    public static MimeBundle mime(String mimeType, Object content) {
        return MimeBundle.of(mimeType, content);
    }
}

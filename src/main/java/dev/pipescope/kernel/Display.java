package dev.pipescope.kernel;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;

import java.util.UUID;

/**
 * The display functions every notebook has (statically imported): show values while a cell runs,
 * update them in place, and build MIME bundles.
 */
public final class Display {

    private Display() {
    }

    /** Shows {@code value} as an output of the running cell; returns an id for {@link #updateDisplay}. */
    public static String display(Object value) {
        PipescopeKernel kernel = PipescopeKernel.running();
        DisplayData data = kernel.render(value);
        String id = UUID.randomUUID().toString();
        data.setDisplayId(id);
        kernel.getIO().display.display(data);
        return id;
    }

    /** Replaces an earlier {@link #display(Object)} output (in any cell) with {@code value}. */
    public static void updateDisplay(String displayId, Object value) {
        PipescopeKernel kernel = PipescopeKernel.running();
        kernel.getIO().display.updateDisplay(displayId, kernel.render(value));
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

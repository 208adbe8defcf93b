package dev.pipescope.notebook;

import com.github.weisj.jsvg.SVGDocument;
import com.github.weisj.jsvg.attributes.ViewBox;
import com.github.weisj.jsvg.parser.SVGLoader;
import dev.pipescope.error.InvalidArgumentException;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A drawn picture: SVG text shown inline by the kernel ({@code image/svg+xml}) with a PNG beside it
 * ({@code image/png}, for nbconvert's HTML, GitHub and VS Code), savable from jshell, and redrawn at
 * another size with {@link #size(int, int)}.
 *
 * <pre>{@code
 * throughputChart(allRuns()).size(1200, 500).save(Path.of("throughput.png"));
 * }</pre>
 */
public final class Chart {

    /** Draws the picture as a complete {@code <svg>} document of the given size in pixels. */
    @FunctionalInterface
    interface Drawing {
        String svg(int width, int height);
    }

    /** PNG pixels per SVG pixel: 1 keeps a chart's PNG near 100 KB (2 made 350 KB for a 720 × 360 chart). */
    static final int PNG_SCALE = 1;
    private static final Pattern ROOT = Pattern.compile("<svg\\b[^>]*>");
    private static final Pattern WIDTH = Pattern.compile("\\swidth=[\"']([0-9.]+)(px)?[\"']");
    private static final Pattern HEIGHT = Pattern.compile("\\sheight=[\"']([0-9.]+)(px)?[\"']");

    private final String title;
    private final int width;
    private final int height;
    private final String svg;
    private final Drawing drawing;
    private volatile byte[] png;

    /**
     * A fixed picture: {@code svg} is a complete {@code <svg>} document whose root carries its
     * {@code width} and {@code height} in pixels.
     *
     * @throws InvalidArgumentException when the document has no {@code <svg>} root with a size
     */
    public Chart(String title, String svg) {
        this(title, svg, null);
    }

    private Chart(String title, String svg, Drawing drawing) {
        this.title = Objects.requireNonNull(title, "title");
        this.svg = Objects.requireNonNull(svg, "svg");
        this.drawing = drawing;
        Matcher root = ROOT.matcher(svg);
        if (!root.find()) {
            throw new InvalidArgumentException("the picture '" + title + "' is not an SVG document: "
                    + svg.substring(0, Math.min(60, svg.length())));
        }
        this.width = dimension(WIDTH, "width", root.group(), title);
        this.height = dimension(HEIGHT, "height", root.group(), title);
    }

    /** A picture drawn by {@code drawing}, which can draw it again at any size. */
    static Chart drawn(String title, int width, int height, Drawing drawing) {
        return new Chart(title, drawing.svg(width, height), drawing);
    }

    private static int dimension(Pattern attribute, String name, String root, String title) {
        Matcher m = attribute.matcher(root);
        if (!m.find()) {
            throw new InvalidArgumentException("the SVG of '" + title + "' has no " + name + " in pixels on its root: "
                    + root);
        }
        return (int) Math.ceil(Double.parseDouble(m.group(1)));
    }

    /** What the picture shows. */
    public String title() {
        return title;
    }

    /** A complete {@code <svg>} document. */
    public String svg() {
        return svg;
    }

    /** Width in pixels. */
    public int width() {
        return width;
    }

    /** Height in pixels. */
    public int height() {
        return height;
    }

    /**
     * The picture drawn again at {@code width} × {@code height} pixels (a chart lays its axes and
     * labels out anew; a diagram is scaled).
     *
     * @throws InvalidArgumentException when a side is below 100 or above 10,000 pixels
     */
    public Chart size(int width, int height) {
        if (width < 100 || height < 100 || width > 10_000 || height > 10_000) {
            throw new InvalidArgumentException("a picture is 100 to 10,000 pixels a side, got " + width + " × " + height);
        }
        if (drawing != null) {
            return drawn(title, width, height, drawing);
        }
        Matcher root = ROOT.matcher(svg);
        root.find();
        String tag = root.group();
        String sized = WIDTH.matcher(tag).replaceFirst(" width=\"" + width + "\"");
        sized = HEIGHT.matcher(sized).replaceFirst(" height=\"" + height + "\"");
        if (!tag.contains("viewBox")) {
            sized = sized.replaceFirst("<svg\\b", "<svg viewBox=\"0 0 " + this.width + " " + this.height + "\"");
        }
        return new Chart(title, svg.substring(0, root.start()) + sized + svg.substring(root.end()), null);
    }

    /**
     * The picture as PNG: {@link #PNG_SCALE} pixels per SVG pixel, transparent where the SVG draws
     * nothing. Rasterised from the SVG (by JSVG) once, on first use.
     */
    public byte[] png() {
        byte[] made = png;
        if (made == null) {
            made = rasterise();
            png = made;
        }
        return made.clone();
    }

    private byte[] rasterise() {
        SVGDocument document = new SVGLoader().load(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        if (document == null) {
            throw new IllegalStateException("JSVG could not read the SVG of the picture '" + title + "'");
        }
        BufferedImage image = new BufferedImage(width * PNG_SCALE, height * PNG_SCALE, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.scale(PNG_SCALE, PNG_SCALE);
            document.render((java.awt.Component) null, g, new ViewBox(0, 0, width, height));
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the picture '" + title + "' as PNG", e);
        }
        return out.toByteArray();
    }

    /**
     * Writes the picture to {@code file} as its extension says ({@code .svg} or {@code .png}) and returns the file.
     *
     * @throws InvalidArgumentException for any other extension, before a file is made
     * @throws UncheckedIOException when the file cannot be written
     */
    public Path save(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        try {
            if (name.endsWith(".svg")) {
                return Files.writeString(file, svg, StandardCharsets.UTF_8);
            }
            if (name.endsWith(".png")) {
                return Files.write(file, png());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the picture '" + title + "' to " + file, e);
        }
        throw new InvalidArgumentException("a picture saves as .svg or .png, not " + file);
    }

    @Override
    public String toString() {
        return "Chart[" + title + ", " + width + " × " + height + " px, " + svg.length()
                + " characters of SVG; save(path) writes .svg or .png]";
    }
}

package dev.pipescope.kernel;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RenderersTest {

    private final Renderers renderers = new Renderers(kernelRenderer());

    /** The fallback renderer as BaseKernel's constructor sets it up for the kernel. */
    private static Renderer kernelRenderer() {
        Renderer renderer = new Renderer();
        org.dflib.jjava.jupyter.kernel.display.common.Image.registerAll(renderer);
        org.dflib.jjava.jupyter.kernel.display.common.Text.registerAll(renderer);
        return renderer;
    }

    interface Shape {
    }

    record Square(int side) implements Shape {
    }

    @Test
    void bundlesKeepTheirTypesAndGetAPlainTextFallback() {
        DisplayData data = renderers.render(MimeBundle.html("<b>bold</b> text"));
        assertEquals("<b>bold</b> text", data.getData(MIMEType.TEXT_HTML));
        assertEquals("bold text", data.getData(MIMEType.TEXT_PLAIN));
    }

    @Test
    void registeredRendererAppliesToSubtypesAndTheMostSpecificWins() {
        renderers.register(Shape.class, s -> MimeBundle.svg("<svg id='shape'/>"));
        DisplayData shape = renderers.render(new Square(2));
        assertEquals("<svg id='shape'/>", shape.getData(MIMEType.parse("image/svg+xml")));
        assertEquals("Square[side=2]", shape.getData(MIMEType.TEXT_PLAIN));

        renderers.register(Square.class, s -> MimeBundle.html("<i>" + s.side() + "</i>"));
        DisplayData square = renderers.render(new Square(3));
        assertEquals("<i>3</i>", square.getData(MIMEType.TEXT_HTML));
    }

    @Test
    void imagesBecomePngAndOtherValuesText() {
        DisplayData image = renderers.render(new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB));
        Object png = image.getData(MIMEType.IMAGE_PNG);
        assertNotNull(png);
        byte[] bytes = Base64.getDecoder().decode(png.toString().replace("\n", "").replace("\r", ""));
        assertEquals((byte) 0x89, bytes[0]);
        assertEquals("PNG", new String(bytes, 1, 3));
        assertEquals("[1, 2]", renderers.render(java.util.List.of(1, 2)).getData(MIMEType.TEXT_PLAIN));
        assertEquals("null", renderers.render(null).getData(MIMEType.TEXT_PLAIN));
    }

    @Test
    void pngBundleIsBase64() {
        DisplayData data = renderers.render(MimeBundle.png(new byte[] {1, 2, 3}));
        assertEquals("AQID", data.getData(MIMEType.IMAGE_PNG));
        assertTrue(String.valueOf(data.getData(MIMEType.TEXT_PLAIN)).contains("image/png"));
    }
}

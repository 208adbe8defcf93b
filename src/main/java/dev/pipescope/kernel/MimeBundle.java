package dev.pipescope.kernel;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A value's representations keyed by MIME type, as Jupyter displays them. A cell whose last
 * expression is a bundle shows the richest representation the front end supports.
 *
 * @param data     MIME type to content (a String, or JSON-able data for application/json)
 * @param metadata optional per-type metadata (e.g. image sizes)
 */
public record MimeBundle(Map<String, Object> data, Map<String, Object> metadata) {

    public MimeBundle {
        Objects.requireNonNull(data, "data");
        data = Map.copyOf(new LinkedHashMap<>(data));
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    public static MimeBundle of(String mimeType, Object content) {
        return new MimeBundle(Map.of(mimeType, content), Map.of());
    }

    public static MimeBundle text(String text) {
        return of("text/plain", text);
    }

    public static MimeBundle html(String html) {
        return of("text/html", html);
    }

    public static MimeBundle markdown(String markdown) {
        return of("text/markdown", markdown);
    }

    public static MimeBundle svg(String svg) {
        return of("image/svg+xml", svg);
    }

    public static MimeBundle png(byte[] png) {
        return of("image/png", Base64.getEncoder().encodeToString(png));
    }

    /** This bundle with one more representation (replacing one of the same type). */
    public MimeBundle with(String mimeType, Object content) {
        Map<String, Object> more = new LinkedHashMap<>(data);
        more.put(mimeType, content);
        return new MimeBundle(more, metadata);
    }

    /** This bundle with a text/plain fallback, which Jupyter expects in every bundle. */
    public MimeBundle withPlainText(String text) {
        return data.containsKey("text/plain") ? this : with("text/plain", text);
    }
}

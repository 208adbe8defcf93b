package dev.pipescope.domain;

/**
 * How dagger stored one {@code artifacts} row. Dagger has two writers into the same table:
 *
 * <ul>
 *   <li>{@link #CACHE}: {@code save_cache} / {@code save_cache_delta} store the serde form of a cache
 *       value, {@code {"value": <any JSON>}} (an object whose only member is {@code value});
 *   <li>{@link #JSON}: {@code set_json(dag, "node/{node}/{key}", v)} stores {@code v} as given, e.g.
 *       {@code ["bug","ui"]} or {@code {"confidence":0.87,"next":"classify"}}; dagger's
 *       {@code get_json} hands it back as stored.
 * </ul>
 *
 * The file does not record which writer made a row, so the form is read from the text: an object
 * whose only member is {@code value} is {@link #CACHE} (as dagger's own {@code load_cache} reads it),
 * anything else is {@link #JSON}. A {@code set_json} of exactly {@code {"value": x}} therefore reads
 * as the cache value {@code x}; no file can tell the two apart.
 */
public enum ArtifactForm {
    /** {@code {"value": ...}} as written by {@code save_cache}/{@code save_cache_delta}; the value is inside. */
    CACHE,
    /** The JSON value as given to {@code set_json}; the value is the whole text. */
    JSON
}

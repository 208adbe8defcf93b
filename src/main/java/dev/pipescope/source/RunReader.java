package dev.pipescope.source;

import dev.pipescope.domain.Run;
import dev.pipescope.domain.RunFilter;
import dev.pipescope.domain.RunSource;
import java.util.List;
import org.jdbi.v3.core.Handle;

/** Reads one source's rows as unified {@link Run}s, inside the read transaction the caller holds. */
public interface RunReader {

    /** The source whose runs this reads. */
    RunSource source();

    /**
     * The source's runs; the caller applies {@link RunFilter#matches} and the limit. A reader may use
     * the filter's time range to read less, never to drop a run the filter would accept.
     */
    List<Run> read(Handle handle, RunFilter filter);
}

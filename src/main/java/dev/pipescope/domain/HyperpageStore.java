package dev.pipescope.domain;

/**
 * Hyperpage's tables ({@code db.hyperpage()}): the job queue with its attempt log, tool settings, rate limits and
 * app state, in its SQLite file or its PostgreSQL database. Its PostgreSQL database is read only: every write
 * method there throws {@link dev.pipescope.error.ReadOnlyViolationException}, whatever the open.
 *
 * <pre>{@code
 * var hp = db.hyperpage();
 * hp.jobs().recoverInterrupted();
 * hp.toolConfigs().config("github", Map.class);
 * hp.appState().put("theme", "dark");
 * }</pre>
 */
public interface HyperpageStore {
    JobRepository jobs();

    ToolConfigs toolConfigs();

    RateLimits rateLimits();

    AppState appState();
}

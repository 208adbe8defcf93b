package dev.pipescope.domain;

/**
 * Hyperpage's tables in a file ({@code db.hyperpage()}): the job queue with its attempt log, tool settings,
 * rate limits and app state. SQLite only: they are Hyperpage's layout.
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

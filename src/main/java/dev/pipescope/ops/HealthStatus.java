package dev.pipescope.ops;

/** Overall verdict of a health check. */
public enum HealthStatus {
    /** Everything checked is fine. */
    HEALTHY,
    /** Usable, but something needs attention (pending migrations, no recent backup, much free space...). */
    DEGRADED,
    /** Not usable or damaged (cannot connect, failed quick_check, schema newer than this Pipescope). */
    UNHEALTHY
}

package dev.pipescope.domain;

import java.time.Instant;

/**
 * One of the ETL framework's schedules ({@code scheduletable}): when a job runs in an environment.
 *
 * @param triggerType the scheduler's trigger kind as etl-core writes it ({@code cron}, {@code interval}, ...)
 * @param triggerArgs the trigger's arguments, the JSON text as stored (e.g. {@code {"hour": 2, "minute": 30}})
 * @param createdAt read in the zone of the file's naive timestamps (see {@code ConnectionSettings#naiveTimeZone})
 */
public record EtlSchedule(String id, String name, String jobId, String environment, String triggerType,
                          String triggerArgs, boolean paused, Instant createdAt, Instant updatedAt) {}

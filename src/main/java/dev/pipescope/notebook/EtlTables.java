package dev.pipescope.notebook;

import dev.pipescope.domain.EtlExecution;
import dev.pipescope.domain.EtlExecutionQuery;
import dev.pipescope.domain.EtlJob;
import dev.pipescope.domain.Layout;
import dev.pipescope.domain.EtlComponent;
import dev.pipescope.domain.EtlSchedule;
import dev.pipescope.error.NotFoundException;
import tech.tablesaw.api.Table;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Tables of the Python ETL framework's state: its executions, with the job's name. */
final class EtlTables {

    private final CurrentDatabase current;

    EtlTables(CurrentDatabase current) {
        this.current = current;
    }

    Table executions(EtlExecutionQuery query) {
        current.require(Layout.ETL, "executions()");
        var etl = current.db().etl();
        Map<String, String> jobNames = new HashMap<>();
        etl.jobs().forEach(job -> jobNames.put(job.id(), job.name()));
        // one execution more than asked for tells whether the limit cut anything
        var read = etl.listExecutions(query.limit() == Integer.MAX_VALUE ? query : query.limit(query.limit() + 1));
        var shown = read.size() > query.limit() ? read.subList(0, query.limit()) : read;
        String title = read.size() > query.limit()
                ? "executions: first " + Captions.count(query.limit()) + " (more match; executions(query.limit(n)) for more)"
                : "executions";
        return new TableBuilder<EtlExecution>(title)
                .string("job", e -> jobNames.getOrDefault(e.jobId(), e.jobId()))
                .string("environment", EtlExecution::environment)
                .string("status", EtlExecution::status)
                .instant("started_at", EtlExecution::startedAt)
                .instant("finished_at", EtlExecution::finishedAt)
                .longs("duration_ms", e -> e.duration().map(Duration::toMillis).orElse(null))
                .ints("attempts", e -> e.attempts().size())
                .string("error", EtlExecution::error)
                .string("job_id", EtlExecution::jobId)
                .string("id", EtlExecution::id)
                .build(shown);
    }

    /**
     * The job with this name, else with this id.
     *
     * @throws NotFoundException when there is none
     */
    EtlJob job(String nameOrId) {
        current.require(Layout.ETL, "an ETL job");
        var etl = current.db().etl();
        return etl.jobs().stream().filter(j -> j.name().equals(nameOrId)).findFirst().or(() -> etl.job(nameOrId))
                .orElseThrow(() -> new NotFoundException("no ETL job named or with id '" + nameOrId + "' in "
                        + current.where()));
    }

    Table etlComponents(String job) {
        EtlJob j = job(job);
        return new TableBuilder<EtlComponent>("components of ETL job " + j.name())
                .string("name", EtlComponent::name)
                .string("type", EtlComponent::compType)
                .string("description", EtlComponent::description)
                .string("id", EtlComponent::id)
                .build(current.db().etl().components(j.id()));
    }

    Table etlSchedules() {
        current.require(Layout.ETL, "etlSchedules()");
        var names = new java.util.HashMap<String, String>();
        current.db().etl().jobs().forEach(j -> names.put(j.id(), j.name()));
        return new TableBuilder<EtlSchedule>("ETL schedules")
                .string("name", EtlSchedule::name)
                .string("job", s -> names.getOrDefault(s.jobId(), s.jobId()))
                .string("environment", EtlSchedule::environment)
                .string("trigger", EtlSchedule::triggerType)
                .string("trigger_args", EtlSchedule::triggerArgs)
                .bool("paused", EtlSchedule::paused)
                .instant("created_at", EtlSchedule::createdAt)
                .instant("updated_at", EtlSchedule::updatedAt)
                .string("id", EtlSchedule::id)
                .build(current.db().etl().schedules());
    }

    Table etlJobs() {
        current.require(Layout.ETL, "etlJobs()");
        return new TableBuilder<EtlJob>("ETL jobs")
                .string("name", EtlJob::name)
                .string("strategy", EtlJob::strategyType)
                .ints("retries", EtlJob::numOfRetries)
                .bool("file_logging", EtlJob::fileLogging)
                .string("id", EtlJob::id)
                .build(current.db().etl().jobs());
    }
}

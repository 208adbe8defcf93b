package dev.pipescope.domain;

import java.util.List;
import java.util.Optional;

/**
 * The Python ETL framework's tables ({@code db.etl()}), read only: the framework writes them.
 * SQLite only. Its credential tables ({@code credentialstable}, {@code contextcredentialsmaptable}) are
 * never read: they hold secrets.
 */
public interface EtlStore {

    /** Every job, by name. */
    List<EtlJob> jobs();

    Optional<EtlJob> job(String id);

    /** The job's components, by their payload's {@code order} then name. */
    List<EtlComponent> components(String jobId);

    /**
     * The job's component graph: every link from one component's output port to another's input port,
     * by source component, port and position. Empty for a file whose etl-core version keeps no links.
     */
    List<EtlComponentLink> links(String jobId);

    /** Every schedule (all jobs), by name. Empty for a file whose etl-core version keeps no schedules. */
    List<EtlSchedule> schedules();

    /** One execution with its attempts. */
    Optional<EtlExecution> execution(String id);

    /** Executions matching the query, each with its attempts. */
    List<EtlExecution> listExecutions(EtlExecutionQuery query);
}

package dev.pipescope.domain;

import java.util.List;
import java.util.Optional;

/**
 * The Python ETL framework's tables ({@code db.etl()}), read only: the framework writes them.
 * SQLite only.
 */
public interface EtlStore {

    /** Every job, by name. */
    List<EtlJob> jobs();

    Optional<EtlJob> job(String id);

    /** The job's components, by their payload's {@code order} then name. */
    List<EtlComponent> components(String jobId);

    /** One execution with its attempts. */
    Optional<EtlExecution> execution(String id);

    /** Executions matching the query, each with its attempts. */
    List<EtlExecution> listExecutions(EtlExecutionQuery query);
}

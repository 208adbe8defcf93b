package dev.pipescope.domain;

import java.util.List;
import java.util.Optional;

/**
 * Pipelines as whole aggregates: the {@code pipelines} row, its stages with their parameters, and
 * its configuration. The methods mirror the adaptive pipeline tool's repository trait.
 *
 * <p>Semantics every implementation keeps (the contract tests check them):
 * <ul>
 *   <li><b>Active vs archived.</b> {@link #archive} hides a pipeline (archived = true on the pipeline and
 *       on all its stages, parameters and configuration rows) without deleting anything; {@link #restore}
 *       undoes all of that. {@link #delete} removes the aggregate for good (rows cascade).</li>
 *   <li><b>What sees archived pipelines.</b> {@link #findById}, {@link #exists}, {@link #listAll} and
 *       {@link #listArchived} do; {@link #findByName}, {@link #findAll}, {@link #listPaginated}, {@link #listAfter},
 *       {@link #count} and {@link #findByConfig} see active pipelines only.</li>
 *   <li><b>Ordering.</b> {@link #findAll} and {@link #findByConfig} order by name; {@link #listAll},
 *       {@link #listArchived}, {@link #listPaginated} and {@link #listAfter} by id, which for ULIDs is
 *       creation order, so offset pages stay stable while new pipelines are added; {@link #listAfter}
 *       (keyset paging) stays stable whatever ids are inserted.</li>
 *   <li><b>Names</b> are unique across active and archived pipelines (upstream's {@code UNIQUE} constraint).</li>
 *   <li><b>Atomicity.</b> {@link #save}, {@link #saveAll} and {@link #update} write everything or nothing.</li>
 * </ul>
 *
 * <pre>{@code
 * try (var db = Pipescope.open(Path.of("pipeline.db"))) {
 *     db.pipelines().save(Pipeline.builder("compress-logs").build());
 *     db.pipelines().findByName("compress-logs").ifPresent(System.out::println);
 * }
 * }</pre>
 */
public interface PipelineRepository {

    /**
     * Stores a new aggregate.
     *
     * @throws dev.pipescope.error.DuplicateNameException when the name is taken
     * @throws dev.pipescope.error.DuplicateIdException when the id is taken
     * @throws dev.pipescope.error.InvalidPipelineException when the aggregate breaks a rule
     */
    void save(Pipeline pipeline);

    /** Stores many new aggregates in one transaction: all of them or none. */
    void saveAll(List<Pipeline> pipelines);

    /** The pipeline with this id, archived or not. */
    Optional<Pipeline> findById(String id);

    /**
     * Replaces a stored aggregate by the given one: name, archived flag, stages (added, changed and
     * removed ones), parameters and configuration. The pipeline's {@code updatedAt} is set to now.
     *
     * @return the aggregate as stored
     * @throws dev.pipescope.error.NotFoundException when no pipeline has that id
     */
    Pipeline update(Pipeline pipeline);

    /** Deletes the aggregate and its metrics. @return false when there was nothing to delete */
    boolean delete(String id);

    /** The active pipeline with this name. */
    Optional<Pipeline> findByName(String name);

    /** Every active (not archived) pipeline, ordered by name. */
    List<Pipeline> listActive();

    /** Every pipeline, archived ones included, ordered by id (creation order). */
    List<Pipeline> listIncludingArchived();

    /**
     * One page of active pipelines ordered by id.
     *
     * @throws dev.pipescope.error.InvalidArgumentException for a negative offset or a limit below 1
     */
    List<Pipeline> listPaginated(long offset, int limit);

    /**
     * The next page of active pipelines after {@code afterId} (exclusive) in id order; start with
     * {@code ""} and pass the last id of each page. Unlike offset paging, rows inserted or deleted
     * anywhere while paging never make a page skip or repeat a row that was there throughout.
     *
     * @throws dev.pipescope.error.InvalidArgumentException for a null {@code afterId} or a limit below 1
     */
    List<Pipeline> listAfter(String afterId, int limit);

    /** True when a pipeline (archived or not) has this id. */
    boolean exists(String id);

    /** The number of active pipelines. */
    long count();

    /** Archives the pipeline and all its rows. @return false when it was absent or already archived */
    boolean archive(String id);

    /**
     * Un-archives the pipeline and all its rows (upstream's restore touches only the pipeline row).
     * @return false when it was absent or not archived
     */
    boolean unarchive(String id);

    /** Every archived pipeline, ordered by id. */
    List<Pipeline> listArchived();

    /** Active pipelines whose configuration maps {@code key} to {@code value}, ordered by name. */
    List<Pipeline> listByConfig(String key, String value);
}

package dev.pipescope.domain;

/**
 * One edge of an ETL job's component graph ({@code componentlinktable}): rows leave {@code srcComponentId}
 * through its {@code srcOutPort} and enter {@code dstComponentId} through its {@code dstInPort};
 * {@code position} orders the links leaving one port.
 */
public record EtlComponentLink(String id, String jobId, String srcComponentId, String srcOutPort,
                               String dstComponentId, String dstInPort, int position) {}

package dev.pipescope.domain;

/** One row of the ETL framework's {@code jobtable}. @param strategyType ROW, BULK or BIGDATA as stored */
public record EtlJob(String id, String name, int numOfRetries, boolean fileLogging, String strategyType) {}

/**
 * What every database engine gives the sources: {@link dev.pipescope.engine.EngineConnections} (connections,
 * transactions, the engine's errors) and the {@link dev.pipescope.engine.Dialect} that picks the few statements
 * that differ. SQLite ({@code dev.pipescope.sqlite}) and PostgreSQL ({@code dev.pipescope.postgres}) implement
 * it, beside each other; neither knows the other.
 */
package dev.pipescope.engine;

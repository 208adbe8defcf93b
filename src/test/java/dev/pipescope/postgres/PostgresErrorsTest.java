package dev.pipescope.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipescope.Secret;
import dev.pipescope.ServerTarget;
import dev.pipescope.error.AuthenticationFailedException;
import dev.pipescope.error.DatabaseBusyException;
import dev.pipescope.error.NotFoundException;
import dev.pipescope.error.PipescopeException;
import dev.pipescope.error.ReadOnlyViolationException;
import dev.pipescope.error.ServerUnreachableException;
import dev.pipescope.error.StorageException;
import dev.pipescope.error.StorageFullException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** SQLStates become typed errors that name the server and database and never hold the password. */
class PostgresErrorsTest {
    private static final String PASSWORD = "s3cret-Pw";
    private static final ServerTarget TARGET = new ServerTarget("db.internal", 6543, "fleet", List.of(),
            Optional.of("analyst"), Optional.of(Secret.of(PASSWORD)), 3, 2_000, 0);
    private final PostgresErrors errors = new PostgresErrors(TARGET);

    @ParameterizedTest
    @CsvSource({
            "08001, dev.pipescope.error.ServerUnreachableException",
            "08006, dev.pipescope.error.ServerUnreachableException",
            "57P01, dev.pipescope.error.ServerUnreachableException",
            "28P01, dev.pipescope.error.AuthenticationFailedException",
            "28000, dev.pipescope.error.AuthenticationFailedException",
            "3D000, dev.pipescope.error.NotFoundException",
            "42P01, dev.pipescope.error.NotFoundException",
            "25006, dev.pipescope.error.ReadOnlyViolationException",
            "40001, dev.pipescope.error.DatabaseBusyException",
            "40P01, dev.pipescope.error.DatabaseBusyException",
            "53300, dev.pipescope.error.DatabaseBusyException",
            "53100, dev.pipescope.error.StorageFullException",
            "42601, dev.pipescope.error.StorageException"})
    void eachSqlStateBecomesItsTypedErrorNamingTheDatabaseWithoutThePassword(String state, String type) {
        var driver = new SQLException("FATAL: something about user analyst (password " + PASSWORD + ")", state);
        // Jdbi and HikariCP wrap the driver's exception: the state is found down the chain
        var translated = errors.translate(new RuntimeException("wrapped", driver), "list runs");
        assertEquals(type, translated.getClass().getName(), translated.getMessage());
        assertTrue(translated.getMessage().contains("fleet"), translated.getMessage());
        assertTrue(translated.getMessage().contains("list runs"), translated.getMessage());
        assertFalse(translated.getMessage().contains(PASSWORD), translated.getMessage());
        assertTrue(translated.getMessage().contains("****"), translated.getMessage());
    }

    @Test
    void unreachableAndAuthenticationNameTheHostPortAndRole() {
        var unreachable = errors.translate(new SQLException("Connection refused", "08001"), "connect");
        assertInstanceOf(ServerUnreachableException.class, unreachable);
        assertTrue(unreachable.getMessage().contains("db.internal:6543"), unreachable.getMessage());
        var refused = errors.translate(new SQLException("password authentication failed", "28P01"), "connect");
        assertInstanceOf(AuthenticationFailedException.class, refused);
        assertTrue(refused.getMessage().contains("'analyst'") && refused.getMessage().contains("db.internal:6543"),
                refused.getMessage());
        assertInstanceOf(StorageException.class, refused, "a connection failure is a storage failure");
    }

    @Test
    void aPoolThatStaysBusyIsABusyDatabase() {
        var busy = errors.translate(new SQLTransientConnectionException("pipescope - Connection is not available"),
                "read runs");
        assertInstanceOf(DatabaseBusyException.class, busy);
        assertTrue(busy.getMessage().contains("3 connections") && busy.getMessage().contains("2000 ms"), busy.getMessage());
    }

    @Test
    void aPipescopeExceptionPassesThroughUnchanged() {
        var own = new NotFoundException("no run 7");
        assertSame(own, errors.translate(own, "find run 7"));
    }

    @Test
    void constraintsAndRetryableConflictsAreRecognisedByState() {
        assertTrue(errors.isConstraint(new RuntimeException(new SQLException("duplicate key", "23505"))));
        assertTrue(errors.isConstraint(new SQLException("fk", "23503")));
        assertFalse(errors.isConstraint(new SQLException("syntax", "42601")));
        assertTrue(PostgresErrors.isRetryable(new DatabaseBusyException("x", new SQLException("s", "40001"))));
        assertFalse(PostgresErrors.isRetryable(new DatabaseBusyException("x", new SQLException("s", "53300"))));
    }

    @Test
    void theDeepestMessageIsTheServersOwnWords() {
        var deep = new SQLException("ERROR: relation \"runs\" does not exist", "42P01");
        assertEquals("ERROR: relation \"runs\" does not exist",
                errors.messageOf(new RuntimeException("statement failed", new SQLException("outer", "42P01", deep))));
        PipescopeException missing = errors.translate(deep, "count runs");
        assertTrue(missing.getMessage().contains("relation \"runs\" does not exist"), missing.getMessage());
    }

    @Test
    void readOnlyAndFullDiskKeepTheirTypes() {
        assertInstanceOf(ReadOnlyViolationException.class, errors.translate(new SQLException("ro", "25006"), "w"));
        assertInstanceOf(StorageFullException.class, errors.translate(new SQLException("full", "53100"), "w"));
    }
}

package dev.pipescope.source.dagger;

import dev.pipescope.domain.DagStore;
import dev.pipescope.store.SqliteDatabase;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** The DAG store contract on SQLite's {@code :memory:}. */
class SqliteMemoryDagStoreTest extends DagStoreContractTest {
    private final List<SqliteDatabase> opened = new ArrayList<>();

    @Override
    protected DagStore newStore(Clock clock, long maxDecodedBytes) {
        var db = SqliteDatabase.memory();
        opened.add(db);
        return new SqlDagStore(db.connections(), clock, maxDecodedBytes);
    }

    @AfterEach
    void close() {
        opened.forEach(SqliteDatabase::close);
    }
}

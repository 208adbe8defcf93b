package dev.pipescope.source.dagger;

import dev.pipescope.store.SqliteDatabase;

import dev.pipescope.Pipescope;
import dev.pipescope.domain.DagStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** The DAG store contract, held by the SQLite store on a freshly created file. */
class SqliteFileDagStoreTest extends DagStoreContractTest {
    @TempDir
    Path dir;
    private final List<SqliteDatabase> opened = new ArrayList<>();

    @Override
    protected DagStore newStore(Clock clock, long maxDecodedBytes) {
        var db = (SqliteDatabase) Pipescope.open(dir.resolve("dags-" + opened.size() + ".db"));
        opened.add(db);
        return new SqlDagStore(db.connections(), clock, maxDecodedBytes);
    }

    @AfterEach
    void close() {
        opened.forEach(SqliteDatabase::close);
    }
}

package dev.pipescope.testing;

import dev.pipescope.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;

/** The bytes of a database file and its write-ahead log, to prove a refused call wrote nothing. */
public record FileState(String main, String wal) {
    public static FileState of(Path db) {
        var wal = Path.of(db + "-wal");
        return new FileState(Fixtures.sha256(db), Files.exists(wal) ? Fixtures.sha256(wal) : "no wal");
    }
}

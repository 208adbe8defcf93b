package dev.pipescope.store.memory;

import dev.pipescope.domain.DagStore;
import dev.pipescope.store.DagStoreContractTest;
import java.time.Clock;

/** The DAG store contract, held by the in-memory store. */
class MemoryDagStoreTest extends DagStoreContractTest {
    @Override
    protected DagStore newStore(Clock clock, long maxDecodedBytes) {
        return new MemoryDagStore(clock, maxDecodedBytes);
    }
}

#!/usr/bin/env bash
# Backup/verify/restore benchmark against sqlite3 .backup, cp and sqlite3 .restore, measured in the same run.
# Usage: bench/ops_bench.sh [REPS] [SIZE_MB...]   (default: 5 reps, 100 and 1000 MB)
# Writes bench/results/ops.md (linked from BENCHMARKS.md). Needs sqlite3, sha256sum and about 4x the largest size free
# in $TMPDIR (or /tmp); everything it creates there is deleted when it ends.
set -euo pipefail
cd "$(dirname "$0")/.."
reps="${1:-5}"
shift || true
sizes=("${@:-100 1000}")
work="$(mktemp -d "${TMPDIR:-/tmp}/pipescope-ops-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mvn -q -o -Pbench -DskipTests package
java -cp target/benchmarks.jar dev.pipescope.bench.OpsBench "$work/run" bench/results/ops.md "$reps" ${sizes[@]}

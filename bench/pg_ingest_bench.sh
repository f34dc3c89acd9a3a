#!/usr/bin/env bash
# End-to-end Postgres cache ingest (issue: Postgres cache). In one run, on the same N
# users-shaped records, against one throwaway PostgreSQL server (scripts/pg_test_server, fsync
# on):
#  (a) `airbyte read` from a connector process (a script replaying source-faker's protocol
#      output) into a fresh Postgres cache schema (auto → merge on id; binary COPY);
#  (b) `psql -c "\copy users FROM file CSV"` of exactly the rows (a) stored, exported as CSV,
#      into an equivalent empty table (CREATE TABLE ... (LIKE ...)).
# Prints wall times, the (a)/(b) ratio, records/s and the peak RSS of `airbyte read`.
# Usage: bench/pg_ingest_bench.sh [build_dir] [count]
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${1:-build/release}"
count="${2:-1000000}"
airbyte="$(realpath "$build_dir/airbyte")"
[ -x "$airbyte" ] || { echo "pg_ingest_bench: build $airbyte first (make release)" >&2; exit 1; }
work="$(mktemp -d)"
pg_dir="/tmp/airbyte-pg-bench-$$"  # the postgres user must reach it: not under $work (0700)
trap 'scripts/pg_test_server stop "$pg_dir" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
. bench/faker_replay.sh

url="$(PG_TEST_DURABLE=1 scripts/pg_test_server start "$pg_dir")"
now() { date +%s.%N; }

# (a)
start=$(now)
/usr/bin/time -f "%M" -o "$work/rss_a" "$airbyte" read --source "$work/source-replay" \
  --config "$config" --streams users --cache "$url?schema=bench_a" --json > "$work/a.json"
a=$(node -e "console.log($(now) - $start)")
stored=$(psql "$url" -XtAc "SELECT count(*) FROM bench_a.users")
[ "$stored" -eq "$count" ] || { echo "pg_ingest_bench: (a) stored $stored of $count rows" >&2; exit 1; }

# (b): the same rows as CSV into a table with the same columns and types.
csv="$pg_dir-rows.csv"
psql "$url" -Xqc "\\copy bench_a.users TO '$csv' CSV"
psql "$url" -Xqc "CREATE SCHEMA bench_b; CREATE TABLE bench_b.users (LIKE bench_a.users); CHECKPOINT"
start=$(now)
psql "$url" -Xqc "\\copy bench_b.users FROM '$csv' CSV"
b=$(node -e "console.log($(now) - $start)")
rm -f "$csv"

node -e "
  const [a, b, n] = [$a, $b, $count];
  console.log('records: ' + n);
  console.log('(a) airbyte read, connector process -> Postgres cache: ' + a.toFixed(2) + ' s, ' +
              Math.round(n / a) + ' records/s, peak RSS ' + Math.round($(cat "$work/rss_a") / 1024) + ' MiB');
  console.log('(b) psql \\\\copy FROM csv of the same rows:            ' + b.toFixed(2) + ' s, ' +
              Math.round(n / b) + ' records/s');
  console.log('(a)/(b) = ' + (a / b).toFixed(2));"

#!/usr/bin/env bash
# End-to-end cache ingest (issue: DuckDB cache). In one run, on the same N users-shaped records:
#  (a) `airbyte read` from a connector process (a script replaying source-faker's protocol
#      output) into a fresh on-disk DuckDB cache (default write strategy: auto → merge on id);
#  (b) DuckDB's own CREATE TABLE AS SELECT * FROM read_json(file, columns=...) of the records'
#      data, with the same column types, into a fresh file;
#  (c) native source-faker in-process into a fresh cache.
# Prints wall times, the (a)/(b) ratio, records/s and peak RSS (of `airbyte read`).
# Usage: bench/cache_ingest_bench.sh [build_dir] [count]
set -euo pipefail
build_dir="${1:-build/release}"
count="${2:-1000000}"
airbyte="$(realpath "$build_dir/airbyte")"
[ -x "$airbyte" ] || { echo "cache_ingest_bench: build $airbyte first (make release)" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
. "$(dirname "$0")/faker_replay.sh"

now() { date +%s.%N; }
# (a)
start=$(now)
/usr/bin/time -f "%M" -o "$work/rss_a" "$airbyte" read --source "$work/source-replay" \
  --config "$config" --streams users --cache "$work/a.duckdb" --json > "$work/a.json"
a=$(node -e "console.log($(now) - $start)")

# (b): the same column types as the table (a) created, internal columns excluded.
columns=$("$airbyte" sql --cache "$work/a.duckdb" --json \
  "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'users'
   AND column_name NOT LIKE '_airbyte_%' ORDER BY ordinal_position" |
  node -e 'const rows = require("fs").readFileSync(0, "utf8").trim().split("\n").map(JSON.parse);
           console.log("{" + rows.map(r => `${r.column_name}: '"'"'${r.data_type}'"'"'`).join(", ") + "}")')
start=$(now)
"$airbyte" sql --cache "$work/b.duckdb" \
  "CREATE TABLE users AS SELECT * FROM read_json('$work/data.jsonl', columns=$columns)" > /dev/null
b=$(node -e "console.log($(now) - $start)")

# (c)
start=$(now)
/usr/bin/time -f "%M" -o "$work/rss_c" "$airbyte" read --source source-faker --config "$config" \
  --streams users --cache "$work/c.duckdb" --json > /dev/null
c=$(node -e "console.log($(now) - $start)")

node -e "
  const [a, b, c, n] = [$a, $b, $c, $count];
  console.log('records: ' + n);
  console.log('(a) airbyte read, connector process -> DuckDB cache: ' + a.toFixed(2) + ' s, ' +
              Math.round(n / a) + ' records/s, peak RSS ' + Math.round($(cat "$work/rss_a") / 1024) + ' MiB');
  console.log('(b) DuckDB CREATE TABLE AS SELECT * FROM read_json:   ' + b.toFixed(2) + ' s, ' +
              Math.round(n / b) + ' records/s');
  console.log('(a)/(b) = ' + (a / b).toFixed(2));
  console.log('(c) native source-faker in-process -> DuckDB cache:  ' + c.toFixed(2) + ' s, ' +
              Math.round(n / c) + ' records/s, peak RSS ' + Math.round($(cat "$work/rss_c") / 1024) + ' MiB');"

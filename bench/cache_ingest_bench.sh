#!/usr/bin/env bash
# End-to-end cache ingest (issue: DuckDB cache). In one run, on the same N users-shaped records:
#  (a) `airbyte read` from a connector process (a script replaying source-faker's protocol
#      output) into a fresh on-disk DuckDB cache (default write strategy: auto → merge on id);
#  (b) DuckDB's own CREATE TABLE AS SELECT * FROM read_json(file, columns=...) of the records'
#      data, with the same column types, into a fresh file;
#  (c) native source-faker in-process into a fresh cache.
# The three run in turn, ROUNDS times (this machine's speed drifts by ±20% over minutes, so
# (a) and (b) alternate and the medians are compared). Prints every round, the medians, the
# (a)/(b) ratio of the medians, records/s and the highest peak RSS of `airbyte read`.
# Usage: bench/cache_ingest_bench.sh [build_dir] [count] [rounds]
set -euo pipefail
build_dir="${1:-build/release}"
count="${2:-1000000}"
rounds="${3:-3}"
airbyte="$(realpath "$build_dir/airbyte")"
[ -x "$airbyte" ] || { echo "cache_ingest_bench: build $airbyte first (make release)" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
. "$(dirname "$0")/faker_replay.sh"

now() { date +%s.%N; }
elapsed() { node -e "console.log(($(now) - $1).toFixed(3))"; }

# (b)'s columns: the same types as the table (a) creates, internal columns excluded.
"$airbyte" read --source source-faker --config "{count: 10, seed: 1}" --streams users \
  --cache "$work/probe.duckdb" --json > /dev/null 2>&1
columns=$("$airbyte" sql --cache "$work/probe.duckdb" --json \
  "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'users'
   AND column_name NOT LIKE '_airbyte_%' ORDER BY ordinal_position" |
  node -e 'const rows = require("fs").readFileSync(0, "utf8").trim().split("\n").map(JSON.parse);
           console.log("{" + rows.map(r => `${r.column_name}: '"'"'${r.data_type}'"'"'`).join(", ") + "}")')

a_times=() b_times=() c_times=() rss_a=0 rss_c=0
for round in $(seq 1 "$rounds"); do
  rm -f "$work"/a.duckdb* "$work"/b.duckdb* "$work"/c.duckdb*
  start=$(now)
  /usr/bin/time -f "%M" -o "$work/rss" "$airbyte" read --source "$work/source-replay" \
    --config "$config" --streams users --cache "$work/a.duckdb" --json > "$work/a.json" 2> /dev/null
  a_times+=("$(elapsed "$start")")
  rss_a=$(( $(cat "$work/rss") > rss_a ? $(cat "$work/rss") : rss_a ))
  loaded=$("$airbyte" sql --cache "$work/a.duckdb" --json "SELECT count(*) AS n FROM users")
  [ "$loaded" = "{\"n\":$count}" ] || { echo "cache_ingest_bench: (a) loaded $loaded" >&2; exit 1; }

  start=$(now)
  "$airbyte" sql --cache "$work/b.duckdb" \
    "CREATE TABLE users AS SELECT * FROM read_json('$work/data.jsonl', columns=$columns)" > /dev/null
  b_times+=("$(elapsed "$start")")

  start=$(now)
  /usr/bin/time -f "%M" -o "$work/rss" "$airbyte" read --source source-faker --config "$config" \
    --streams users --cache "$work/c.duckdb" --json > /dev/null 2> /dev/null
  c_times+=("$(elapsed "$start")")
  rss_c=$(( $(cat "$work/rss") > rss_c ? $(cat "$work/rss") : rss_c ))
  echo "round $round: (a) ${a_times[-1]} s  (b) ${b_times[-1]} s  (c) ${c_times[-1]} s"
done

node -e "
  const median = xs => { const s = [...xs].sort((x, y) => x - y); const m = s.length >> 1;
                         return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
  const [a, b, c] = [median([$(IFS=,; echo "${a_times[*]}")]), median([$(IFS=,; echo "${b_times[*]}")]),
                     median([$(IFS=,; echo "${c_times[*]}")])];
  const n = $count;
  console.log('records: ' + n + ', rounds: $rounds (medians below)');
  console.log('(a) airbyte read, connector process -> DuckDB cache: ' + a.toFixed(2) + ' s, ' +
              Math.round(n / a) + ' records/s, peak RSS ' + Math.round($rss_a / 1024) + ' MiB');
  console.log('(b) DuckDB CREATE TABLE AS SELECT * FROM read_json:   ' + b.toFixed(2) + ' s, ' +
              Math.round(n / b) + ' records/s');
  console.log('(a)/(b) = ' + (a / b).toFixed(2));
  console.log('(c) native source-faker in-process -> DuckDB cache:  ' + c.toFixed(2) + ' s, ' +
              Math.round(n / c) + ' records/s, peak RSS ' + Math.round($rss_c / 1024) + ' MiB');"

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
config="{count: $count, seed: 1, records_per_slice: 1000}"
printf '{"count": %s, "seed": 1, "records_per_slice": 1000}\n' "$count" > "$work/config.json"

# Protocol output of the users stream, and the records' data alone (one object per line).
"$airbyte" run-connector source-faker discover --config "$work/config.json" > "$work/discover.jsonl"
node -e '
  const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n");
  const catalog = JSON.parse(lines.find(l => JSON.parse(l).type === "CATALOG")).catalog;
  const users = catalog.streams.find(s => s.name === "users");
  console.log(JSON.stringify({streams: [{stream: users, sync_mode: "full_refresh",
                                         destination_sync_mode: "overwrite", primary_key: [["id"]]}]}));' \
  "$work/discover.jsonl" > "$work/catalog.json"
"$airbyte" run-connector source-faker read --config "$work/config.json" \
  --catalog "$work/catalog.json" > "$work/messages.jsonl"
sed -n 's/^{"type":"RECORD","record":{"stream":"users","data":\(.*\),"emitted_at":[0-9]*}}$/\1/p' \
  "$work/messages.jsonl" > "$work/data.jsonl"
records=$(wc -l < "$work/data.jsonl")
[ "$records" -eq "$count" ] || { echo "cache_ingest_bench: extracted $records of $count records" >&2; exit 1; }

# A connector that replays the recorded output (spec/discover answered by the real connector).
cat > "$work/source-replay" <<SCRIPT
#!/bin/sh
case "\$1" in
  read) exec cat "$work/messages.jsonl" ;;
  *) exec "$airbyte" run-connector source-faker "\$@" ;;
esac
SCRIPT
chmod +x "$work/source-replay"

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

#!/usr/bin/env bash
# Throughput of `airbyte run-connector source-faker read` writing protocol JSON to /dev/null
# (users stream only). Usage: bench/run_connector_bench.sh [build_dir] [count]
set -euo pipefail
build_dir="${1:-build/release}"
count="${2:-1000000}"
airbyte="$build_dir/airbyte"
[ -x "$airbyte" ] || { echo "run_connector_bench: build $airbyte first (make release)" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
printf '{"count": %s, "seed": 1, "records_per_slice": 1000}\n' "$count" > "$work/config.json"
# The configured catalog for `users`, taken from the connector's own discover output.
"$airbyte" run-connector source-faker discover --config "$work/config.json" |
  node -e '
    const lines = require("fs").readFileSync(0, "utf8").trim().split("\n");
    const catalog = JSON.parse(lines.find(l => JSON.parse(l).type === "CATALOG")).catalog;
    const users = catalog.streams.find(s => s.name === "users");
    console.log(JSON.stringify({streams: [{stream: users, sync_mode: "full_refresh",
                                           destination_sync_mode: "overwrite"}]}));' \
  > "$work/catalog.json"
start=$(date +%s.%N)
"$airbyte" run-connector source-faker read --config "$work/config.json" \
  --catalog "$work/catalog.json" > /dev/null
end=$(date +%s.%N)
node -e "const s = $end - $start; console.log('run-connector source-faker read, users: ' +
  '$count records in ' + s.toFixed(3) + ' s = ' + Math.round($count / s) + ' records/s')"

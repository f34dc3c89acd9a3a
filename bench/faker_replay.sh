# Sourced by the ingest benchmarks. Needs $airbyte, $count and $work; leaves in $work:
#   messages.jsonl  source-faker's protocol output of N users (one stream, full refresh)
#   data.jsonl      the records' data alone, one object per line
#   source-replay   a connector that replays messages.jsonl on `read` (spec/discover: faker)
# and sets $config (inline YAML config of those records).
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
# (perl: sed's regex engine took 5 minutes on 3M records.)
perl -ne 'print "$1\n" if /^\{"type":"RECORD","record":\{"stream":"users","data":(.*),"emitted_at":\d+\}\}$/' \
  "$work/messages.jsonl" > "$work/data.jsonl"
records=$(wc -l < "$work/data.jsonl")
[ "$records" -eq "$count" ] || { echo "ingest_bench: extracted $records of $count records" >&2; exit 1; }

# A connector that replays the recorded output (spec/discover answered by the real connector).
cat > "$work/source-replay" <<SCRIPT
#!/bin/sh
case "\$1" in
  read) exec cat "$work/messages.jsonl" ;;
  *) exec "$airbyte" run-connector source-faker "\$@" ;;
esac
SCRIPT
chmod +x "$work/source-replay"


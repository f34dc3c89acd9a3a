#!/usr/bin/env bash
# Declarative engine throughput: a PageIncrement stream of N records (1000 per page) served by a
# local HTTP server (Python's http.server, pages pre-rendered in memory) is read into a fresh
# DuckDB cache with `airbyte read --manifest`. Prints wall time and records/s of our engine.
#
# Usage: bench/declarative_bench.sh [BUILD_DIR] [RECORDS]   (default build/release 100000)
set -euo pipefail
build=${1:-build/release}
count=${2:-100000}
airbyte="$PWD/$build/airbyte"
[ -x "$airbyte" ] || { echo "declarative_bench: $airbyte not built" >&2; exit 1; }
work=$(mktemp -d)
trap 'kill "$server_pid" 2>/dev/null || true; rm -rf "$work"' EXIT

cat > "$work/server.py" <<'PY'
import http.server, json, sys, urllib.parse
count, per_page = int(sys.argv[1]), 1000
pages = []
for start in range(0, count, per_page):
    records = [{"id": i, "name": f"user {i}", "email": f"user{i}@example.com", "age": i % 90,
                "active": i % 2 == 0, "score": i * 0.5, "created_at": "2024-01-01T00:00:00Z",
                "tags": ["a", "b"], "address": {"city": "Paris", "zip": str(75000 + i % 20)}}
               for i in range(start, min(start + per_page, count))]
    pages.append(json.dumps({"data": records}).encode())
class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        query = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
        page = int(query.get("page", ["0"])[0])
        body = pages[page] if page < len(pages) else b'{"data": []}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
PY
python3 "$work/server.py" "$count" > "$work/port" &
server_pid=$!
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.1; done
port=$(cat "$work/port")

cat > "$work/manifest.yaml" <<'YAML'
version: 6.0.0
type: DeclarativeSource
check: {type: CheckStream, stream_names: [users]}
streams:
  - type: DeclarativeStream
    name: users
    primary_key: [id]
    retriever:
      type: SimpleRetriever
      requester:
        type: HttpRequester
        url_base: "{{ config['base_url'] }}"
        path: /users
      record_selector:
        type: RecordSelector
        extractor: {type: DpathExtractor, field_path: [data]}
      paginator:
        type: DefaultPaginator
        page_token_option: {type: RequestOption, inject_into: request_parameter, field_name: page}
        pagination_strategy: {type: PageIncrement, page_size: 1000, start_from_page: 0,
                              inject_on_first_request: true}
    schema_loader:
      type: InlineSchemaLoader
      schema:
        type: object
        properties:
          id: {type: integer}
          name: {type: string}
          email: {type: string}
          age: {type: integer}
          active: {type: boolean}
          score: {type: number}
          created_at: {type: string, format: date-time}
          tags: {type: array, items: {type: string}}
          address: {type: object}
spec:
  type: Spec
  connection_specification: {type: object, properties: {base_url: {type: string}}}
YAML

start=$(date +%s.%N)
/usr/bin/time -f "%M" -o "$work/rss" "$airbyte" read --source source-bench \
  --manifest "$work/manifest.yaml" --config "{base_url: 'http://127.0.0.1:$port'}" \
  --cache "$work/cache.duckdb" --quiet > "$work/out.txt"
end=$(date +%s.%N)
rows=$("$airbyte" sql --cache "$work/cache.duckdb" --json "SELECT count(*) AS n FROM users" |
       sed -n 's/.*"n":\([0-9]*\).*/\1/p')
[ "$rows" = "$count" ] || { echo "declarative_bench: cache has $rows of $count rows" >&2; exit 1; }
awk -v s="$start" -v e="$end" -v n="$count" -v rss="$(cat "$work/rss")" 'BEGIN {
  t = e - s; printf "declarative read: %d records in %.2f s = %.0f records/s, peak RSS %.0f MiB\n",
  n, t, n / t, rss / 1024 }'

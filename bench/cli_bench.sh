#!/usr/bin/env bash
# CLI figures of issue 5:
#   1. wall time of `airbyte spec --source source-faker` (N runs: min / median / max ms);
#   2. read throughput with the live progress display on a real terminal (a tmux pane)
#      versus --quiet, alternating runs of `airbyte benchmark` (built-in source-e2e-test read
#      into an in-memory DuckDB cache); medians and the display's cost in percent.
# Usage: bench/cli_bench.sh [build_dir] [spec_runs] [records] [read_rounds]
set -euo pipefail
build_dir="${1:-build/release}"
spec_runs="${2:-20}"
records="${3:-2e6}"
rounds="${4:-5}"
airbyte="$(cd "$build_dir" && pwd)/airbyte"
[ -x "$airbyte" ] || { echo "cli_bench: build $airbyte first (make release)" >&2; exit 1; }
command -v tmux > /dev/null || { echo "cli_bench: tmux is needed (scripts/setup)" >&2; exit 1; }
work="$(mktemp -d)"
socket="$work/tmux.sock"
trap 'tmux -S "$socket" kill-server 2> /dev/null || true; rm -rf "$work"' EXIT
export AIRBYTE_LOGGING_ROOT="$work/logs"

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# 1. spec wall time.
"$airbyte" spec --source source-faker > /dev/null  # warm the page cache
for _ in $(seq "$spec_runs"); do
  start=$(date +%s%N)
  "$airbyte" spec --source source-faker > /dev/null
  end=$(date +%s%N)
  echo $(((end - start) / 1000))
done > "$work/spec_us"
awk -v runs="$spec_runs" 'NR == 1 || $1 < min { min = $1 } $1 > max { max = $1 }
  END { printf "spec --source source-faker: %d runs, min %.1f ms, max %.1f ms", runs, min / 1000, max / 1000 }' "$work/spec_us"
echo ", median $(median < "$work/spec_us" | awk '{ printf "%.1f", $1 / 1000 }') ms"
# CPU time too: on a busy machine (shared cores) wall time mostly measures waiting.
if command -v perf > /dev/null && perf stat -e task-clock true > /dev/null 2>&1; then
  for _ in $(seq "$spec_runs"); do
    perf stat -x, -e task-clock "$airbyte" spec --source source-faker 2>&1 > /dev/null | cut -d, -f1
  done > "$work/spec_cpu"
  echo "spec --source source-faker: median CPU (task-clock) $(median < "$work/spec_cpu") ms"
fi

# 2. Throughput with and without the live display, each run in a 100x30 tmux pane.
# CPU time of the whole process (all threads, renderer included) when perf is available: less
# sensitive than throughput to other load on shared cores.
prefix=""
if command -v perf > /dev/null && perf stat -e task-clock true > /dev/null 2>&1; then
  prefix="perf stat -x, -e task-clock -o '$work/cpu.txt'"
fi
run_in_tty() {  # $1: progress flag, $2: output file, $3: CPU ms file
  rm -f "$work/done" "$work/cpu.txt"
  tmux -S "$socket" new-session -d -x 100 -y 30 \
    "env -u CI -u NO_LIVE_PROGRESS TERM=xterm-256color $prefix '$airbyte' benchmark --num-records $records --json $1 > '$2'; touch '$work/done'"
  while [ ! -e "$work/done" ]; do sleep 0.1; done
  tmux -S "$socket" kill-server 2> /dev/null || true
  if [ -s "$work/cpu.txt" ]; then grep task-clock "$work/cpu.txt" | cut -d, -f1 >> "$3"; fi
  sed -n 's/.*"records_per_second":\([0-9.e+]*\).*/\1/p' "$2"
}
for i in $(seq "$rounds"); do
  run_in_tty "--quiet" "$work/quiet.json" "$work/quiet_cpu" >> "$work/quiet"
  run_in_tty "--progress live" "$work/live.json" "$work/live_cpu" >> "$work/live"
done
quiet=$(median < "$work/quiet")
live=$(median < "$work/live")
echo "benchmark --num-records $records, $rounds alternating runs each in a tmux terminal:"
echo "  --quiet:          $(tr '\n' ' ' < "$work/quiet")-> median $quiet records/s"
echo "  --progress live:  $(tr '\n' ' ' < "$work/live")-> median $live records/s"
awk -v q="$quiet" -v l="$live" 'BEGIN { printf "  live display cost (medians): %.2f%% of throughput\n", (q - l) / q * 100 }'
# Runs i of both variants ran back to back: their ratio cancels most of the drift in other load.
paste "$work/quiet" "$work/live" | awk '{ print (1 - $2 / $1) * 100 }' > "$work/paired"
echo "  live display cost (median of paired runs): $(median < "$work/paired" | awk '{ printf "%.2f", $1 }')% of throughput"
if [ -s "$work/quiet_cpu" ] && [ -s "$work/live_cpu" ]; then
  quiet_cpu=$(median < "$work/quiet_cpu")
  live_cpu=$(median < "$work/live_cpu")
  awk -v q="$quiet_cpu" -v l="$live_cpu" 'BEGIN { printf "  CPU time (all threads), median: --quiet %.0f ms, live %.0f ms: display %+.2f%%\n", q, l, (l - q) / q * 100 }'
fi

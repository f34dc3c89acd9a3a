#!/bin/sh
# A slow source for progress tests: two streams, SLOW_ROUNDS rounds (default 40) of one record
# per stream every SLOW_SLEEP seconds (default 0.1), then a state. Logs a line to stderr.
verb="$1"
rounds="${SLOW_ROUNDS:-40}"
pause="${SLOW_SLEEP:-0.1}"
schema='{"type":"object","properties":{"id":{"type":"integer"}}}'
case "$verb" in
  spec)
    echo '{"type":"SPEC","spec":{"connectionSpecification":{"type":"object","properties":{}}}}'
    ;;
  check)
    echo '{"type":"CONNECTION_STATUS","connectionStatus":{"status":"SUCCEEDED"}}'
    ;;
  discover)
    echo "{\"type\":\"CATALOG\",\"catalog\":{\"streams\":[{\"name\":\"users\",\"json_schema\":$schema,\"supported_sync_modes\":[\"full_refresh\"]},{\"name\":\"orders\",\"json_schema\":$schema,\"supported_sync_modes\":[\"full_refresh\"]}]}}"
    ;;
  read)
    echo "slow source starting" >&2
    echo '{"type":"LOG","log":{"level":"INFO","message":"slow source reading"}}'
    i=0
    while [ "$i" -lt "$rounds" ]; do
      echo "{\"type\":\"RECORD\",\"record\":{\"stream\":\"users\",\"data\":{\"id\":$i},\"emitted_at\":1704067200000}}"
      echo "{\"type\":\"RECORD\",\"record\":{\"stream\":\"orders\",\"data\":{\"id\":$i},\"emitted_at\":1704067200000}}"
      i=$((i + 1))
      sleep "$pause"
    done
    if [ -n "$SLOW_FAIL" ]; then echo "slow source failing on purpose" >&2; exit 4; fi
    ;;
esac

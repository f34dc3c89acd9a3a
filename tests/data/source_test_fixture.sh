#!/bin/sh
# PyAirbyte's source-test fixture (behavior doc 17): spec, check, discover and read of four
# streams with fixed records. apiKey "test_fail_during_sync" crashes after the first record.
# Set SOURCE_TEST_EXTRA=1 to add a third stream1 record (for merge/append tests),
# SOURCE_TEST_DUPLICATES=1 to repeat stream1's key "value1" (Column2 9) after value2, and
# SOURCE_TEST_DUMP=<file> to copy the --state file there.
verb="$1"; shift
config=""; state=""; catalog=""
while [ $# -gt 0 ]; do
  case "$1" in
    --config) config="$2"; shift 2 ;;
    --state) state="$2"; shift 2 ;;
    --catalog) catalog="$2"; shift 2 ;;
    *) shift ;;
  esac
done
api_key=""
if [ -n "$config" ]; then
  api_key=$(sed -n 's/.*"apiKey" *: *"\([^"]*\)".*/\1/p' "$config")
fi
schema1='{"type":"object","properties":{"Column1":{"type":"string"},"Column2":{"type":"number"},"sometimes_object":{"type":["null","string","object"]}}}'
schema2='{"type":"object","properties":{"Column1":{"type":"string"},"Column2":{"type":"number"},"empty_column":{"type":"string"},"big_number":{"type":"number"}}}'
schema3='{"type":"object","properties":{"Column1":{"type":"string"},"Column2":{"type":"number"}}}'
schema4='{"type":"object","properties":{"table1.Column1":{"type":"string"},"table1.Column2":{"type":"number"},"table1.empty_column":{"type":"string"},"table1.big_number":{"type":"number"}}}'
case "$verb" in
  spec)
    echo '{"type":"SPEC","spec":{"documentationUrl":"https://example.com","connectionSpecification":{"type":"object","required":["apiKey"],"properties":{"apiKey":{"type":"string","airbyte_secret":true}}}}}'
    ;;
  check)
    case "$api_key" in
      test*) echo '{"type":"CONNECTION_STATUS","connectionStatus":{"status":"SUCCEEDED"}}' ;;
      *) echo '{"type":"CONNECTION_STATUS","connectionStatus":{"status":"FAILED","message":"An error"}}' ;;
    esac
    ;;
  discover)
    echo "{\"type\":\"CATALOG\",\"catalog\":{\"streams\":[{\"name\":\"stream1\",\"json_schema\":$schema1,\"supported_sync_modes\":[\"full_refresh\",\"incremental\"],\"source_defined_primary_key\":[[\"Column1\"]],\"default_cursor_field\":[\"Column1\"]},{\"name\":\"stream2\",\"json_schema\":$schema2,\"supported_sync_modes\":[\"full_refresh\"],\"source_defined_primary_key\":[[\"Column1\"]]},{\"name\":\"always-empty-stream\",\"json_schema\":$schema3,\"supported_sync_modes\":[\"full_refresh\"]},{\"name\":\"primary-key-with-dot\",\"json_schema\":$schema4,\"supported_sync_modes\":[\"full_refresh\"],\"source_defined_primary_key\":[[\"table1.Column1\"]]}]}}"
    ;;
  read)
    if [ -n "$SOURCE_TEST_DUMP" ] && [ -n "$state" ]; then cp "$state" "$SOURCE_TEST_DUMP"; fi
    wants() { grep -q "\"name\": *\"$1\"" "$catalog"; }
    echo '{"type":"LOG","log":{"level":"INFO","message":"Starting sync"}}'
    if wants stream1; then
      echo '{"type":"RECORD","record":{"stream":"stream1","data":{"Column1":"value1","Column2":1,"sometimes_object":{"nested_column":"nested_value"}},"emitted_at":1704067200}}'
      if [ "$api_key" = "test_fail_during_sync" ]; then echo "crashing" >&2; exit 1; fi
      echo '{"type":"RECORD","record":{"stream":"stream1","data":{"Column1":"value2","Column2":2,"sometimes_object":"string_value"},"emitted_at":1704067200}}'
      if [ -n "$SOURCE_TEST_DUPLICATES" ]; then
        echo '{"type":"RECORD","record":{"stream":"stream1","data":{"Column1":"value1","Column2":9},"emitted_at":1704067201}}'
      fi
      if [ -n "$SOURCE_TEST_EXTRA" ]; then
        echo '{"type":"RECORD","record":{"stream":"stream1","data":{"Column1":"value3","Column2":3},"emitted_at":1704067200}}'
      fi
      echo '{"type":"STATE","state":{"type":"STREAM","stream":{"stream_descriptor":{"name":"stream1"},"stream_state":{"cursor":"value2"}}}}'
    fi
    if wants stream2; then
      echo '{"type":"RECORD","record":{"stream":"stream2","data":{"Column1":"value1","Column2":1,"empty_column":null,"big_number":1234567890123456},"emitted_at":1704067200}}'
    fi
    if wants primary-key-with-dot; then
      echo '{"type":"RECORD","record":{"stream":"primary-key-with-dot","data":{"table1.Column1":"value1","table1.Column2":1,"table1.empty_column":null,"table1.big_number":1234567890123456},"emitted_at":1704067200}}'
    fi
    ;;
  *) echo "unknown verb $verb" >&2; exit 2 ;;
esac

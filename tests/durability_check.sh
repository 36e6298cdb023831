#!/usr/bin/env bash
# Nothing acknowledged is lost (issue #5): students answer as fast as they can, the server is
# killed with SIGKILL in the middle, and after a restart every answer that got its 2xx is in the
# review log, and every session is whole (its position, turns — planned and come back — and
# reviews agree).
#   tests/durability_check.sh path/to/mnemos path/to/mnemos_load   (MNEMOS_TEST_DB picks the database)
set -euo pipefail
mnemos=$1
load=$2
work=$(mktemp -d /tmp/mnemos-durability.XXXXXX)
port=$(shuf -i 20000-32000 -n 1)
server=""
cleanup() {
  [ -n "$server" ] && kill -9 "$server" 2>/dev/null
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

if [ "${MNEMOS_TEST_DB:-sqlite}" = postgresql ]; then
  name="mnemos_durability_$$"
  psql -q "$MNEMOS_TEST_PG_URL" -c "CREATE DATABASE $name" >/dev/null
  url="${MNEMOS_TEST_PG_URL%/*}/$name"
  query() { psql -At -F '|' "$url" -c "$1"; }
  planned_width=18  # packed: a UUID's 16 bytes and the variant's 2 (learning migration 0009)
else
  url="sqlite://$work/durability.db"
  query() { sqlite3 -separator '|' "$work/durability.db" "$1"; }
  planned_width=40  # text: a UUID, its variant on three digits and ';' (learning migration 0007)
fi
export MNEMOS_DATABASE_URL=$url MNEMOS_PORT=$port MNEMOS_LOG_LEVEL=warn MNEMOS_RATE_LIMIT_PER_MINUTE=0

start_server() {
  "$mnemos" serve >>"$work/server.log" 2>&1 &
  server=$!
  for _ in $(seq 200); do
    curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && return 0
    sleep 0.05
  done
  echo "durability: the server did not become ready"; cat "$work/server.log"; exit 1
}

"$mnemos" seed --load-test 40 --out "$work/students.tsv" 2>/dev/null
start_server
"$load" --port "$port" --students-file "$work/students.tsv" --interval 0 --ramp 0 --duration 6 \
  --connections 40 --acknowledged "$work/acknowledged" >"$work/load.log" 2>&1 &
generator=$!
sleep 3
kill -9 "$server"
wait "$server" 2>/dev/null || true
server=""
wait "$generator" || true  # its requests fail once the server is gone

start_server  # recovers the database after the crash and migrates: must come back
kill "$server"
wait "$server" 2>/dev/null || true
server=""

acknowledged=$(wc -l <"$work/acknowledged")
[ "$acknowledged" -gt 100 ] || { echo "durability: only $acknowledged answers before the kill"; cat "$work/load.log"; exit 1; }
query "SELECT session_id, COUNT(*) FROM learning_reviews GROUP BY session_id" | sort >"$work/logged"
lost=0
while read -r count session; do
  logged=$(grep -F "$session|" "$work/logged" | cut -d'|' -f2)
  if [ "${logged:-0}" -lt "$count" ]; then
    echo "durability: session $session: $count answers acknowledged, ${logged:-0} in the review log"
    lost=$((lost + 1))
  fi
done < <(sort "$work/acknowledged" | uniq -c)
broken=$(query "SELECT COUNT(*) FROM learning_sessions s WHERE s.position > s.turn_count OR s.cards_done > s.card_count
  OR s.position <> (SELECT COUNT(*) FROM learning_reviews r WHERE r.session_id = s.id)
  OR s.turn_count <> (SELECT COUNT(*) FROM learning_session_turns t WHERE t.session_id = s.id) + LENGTH(s.planned) / $planned_width")
sessions=$(query "SELECT COUNT(*) FROM learning_sessions")
reviews=$(query "SELECT COUNT(*) FROM learning_reviews")
echo "durability: $acknowledged answers acknowledged before SIGKILL, $reviews in the review log, $sessions sessions, $broken inconsistent"
[ "$lost" = 0 ] && [ "$broken" = 0 ]

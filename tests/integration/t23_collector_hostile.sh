#!/bin/sh
# t23_collector_hostile.sh: hostile input, ignored and logged while the daemon keeps running.
# Through the real prosody: forged events from a client, a census answer from a client, a
# bridge with garbage figures, leaves for occupants never seen. Against a hostile WebSocket
# server (collector_fakeprosody.py) with a second collector: malformed XML, a DTD, a frame
# over the cap, a binary frame, invalid events, then a valid event in fragments, a ping, and
# a closed stream it must reconnect after.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/collector_lib.sh"

collector_setup
rk() { redis-cli -s "$STATE/run/redis.sock" "$@"; }
errs0=$(rk HGET sekkan:tel:collector errors)

/usr/bin/python3 - <<PYEOF >"$T_TMP/prosody-hostile.out" 2>&1
import asyncio, sys
sys.path.insert(0, "$ROOT/tests/integration")
from jitsi_sim import Client, Bridge, Person, Sim, DOMAIN, CONFERENCE
async def main():
    sim = Sim("$T_TMP/h.truth", $C2S, "$JVBPW")
    c = Client("guest." + DOMAIN, "", $C2S)
    await c.start()
    to = "collector@auth." + DOMAIN
    ev = "<event xmlns='urn:xmpp:sekkan:jitsi:0' type='%s' room='forjada' occupant='x1' ts='1796300000'/>"
    for t in ("created", "joined", "destroyed"):
        c.send_raw("<message to='%s' type='normal'>%s</message>" % (to, ev % t))
    c.send_raw("<iq type='result' id='census1' to='%s/x'><census xmlns='urn:xmpp:sekkan:jitsi:0' ts='1796300000'>"
               "<room name='forjada2' created='1796300000'/></census></iq>" % to)
    b = Bridge(sim, "jvb-basura", extra={"stress_level": "NaN", "conferences": "muchas"})
    await b.join()
    # jicofo's health checks and its focus occupant are never reported (the module skips them).
    h = Person(sim, "__jicofo-health-check-t23", "Salud")
    await h.join()
    f = Client("guest." + DOMAIN, "", $C2S)
    await f.start()
    full = "t23conenfoque@%s/focus" % CONFERENCE
    await f.send_and_wait("<presence to='%s'><x xmlns='http://jabber.org/protocol/muc'/></presence>" % full,
                          full, False)
    g = Person(sim, "t23conenfoque", "Persona", "persona@example.org")
    await g.join()
    await asyncio.sleep(2.5)
    await h.leave()
    await g.leave()
    f.disconnect()
    b.task.cancel()
    c.disconnect()
    await asyncio.sleep(0.5)
asyncio.run(main())
PYEOF
ok $? "hostile clients ran against prosody"
more() { [ "$(rk HGET sekkan:tel:collector errors)" -ge $((errs0 + 4)) ]; }
wait_for more
ok $? "forged events and a forged census counted as errors"
[ "$(q "SELECT count(*) FROM jitsi_sessions WHERE room LIKE 'forjada%'")" = 0 ]
ok $? "nothing stored from forged events"
grep -q 'event message ignored: event from a sender other than the conference component (forged)' "$STATE/log/collector.log"
ok $? "the operator gets a log line for each forged event"
[ "$(q "SELECT m.samples > 0 AND m.stress_sum = 0 AND m.conferences_sum = 0 FROM bridge_minutes m
	JOIN bridges b ON b.id = m.bridge_id WHERE b.name = 'jvb-basura' LIMIT 1")" = t ]
ok $? "a bridge with garbage figures: samples kept, garbage not counted"
[ -z "$(rk HGET sekkan:tel:bridge:jvb-basura conferences)" ] && [ -n "$(rk HGET sekkan:tel:bridge:jvb-basura bit_rate_download)" ]
ok $? "Redis: garbage figures left out, valid ones shown"
[ "$(q "SELECT count(*) FROM jitsi_sessions WHERE room LIKE '__jicofo-health-check%'")" = 0 ]
ok $? "jicofo's health-check rooms are not reported"
person=$(awk '/"join"/ && /t23conenfoque/' "$T_TMP/h.truth" | sed 's/.*"occ": "\([0-9a-f]*\)".*/\1/')
focus_ok() { [ -n "$person" ] && [ "$(q "SELECT string_agg(i.occupant, ',') || ' ' || bool_and(i.left_at IS NOT NULL)
	FROM attendance_intervals i JOIN attendance a ON a.id = i.attendance_id
	JOIN jitsi_sessions s ON s.id = a.session_id WHERE s.room = 't23conenfoque'")" = "$person true" ]; }
wait_for focus_ok
r=$?
ok $r "in a room with jicofo's focus, only the person is recorded, not the focus"
[ $r -eq 0 ] || echo "# want '$person true', got '$(q "SELECT string_agg(i.occupant || ':' || coalesce(i.left_at::text, 'open'), ',')
	FROM attendance_intervals i JOIN attendance a ON a.id = i.attendance_id JOIN jitsi_sessions s ON s.id = a.session_id
	WHERE s.room = 't23conenfoque'")'"
[ "$(q "SELECT tel_occupant_left('nadie', 'x', now(), false) IS NULL")" = t ]
ok $? "a leave from a room never seen changes nothing"

# The hostile server, and a second collector pointed at it (own pid, Redis prefix).
HPORT=$(( ${BASE##*:} + 7 ))
HPW=hostile-$(room_name)
printf '%s\n' "$HPW" >"$T_TMP/hpw"
chmod 0644 "$T_TMP/hpw"
chmod 0755 "$T_TMP"
sed -e '/^Collector\.URL/d' -e '/^Collector\.PasswordFile/d' -e '/^Redis\.Prefix/d' "$STATE/conf/sekkan.hdf" >"$T_TMP/h.hdf"
cat >>"$T_TMP/h.hdf" <<HDF
Collector.URL = ws://127.0.0.1:$HPORT/xmpp-websocket
Collector.PasswordFile = $T_TMP/hpw
Collector.Secure = 1
Collector.MaxStanza = 65536
Redis.Prefix = hostile:
HDF
chmod 0644 "$T_TMP/h.hdf"
/usr/bin/python3 "$ROOT/tests/integration/collector_fakeprosody.py" "$HPORT" "$HPW" "$T_TMP/fake.json" \
	>"$T_TMP/fake.out" 2>&1 &
FAKE=$!
wait_for sh -c "ss -ltn | grep -q ':$HPORT '"
runuser -u sekkan -- "$ROOT/tools/collector/sekkan-collector" -c "$T_TMP/h.hdf" -p "$STATE/run/collector-hostile.pid" \
	>"$STATE/log/collector-hostile.log" 2>&1 &
HCW=$!
wait_for test -s "$STATE/run/collector-hostile.pid"
HC=$(cat "$STATE/run/collector-hostile.pid")
three() { grep -q '"connections": 3' "$T_TMP/fake.json" 2>/dev/null; }
i=0
while ! three && [ $i -lt 300 ]; do i=$((i + 1)); sleep 0.1; done
three
ok $? "the collector reconnects after the hostile server closed the stream, and after an oversized SASL challenge"
four() { grep -q '"connections": 4' "$T_TMP/fake.json" 2>/dev/null; }
i=0
while ! four && [ $i -lt 600 ]; do i=$((i + 1)); sleep 0.1; done
four && grep -q 'pings unanswered: reconnecting' "$STATE/log/collector-hostile.log"
ok $? "a link gone silent (pings unanswered) is given up and made again"
grep -q '"auth_ok": true' "$T_TMP/fake.json"
ok $? "PLAIN only on a link marked secure, with the right password"
grep -q '"pong": true' "$T_TMP/fake.json"
ok $? "it answers pings"
H=$STATE/log/collector-hostile.log
for what in "frame ignored: malformed XML" "frame ignored: DTD or entity declaration" \
	"frame ignored: larger than Collector.MaxStanza" "frame ignored: binary WebSocket frame" \
	"event message ignored: event from a sender other than the conference component (forged)" \
	"event message ignored: event without a valid room" "event message ignored: event without a valid time" \
	"event message ignored: event of unknown type" "event message ignored: occupant event without a valid occupant" \
	"bridge figures ignored: stats with values that are not numbers" \
	"SCRAM challenge from prosody too long or not base64"; do
	grep -qF "$what" "$H"
	ok $? "logged: $what"
done
[ "$(q "SELECT count(*) FROM attendance_intervals i JOIN attendance a ON a.id = i.attendance_id
	JOIN jitsi_sessions s ON s.id = a.session_id WHERE s.room = 'hostilok' AND i.occupant = 'f00d'
	AND i.joined_at = to_timestamp(1796300101.25) AND a.person = 'e:bien@example.org'")" = 1 ]
ok $? "after all that, a valid event in three fragments is stored"
! grep -q 'brewery join refused' "$H"
ok $? "an error presence from outside the brewery does not make it rejoin"
PLAIN64=$(printf '\000collector\000%s' "$HPW" | base64 -w0)
grep -q 'collector: send <' "$H" && ! grep -qF "$PLAIN64" "$H"
ok $? "its debug log shows what it sends, but never the PLAIN password"
counters() { [ "$(rk HGET hostile:tel:collector errors)" -ge 12 ] && [ "$(rk HGET hostile:tel:collector reconnects)" -ge 1 ]; }
wait_for counters
ok $? "its counters: errors and reconnects ($(rk HGET hostile:tel:collector errors), $(rk HGET hostile:tel:collector reconnects))"
kill -0 "$HC"
ok $? "the second collector is still running"
kill -TERM "$HC"
wait "$HCW"
ok $? "and stops cleanly on SIGTERM"
kill "$FAKE" 2>/dev/null
wait "$FAKE" 2>/dev/null
q "SELECT tel_room_destroyed('hostilok', now())" >/dev/null
collector_alive

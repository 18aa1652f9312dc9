#!/bin/sh
# t21_collector.sh: the collector on the real stack: a scripted Jitsi scenario (simulated
# videobridges and participants on a real prosody with mod_sekkan_events) against what it
# stored in PostgreSQL and Redis.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/collector_lib.sh"

collector_setup
ROOM_M=$(room_name) ROOM_P=$(room_name) ROOM_U=$(room_name)
q "INSERT INTO meetings (room, owner_id, kind, name, starts_at, duration_min, ends_at, time_zone)
   VALUES ('$ROOM_M', $U1, 'instant', 'Prueba del colector', now(), 60, now() + interval '60 minutes',
	   'America/Mexico_City')" >/dev/null
q "INSERT INTO personal_rooms (user_id, slug, room) VALUES ($U3, '$(room_name)', '$ROOM_P')" >/dev/null
export ROOM_M ROOM_P ROOM_U

run_sim collector_t21.py
T_N=$SIM_N

# Redis: the live state the admin pages read.
rk() { redis-cli -s "$STATE/run/redis.sock" "$@"; }
[ "$(rk HGET sekkan:tel:bridge:jvb-a available)" = 0 ]
ok $? "Redis: jvb-a unavailable once it left the brewery"
want=$(sed -n 's/.*"bridge": "jvb-a".*"stress_level": \([0-9.]*\),.*/\1/p' "$TRUTH" | tail -n 1)
[ -n "$want" ] && [ "$(rk HGET sekkan:tel:bridge:jvb-a stress)" = "$want" ]
ok $? "Redis: jvb-a's stress is its last sample ($want)"
[ "$(rk HGET sekkan:tel:bridge:jvb-a version)" = 2.3.160-g7f8b8b2 ] && [ "$(rk HGET sekkan:tel:bridge:jvb-a region)" = mx-centro ] &&
	[ "$(rk HGET sekkan:tel:bridge:jvb-a drain)" = 0 ] && [ -n "$(rk HGET sekkan:tel:bridge:jvb-a bit_rate_upload)" ]
ok $? "Redis: version, region, flags and rates"
ttl=$(rk TTL sekkan:tel:bridge:jvb-a)
[ "$ttl" -gt 80000 ] && [ "$ttl" -le 86400 ]
ok $? "Redis: bridge state expires after a day ($ttl s)"
[ "$(rk ZCARD sekkan:tel:bridges)" = 3 ]
ok $? "Redis: three bridges listed"
[ -z "$(rk ZSCORE sekkan:tel:rooms "$ROOM_M")" ] && [ "$(rk EXISTS "sekkan:tel:room:$ROOM_M")" = 0 ]
ok $? "Redis: a destroyed room is gone from the live rooms"
[ "$(rk HGET sekkan:tel:collector connected)" = 1 ] && [ "$(rk HGET sekkan:tel:collector events)" -gt 50 ] &&
	[ "$(rk HGET sekkan:tel:collector pid)" = "$(cat "$STATE/run/collector.pid")" ]
ok $? "Redis: the collector's counters (connected, events, pid)"

# A live room while it lasts: participants now, peak, kind, meeting id.
LIVE=$(room_name)
export LIVE
/usr/bin/python3 - <<PYEOF &
import asyncio, os, sys
sys.path.insert(0, "$ROOT/tests/integration")
from jitsi_sim import Person, Sim
async def main():
    sim = Sim("$T_TMP/live.truth", $C2S, "$JVBPW")
    people = [Person(sim, "$LIVE", "P%d" % i) for i in range(3)]
    await asyncio.gather(*(p.join() for p in people))
    await people[0].leave()
    open("$T_TMP/live.ready", "w").close()
    while not os.path.exists("$T_TMP/live.done"):
        await asyncio.sleep(0.2)
    await asyncio.gather(*(p.leave() for p in people[1:]))
asyncio.run(main())
PYEOF
SIMPID=$!
wait_for test -e "$T_TMP/live.ready"
live_ok() { [ "$(rk HGET "sekkan:tel:room:$LIVE" participants)" = 2 ] && [ "$(rk HGET "sekkan:tel:room:$LIVE" peak)" = 3 ]; }
wait_for live_ok
ok $? "Redis: a live room shows participants now (2) and its peak (3)"
[ "$(rk HGET "sekkan:tel:room:$LIVE" kind)" = unknown ] && [ -n "$(rk ZSCORE sekkan:tel:rooms "$LIVE")" ] &&
	[ "$(rk HGET "sekkan:tel:room:$LIVE" session_id)" = "$(q "SELECT id FROM jitsi_sessions WHERE room = '$LIVE'")" ]
ok $? "Redis: its kind, session id, and place in tel:rooms"
# The census renews the live hash's expiry of every room prosody lists, quiet or not: the
# test instance takes one every 2 s (Collector.CensusSeconds); the room has no event meanwhile.
rk EXPIRE "sekkan:tel:room:$LIVE" 1000 >/dev/null
renewed() { [ "$(rk TTL "sekkan:tel:room:$LIVE")" -gt 80000 ]; }
wait_for renewed
ok $? "Redis: a census renews a quiet live room's expiry ($(rk TTL "sekkan:tel:room:$LIVE") s)"
live_ok
ok $? "Redis: the room is still live after the census"
touch "$T_TMP/live.done"
wait "$SIMPID"
gone() { [ "$(rk EXISTS "sekkan:tel:room:$LIVE")" = 0 ]; }
wait_for gone
ok $? "Redis: the room is gone once destroyed"
# A bridge whose clock runs 5 s ahead of ours, then leaves: its samples are stored at its
# own times, its leave at ours; the leave must still be a down transition (at its last sample
# at the earliest), or the database keeps it up until it publishes again.
AHEAD=jvb-ahead-$(room_name | cut -c1-8)
export AHEAD
/usr/bin/python3 - <<PYEOF
import asyncio, sys
sys.path.insert(0, "$ROOT/tests/integration")
from jitsi_sim import Bridge, Sim
async def main():
    sim = Sim("$T_TMP/ahead.truth", $C2S, "$JVBPW")
    b = Bridge(sim, "$AHEAD", skew=5.0)
    await b.join()
    await asyncio.sleep(2.5)
    await b.leave()
asyncio.run(main())
PYEOF
ahead_down() { [ "$(q "SELECT t.up FROM bridge_transitions t JOIN bridges b ON b.id = t.bridge_id
	WHERE b.name = '$AHEAD' ORDER BY t.at DESC, t.up ASC LIMIT 1")" = f ]; }
wait_for ahead_down
ok $? "a bridge with its clock 5 s ahead that leaves is stored down ($(q "SELECT string_agg(t.up::text || '@' ||
	extract(epoch FROM t.at), ' ' ORDER BY t.at) FROM bridge_transitions t JOIN bridges b ON b.id = t.bridge_id
	WHERE b.name = '$AHEAD'"))"
[ "$(rk HGET "sekkan:tel:bridge:$AHEAD" available)" = 0 ]
ok $? "Redis: and unavailable"
for t in bridge_minutes stat_bridge_hours stat_bridge_days bridge_transitions; do
	q "DELETE FROM $t WHERE bridge_id = (SELECT id FROM bridges WHERE name = '$AHEAD')" >/dev/null 2>&1
done
q "DELETE FROM bridges WHERE name = '$AHEAD'" >/dev/null 2>&1
rk DEL "sekkan:tel:bridge:$AHEAD" >/dev/null; rk ZREM sekkan:tel:bridges "$AHEAD" >/dev/null
collector_alive
collector_dump t21
collector_forget

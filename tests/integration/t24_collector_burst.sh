#!/bin/sh
# t24_collector_burst.sh: hundreds of joins and leaves sent back-to-back through prosody, held
# offline while the collector is dead and then live, land exactly (the collector writes what
# each pass of its event loop delivers in one transaction).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/collector_lib.sh"

collector_setup
ROOM_PREFIX=$(room_name | cut -c1-24)
export ROOM_PREFIX
run_sim collector_t24.py
T_N=$SIM_N
collector_alive
collector_dump t24
# Hundreds of people in one hour would be the instance's busiest hour, which t31 checks: the
# sessions go, and the admin roll-ups are rebuilt without them (subtracting leaves zero rows
# that a rebuild would not have, and t31 compares the two).
q "DELETE FROM jitsi_sessions WHERE room LIKE '${ROOM_PREFIX}%'" >/dev/null
q "SELECT stat_rebuild()" >/dev/null
[ "$(q "SELECT count(*) FROM stat_sessions s LEFT JOIN jitsi_sessions j ON j.id = s.session_id WHERE j.id IS NULL")" = 0 ]
ok $? "the burst's sessions are removed, roll-ups rebuilt"

#!/bin/sh
# t22_collector_restarts.sh: the collector killed mid-scenario and restarted, then prosody
# restarted mid-scenario: no event lost, nothing counted twice; and the same event applied
# twice changes nothing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/collector_lib.sh"

collector_setup
ROOM_1=$(room_name) ROOM_2=$(room_name) ROOM_3=$(room_name)
export ROOM_1 ROOM_2 ROOM_3
run_sim collector_t22.py
T_N=$SIM_N
collector_alive
collector_dump t22

# Idempotence, straight at the functions the collector calls: each event twice.
R=$(room_name)
snap() { q "SELECT (SELECT count(*) FROM jitsi_sessions) || '/' || (SELECT count(*) FROM attendance) || '/' ||
	(SELECT count(*) FROM attendance_intervals) || '/' || (SELECT coalesce(sum(seconds), 0) FROM attendance) || '/' ||
	(SELECT coalesce(sum(peak_participants), 0) FROM jitsi_sessions) || '/' || (SELECT count(*) FROM bridge_transitions)
	|| '/' || (SELECT coalesce(sum(samples), 0) FROM bridge_minutes) || '/' || (SELECT coalesce(sum(available_ms), 0) FROM bridge_minutes)"; }
# One transaction for the whole story: the running collector's census closes intervals that
# prosody does not list, and must not see aa01 open between its join and its leave (it did on
# a loaded machine, and the merged attendance came out short).
ev() {
	q "BEGIN;
	SELECT tel_room_created('$R', to_timestamp(1796300000));
	SELECT tel_occupant_joined('$R', 'aa01', to_timestamp(1796300001.5), 'e:x@y.z', NULL, 'X', 'x@y.z', true, false);
	SELECT tel_occupant_left('$R', 'aa01', to_timestamp(1796300031.25), false);
	SELECT tel_occupant_joined('$R', 'aa02', to_timestamp(1796300040), 'e:x@y.z', NULL, 'X', 'x@y.z', true, false);
	SELECT tel_occupant_left('$R', 'aa02', to_timestamp(1796300050), false);
	SELECT tel_room_destroyed('$R', to_timestamp(1796300050));
	SELECT tel_bridge_sample('jvb-idem', to_timestamp(1796300000), 3, 'r', 'v', 0.5, 1, 2, 3, 4, 5, 6, 7, NULL, NULL);
	SELECT tel_bridge_sample('jvb-idem', to_timestamp(1796300001), 3, 'r', 'v', 0.5, 1, 2, 3, 4, 5, 6, 7, NULL, NULL);
	SELECT tel_bridge_down('jvb-idem', to_timestamp(1796300002));
	COMMIT" >/dev/null
}
ev
first=$(snap)
ev
[ "$first" = "$(snap)" ]
ok $? "every event applied twice changes nothing ($first)"
[ "$(q "SELECT a.seconds || ' ' || (a.last_leave IS NOT NULL) FROM attendance a JOIN jitsi_sessions s ON s.id = a.session_id WHERE s.room = '$R'")" = "40 true" ]
ok $? "two intervals of one person merged: 29.75 s + 10 s = 40 s"
[ "$(q "SELECT samples || ' ' || available_ms FROM bridge_minutes m JOIN bridges b ON b.id = m.bridge_id WHERE b.name = 'jvb-idem'")" = "2 2000" ]
ok $? "bridge samples counted once, available time from first sample to its leave"
collector_forget

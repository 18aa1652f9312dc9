#!/bin/sh
# t22b_collector_delivery.sh: what prosody had already handed to the collector when it was
# killed is not lost (the module keeps each event until the collector acknowledges it after
# its commit, and replays the rest when it signs in again), a replay after a normal reconnect
# counts nothing twice, and the collector's own blindness is unknown time, not bridge downtime.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/collector_lib.sh"

collector_setup
ROOM_1=$(room_name) ROOM_2=$(room_name) ROOM_3=$(room_name)
export ROOM_1 ROOM_2 ROOM_3
run_sim collector_t22b.py
T_N=$SIM_N
collector_alive
collector_dump t22b

# The admin page shows this week's unknown time beside the bridge's availability of the time
# seen (collector_t22b.py checked that one: 100 %).
CTL="$ROOT/tools/sekkanctl -c $STATE/conf/sekkan.hdf"
signin demo1 "$T_TMP/admin.jar"
$CTL grant-admin GOMA800101AB1 >/dev/null
fetch -b "$T_TMP/admin.jar" "$BASE/admin/infraestructura"
unknown=$(q "SELECT to_char(make_interval(secs => round(a.unknown_seconds)), 'FMHH24:MI:SS') FROM
	(SELECT date_trunc('week', (now() AT TIME ZONE 'America/Mexico_City')::date)::timestamp AT TIME ZONE 'America/Mexico_City' AS s) y,
	LATERAL stat_availability(s, now()) a JOIN bridges b ON b.id = a.bridge_id WHERE b.name = 'jvb-d1'")
grep -o "<td>[0-9-]*</td><td>jvb-d1</td><td>[0-9.]* %</td><td class=\"unknown\">[0-9:]*</td>" "$T_TMP/body" >"$T_TMP/row"
grep -qF "<td class=\"unknown\">$unknown</td>" "$T_TMP/row" && [ "$unknown" != "0:00:00" ]
ok $? "/admin/infraestructura shows this week's unknown time ($unknown) beside jvb-d1's availability"
sed 's/^/#   /' "$T_TMP/row"
collector_forget

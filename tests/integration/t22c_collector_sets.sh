#!/bin/sh
# t22c_collector_sets.sh: the collector's set-based writes (sql/019_collector_sets.sql) give
# exactly what 012's per-event functions gave with 010/011's row triggers: the same batch of
# events and of bridge samples is applied (1) as before 019, one function call per item with
# the row triggers put back, (2) as the collector cuts it (tel_events per cut, tel_bridge_samples
# once), (3) in one tel_events call that cannot go by phases (it falls back to one by one), and
# (4) as (2) twice (a replay), and every table they touch, statistics included, is compared.
# The batch holds what order makes hard: a room created, joined, left and ended in one batch;
# a leave then a rejoin of the same person (a reconnect: one attendance, two intervals); a
# duplicated join; a room that predates the module (no created); a room ended and created
# again; a member in a meeting (010's per-user statistics); a bridge silent past the limit
# (a down period), one silent across a blind span of the collector (none), a replayed and an
# older sample, a bridge seen for the first time. Everything runs in
# transactions that are rolled back: nothing stays.
. "$(dirname "$0")/lib.sh"

T0=1796400000
# The fixture, in each transaction: a member (SETS800101AB1) and a meeting of theirs.
FIX="INSERT INTO users (rfc, name, status) VALUES ('SETS800101AB1', 'Conjunto Prueba', 'active');
INSERT INTO meetings (room, owner_id, kind, name, starts_at, duration_min, ends_at, time_zone)
SELECT 'setsmeetingroom0000000000a', id, 'scheduled', 'sets', to_timestamp($T0), 60,
	to_timestamp($T0 + 3600), 'America/Mexico_City' FROM users WHERE rfc = 'SETS800101AB1';
CREATE TEMP TABLE ev AS
SELECT v.ord, v.seg, v.type, v.room, v.occ, $T0 + v.at AS at,
	CASE WHEN v.person = 'U' THEN 'u:' || u.id ELSE v.person END AS person,
	CASE WHEN v.person = 'U' THEN u.id END AS uid, v.name, v.email,
	v.person IS NOT NULL AND v.person <> 'U' AS external, v.moderator
FROM (VALUES
	(1, 1, 'created', 'setsmeetingroom0000000000a', NULL, 100.0, NULL, NULL, NULL, NULL),
	(2, 1, 'created', 'setsunknownroom', NULL, 100.5, NULL, NULL, NULL, NULL),
	(3, 1, 'joined', 'setsmeetingroom0000000000a', 'a1', 101.0, 'U', 'Conjunto', '', true),
	(4, 1, 'joined', 'setsmeetingroom0000000000a', 'g1', 102.0, 'e:ana@example.org', 'Ana', 'ana@example.org', false),
	(5, 1, 'joined', 'setsunknownroom', 'h1', 103.0, 'n:Invitado', 'Invitado', '', false),
	(6, 1, 'joined', 'setsoldroom', 'k1', 104.0, 'o:k1', '', '', false),
	(7, 1, 'left', 'setsmeetingroom0000000000a', 'a1', 110.0, NULL, NULL, NULL, NULL),
	(8, 2, 'joined', 'setsmeetingroom0000000000a', 'a2', 111.0, 'U', 'Conjunto', '', false),
	(9, 2, 'joined', 'setsmeetingroom0000000000a', 'g1', 102.0, 'e:ana@example.org', 'Ana', 'ana@example.org', false),
	(10, 2, 'left', 'setsmeetingroom0000000000a', 'g1', 130.0, NULL, NULL, NULL, NULL),
	(11, 2, 'left', 'setsunknownroom', 'h1', 131.0, NULL, NULL, NULL, NULL),
	(12, 2, 'destroyed', 'setsunknownroom', NULL, 132.0, NULL, NULL, NULL, NULL),
	(13, 2, 'left', 'setsoldroom', 'k1', 133.0, NULL, NULL, NULL, NULL),
	(14, 2, 'destroyed', 'setsmeetingroom0000000000a', NULL, 140.0, NULL, NULL, NULL, NULL),
	(15, 3, 'created', 'setsunknownroom', NULL, 150.0, NULL, NULL, NULL, NULL),
	(16, 3, 'joined', 'setsunknownroom', 'h2', 151.0, 'n:Invitado', 'Invitado', '', false),
	(17, 4, 'joined', 'setsunknownroom', 'h2', 151.0, 'n:Invitado', 'Invitado', '', false),
	(18, 4, 'left', 'setsunknownroom', 'h2', 160.0, NULL, NULL, NULL, NULL)
) AS v(ord, seg, type, room, occ, at, person, name, email, moderator)
CROSS JOIN users u WHERE u.rfc = 'SETS800101AB1';
-- A blind span of the collector from +7 to +40 s.
INSERT INTO collector_gaps VALUES (to_timestamp($T0 + 7), to_timestamp($T0 + 40));
CREATE TEMP TABLE bs AS
SELECT v.ord, 'setsjvb-' || v.b AS name, $T0 + v.at AS at, v.region, '2.3'::text AS version,
	0.1 * v.ord AS stress, 1000.0 + v.ord AS bd, 900.0 AS bu, 50.0 AS pd, 40.0 AS pu,
	v.ord AS conf, 2 * v.ord AS endp, 7 AS largest,
	CASE WHEN v.ord % 2 = 0 THEN 0.01 END AS loss, CASE WHEN v.ord % 3 = 0 THEN 20.0 END AS rtt
FROM (VALUES (1, 'a', 42.0, 'mx'), (2, 'b', 0.0, NULL), (3, 'a', 47.0, NULL), (4, 'b', 5.0, 'mx'),
	(5, 'a', 52.0, 'mx'), (6, 'a', 110.0, 'mx'), (7, 'b', 45.0, 'us'), (8, 'a', 115.0, 'mx'),
	(9, 'a', 115.0, 'mx'), (10, 'a', 113.0, 'mx'), (11, 'b', 50.0, NULL), (12, 'c', 58.5, NULL),
	(13, 'c', 61.25, 'mx')) AS v(ord, b, at, region);"

# What the writes leave, without ids (sequences are not rolled back): one line per row.
DUMP="SELECT 's', s.room, s.kind, s.started_at, s.ended_at, s.peak_participants, s.estimated,
	s.seen_at, s.participants, (m.room IS NOT NULL) FROM jitsi_sessions s LEFT JOIN meetings m ON m.id = s.meeting_id
	WHERE s.room LIKE 'sets%' ORDER BY 2, 4;
SELECT 'a', s.room, s.started_at, regexp_replace(a.person, '^u:[0-9]+$', 'u:member'), a.user_id IS NOT NULL,
	a.name, a.email, a.external, a.moderator, a.first_join, a.last_leave, a.seconds
	FROM attendance a JOIN jitsi_sessions s ON s.id = a.session_id WHERE s.room LIKE 'sets%' ORDER BY 2, 3, 4;
SELECT 'i', s.room, s.started_at, regexp_replace(a.person, '^u:[0-9]+$', 'u:member'), i.occupant, i.joined_at,
	i.left_at, i.estimated FROM attendance_intervals i JOIN attendance a ON a.id = i.attendance_id
	JOIN jitsi_sessions s ON s.id = a.session_id WHERE s.room LIKE 'sets%' ORDER BY 2, 3, 4, 5, 6;
SELECT 'ss', s.room, t.started_at, t.ended_at, t.kind, t.meeting_id IS NOT NULL, t.owner_id IS NOT NULL,
	t.participants, t.externals, t.peak, t.estimated FROM stat_sessions t JOIN jitsi_sessions s ON s.id = t.session_id
	WHERE s.room LIKE 'sets%' ORDER BY 2, 3;
SELECT 'sd', d.* FROM stat_days d ORDER BY 2; SELECT 'sm', m.* FROM stat_months m ORDER BY 2;
SELECT 'su', u.* FROM stat_unit_months u ORDER BY 2, 3; SELECT 'sh', h.* FROM stat_heat h ORDER BY 2, 3;
SELECT 'hr', h.* FROM stat_hours h ORDER BY 2;
SELECT 'us', x.last_seen FROM stat_user_seen x JOIN users u ON u.id = x.user_id WHERE u.rfc = 'SETS800101AB1';
SELECT 'um', x.starts_at, x.organised, x.attended, x.seconds, x.sched_min, x.real_s FROM ustats_meetings x
	JOIN users u ON u.id = x.user_id WHERE u.rfc = 'SETS800101AB1';
SELECT 'uw', x.week, x.meetings, x.organised, x.attended, x.seconds, x.sched_min, x.att_sched_min, x.att_real_s
	FROM ustats_weeks x JOIN users u ON u.id = x.user_id WHERE u.rfc = 'SETS800101AB1';
SELECT 'b', b.name, b.region, b.version, b.first_seen, b.last_seen FROM bridges b WHERE b.name LIKE 'setsjvb-%' ORDER BY 2;
SELECT 't', b.name, t.at, t.up FROM bridge_transitions t JOIN bridges b ON b.id = t.bridge_id
	WHERE b.name LIKE 'setsjvb-%' ORDER BY 2, 3, 4;
SELECT 'm', b.name, (m - 'bridge_id') FROM bridge_minutes m0 JOIN bridges b ON b.id = m0.bridge_id
	CROSS JOIN LATERAL to_jsonb(m0) m WHERE b.name LIKE 'setsjvb-%' ORDER BY 2, m0.minute;
SELECT 'bh', b.name, (h - 'bridge_id') FROM stat_bridge_hours h0 JOIN bridges b ON b.id = h0.bridge_id
	CROSS JOIN LATERAL to_jsonb(h0) h WHERE b.name LIKE 'setsjvb-%' ORDER BY 2, h0.hour;
SELECT 'bd', b.name, (d - 'bridge_id') FROM stat_bridge_days d0 JOIN bridges b ON b.id = d0.bridge_id
	CROSS JOIN LATERAL to_jsonb(d0) d WHERE b.name LIKE 'setsjvb-%' ORDER BY 2, d0.day;"

# Before 019: 010/011's row triggers in place of 019's and 021's statement triggers (and of
# 021's WHEN on stat_sessions), one call per item.
OLD="DROP TRIGGER stat_attendance_ins ON attendance; DROP TRIGGER stat_attendance_upd ON attendance;
DROP TRIGGER stat_attendance_del ON attendance; DROP TRIGGER stat_bridge_minutes_ins ON bridge_minutes;
DROP TRIGGER stat_bridge_minutes_upd ON bridge_minutes; DROP TRIGGER stat_bridge_minutes_del ON bridge_minutes;
CREATE TRIGGER stat_attendance AFTER INSERT OR UPDATE OR DELETE ON attendance
	FOR EACH ROW EXECUTE FUNCTION stat_attendance();
CREATE TRIGGER ustats_attendance_ins AFTER INSERT ON attendance
	FOR EACH ROW WHEN (NEW.user_id IS NOT NULL) EXECUTE FUNCTION ustats_tg_attendance();
CREATE TRIGGER ustats_attendance_del AFTER DELETE ON attendance
	FOR EACH ROW WHEN (OLD.user_id IS NOT NULL) EXECUTE FUNCTION ustats_tg_attendance();
CREATE TRIGGER ustats_attendance_upd AFTER UPDATE OF session_id, user_id, seconds ON attendance
	FOR EACH ROW WHEN ((OLD.user_id IS NOT NULL OR NEW.user_id IS NOT NULL) AND
	(OLD.session_id, OLD.user_id, OLD.seconds) IS DISTINCT FROM (NEW.session_id, NEW.user_id, NEW.seconds))
	EXECUTE FUNCTION ustats_tg_attendance();
CREATE TRIGGER stat_bridge_minutes AFTER INSERT OR UPDATE OR DELETE ON bridge_minutes
	FOR EACH ROW EXECUTE FUNCTION stat_bridge_minutes();
DROP TRIGGER stat_jitsi_sessions_ins ON jitsi_sessions; DROP TRIGGER stat_jitsi_sessions_upd ON jitsi_sessions;
CREATE TRIGGER stat_jitsi_sessions AFTER INSERT OR UPDATE ON jitsi_sessions
	FOR EACH ROW EXECUTE FUNCTION stat_jitsi_sessions();
DROP TRIGGER stat_sessions_apply ON stat_sessions; DROP TRIGGER stat_sessions_apply_upd ON stat_sessions;
CREATE TRIGGER stat_sessions_apply AFTER INSERT OR UPDATE OR DELETE ON stat_sessions
	FOR EACH ROW EXECUTE FUNCTION stat_sessions_apply();
SELECT tel_event_one(type, room, occ, to_timestamp(at), person, uid, name, email, external, moderator)
	FROM ev ORDER BY ord;
SELECT tel_bridge_sample(name, to_timestamp(at), 15, region, version, stress, bd, bu, pd, pu, conf, endp,
	largest, loss, rtt) FROM bs ORDER BY ord;"
# 019 as the collector uses it: tel_events per cut, tel_bridge_samples over the batch.
SETS="SELECT tel_events(array_agg(type ORDER BY ord), array_agg(room ORDER BY ord), array_agg(occ ORDER BY ord),
	array_agg(at ORDER BY ord), array_agg(person ORDER BY ord), array_agg(uid ORDER BY ord),
	array_agg(name ORDER BY ord), array_agg(email ORDER BY ord), array_agg(external ORDER BY ord),
	array_agg(moderator ORDER BY ord)) FROM ev GROUP BY seg ORDER BY seg;
SELECT tel_bridge_samples(array_agg(name ORDER BY ord), array_agg(at ORDER BY ord), 15,
	array_agg(region ORDER BY ord), array_agg(version ORDER BY ord), array_agg(stress ORDER BY ord),
	array_agg(bd ORDER BY ord), array_agg(bu ORDER BY ord), array_agg(pd ORDER BY ord),
	array_agg(pu ORDER BY ord), array_agg(conf ORDER BY ord), array_agg(endp ORDER BY ord),
	array_agg(largest ORDER BY ord), array_agg(loss ORDER BY ord), array_agg(rtt ORDER BY ord)) FROM bs;"
# One call for the whole batch: not in phase order, so applied one by one.
ONE="SELECT tel_events(array_agg(type ORDER BY ord), array_agg(room ORDER BY ord), array_agg(occ ORDER BY ord),
	array_agg(at ORDER BY ord), array_agg(person ORDER BY ord), array_agg(uid ORDER BY ord),
	array_agg(name ORDER BY ord), array_agg(email ORDER BY ord), array_agg(external ORDER BY ord),
	array_agg(moderator ORDER BY ord)) FROM ev;
SELECT tel_bridge_samples(array_agg(name ORDER BY ord), array_agg(at ORDER BY ord), 15,
	array_agg(region ORDER BY ord), array_agg(version ORDER BY ord), array_agg(stress ORDER BY ord),
	array_agg(bd ORDER BY ord), array_agg(bu ORDER BY ord), array_agg(pd ORDER BY ord),
	array_agg(pu ORDER BY ord), array_agg(conf ORDER BY ord), array_agg(endp ORDER BY ord),
	array_agg(largest ORDER BY ord), array_agg(loss ORDER BY ord), array_agg(rtt ORDER BY ord)) FROM bs;"

# run NAME SQL: the fixture, SQL, the dump, in one transaction rolled back; the dump in $T_TMP/NAME.
run() {
	printf '%s\n' '\set ON_ERROR_STOP 1' '\o /dev/null' 'BEGIN;' "$FIX" "$2" '\o' "$DUMP" 'ROLLBACK;' |
		runuser -u sekkan -- psql -X -q -tA -h "$STATE/run" -d sekkan >"$T_TMP/$1" 2>"$T_TMP/$1.out"
}
run old "$OLD"; ok $? "before 019: one call per item, row triggers (errors: $(head -c 300 "$T_TMP/old.out"))"
run sets "$SETS"; ok $? "019: tel_events per cut, tel_bridge_samples (errors: $(head -c 300 "$T_TMP/sets.out"))"
run one "$ONE"; ok $? "019: the whole batch in one tel_events call"
run twice "$SETS
$SETS"; ok $? "019: the batch twice"

# The scenario did what it should before anything is compared with it.
grep -q '^i|setsmeetingroom0000000000a|.*|u:member|a2|' "$T_TMP/old" &&
	[ "$(grep -c '^a|setsmeetingroom0000000000a|.*|u:member|' "$T_TMP/old")" = 1 ]
ok $? "a reconnect is one attendance with two intervals"
[ "$(grep -c '^s|setsunknownroom|' "$T_TMP/old")" = 2 ] && grep -q '^s|setsoldroom|unknown|' "$T_TMP/old"
ok $? "a room ended and created again is two sessions; a room with no created event has one"
grep -q '^t|setsjvb-a|.*|f$' "$T_TMP/old" && ! grep -q '^t|setsjvb-b|.*|f$' "$T_TMP/old"
ok $? "a silence is a down period; a silence across a blind span is not"
grep -q '^um|' "$T_TMP/old" && grep -q '^uw|' "$T_TMP/old" && grep -q '^us|' "$T_TMP/old"
ok $? "the member's statistics are there"
[ "$(wc -l <"$T_TMP/old")" -gt 40 ]
ok $? "the dump has every table ($(wc -l <"$T_TMP/old") lines)"

for r in sets one twice; do
	diff "$T_TMP/old" "$T_TMP/$r" >"$T_TMP/$r.diff"
	ok $? "$r: the same as before 019 ($(head -c 600 "$T_TMP/$r.diff" | tr '\n' ' '))"
done

# Guests without an e-mail are merged by display name: two different guests called the same
# in one room at once are one attendance (two intervals that overlap). Its seconds are the
# length of the union of its intervals (020), never more than the session: here [+10, +90]
# and a reconnect [+100, +110] = 90 s of a 120 s session (their sum would be 140 s). Both
# ways in: one function call per event, and tel_events as the collector cuts it.
dup() {
	printf '%s\n' '\set ON_ERROR_STOP 1' '\o /dev/null' 'BEGIN;' "$1" '\o' \
		"SELECT a.seconds || ' ' || extract(epoch FROM s.ended_at - s.started_at)::integer || ' ' ||
		(SELECT count(*) FROM attendance_intervals i WHERE i.attendance_id = a.id)
		FROM attendance a JOIN jitsi_sessions s ON s.id = a.session_id WHERE s.room = 'setsdupname';" 'ROLLBACK;' |
		runuser -u sekkan -- psql -X -q -tA -h "$STATE/run" -d sekkan 2>&1
}
J="NULL, 'Invitado', '', true, false"
got=$(dup "SELECT tel_room_created('setsdupname', to_timestamp($T0));
SELECT tel_occupant_joined('setsdupname', 'd1', to_timestamp($T0 + 10), 'n:Invitado', $J);
SELECT tel_occupant_joined('setsdupname', 'd2', to_timestamp($T0 + 20), 'n:Invitado', $J);
SELECT tel_occupant_left('setsdupname', 'd1', to_timestamp($T0 + 70), false);
SELECT tel_occupant_left('setsdupname', 'd2', to_timestamp($T0 + 90), false);
SELECT tel_occupant_joined('setsdupname', 'd3', to_timestamp($T0 + 100), 'n:Invitado', $J);
SELECT tel_occupant_left('setsdupname', 'd3', to_timestamp($T0 + 110), false);
SELECT tel_room_destroyed('setsdupname', to_timestamp($T0 + 120));")
[ "$got" = "90 120 3" ]
ok $? "two guests of one name at once: one attendance, seconds the union of its intervals, one call per event (seconds, session, intervals: $got)"
got=$(dup "SELECT tel_events(ARRAY['created', 'joined', 'joined', 'left', 'left'],
	array_fill('setsdupname'::text, ARRAY[5]), ARRAY[NULL, 'd1', 'd2', 'd1', 'd2'],
	ARRAY[$T0, $T0 + 10, $T0 + 20, $T0 + 70, $T0 + 90]::float8[],
	ARRAY[NULL, 'n:Invitado', 'n:Invitado', NULL, NULL], ARRAY[NULL, NULL, NULL, NULL, NULL]::bigint[],
	ARRAY[NULL, 'Invitado', 'Invitado', NULL, NULL], ARRAY[NULL, '', '', NULL, NULL],
	ARRAY[NULL, true, true, NULL, NULL], ARRAY[NULL, false, false, NULL, NULL]);
SELECT tel_events(ARRAY['joined', 'left', 'destroyed'], array_fill('setsdupname'::text, ARRAY[3]),
	ARRAY['d3', 'd3', NULL], ARRAY[$T0 + 100, $T0 + 110, $T0 + 120]::float8[],
	ARRAY['n:Invitado', NULL, NULL], ARRAY[NULL, NULL, NULL]::bigint[], ARRAY['Invitado', NULL, NULL],
	ARRAY['', NULL, NULL], ARRAY[true, NULL, NULL], ARRAY[false, NULL, NULL]);")
[ "$got" = "90 120 3" ]
ok $? "the same through tel_events as the collector cuts it ($got)"

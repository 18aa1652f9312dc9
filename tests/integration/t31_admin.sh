#!/bin/sh
# t31_admin.sh: the administration panel on a small known data set put straight into the
# telemetry tables (psql) and the collector's Redis keys, so every figure below is computed by
# hand: roll-ups kept by the triggers (days, weeks and months in America/Mexico_City, a meeting
# across midnight, a reconnected person counted once), exact weekly availability from
# transitions, the busiest hour, keyset pages, the CSV (formula escaping, batches), the live
# page, /metrics and its address check, the capacity forecast, and 404 for everyone else.
. "$(dirname "$0")/lib.sh"
CTL="$ROOT/tools/sekkanctl -c $STATE/conf/sekkan.hdf"
RC="redis-cli -s $STATE/run/redis.sock"
A=$T_TMP/admin.jar E=$T_TMP/employee.jar
psql_in() { runuser -u sekkan -- psql -X -q -v ON_ERROR_STOP=1 -h "$STATE/run" -d sekkan "$@"; }
$RC --scan --pattern 'sekkan:fail-*' | xargs -r $RC del >/dev/null

signin demo1 "$A"
ok $? "demo1 signs in"
signin demo2 "$E"
ok $? "demo2 (an employee) signs in"
$CTL grant-admin GOMA800101AB1 >/dev/null
ok $? "demo1 is made an administrator"

# ---- Who may see the pages ----
URLS="/admin /admin/infraestructura /admin/uso /admin/uso.csv /admin/cruce /admin/capacidad"
for u in $URLS; do
	fetch -b "$E" "$BASE$u"
	is_status 404 "$u does not exist for an employee"
	fetch "$BASE$u"
	is_status 404 "$u does not exist for a visitor"
	fetch -b "$E" -X POST -d x=1 "$BASE$u"
	is_status 404 "$u does not exist for an employee's POST either (no 405 to give it away)"
	fetch -X DELETE "$BASE$u"
	is_status 404 "nor for a visitor's DELETE"
	fetch -b "$A" "$BASE$u"
	is_status 200 "$u for the administrator"
	fetch -b "$A" -X POST -d x=1 "$BASE$u"
	is_status 405 "$u refuses POST"
done

# ---- The known data set ----
# The whole-history figures (busiest hour, longest meeting) are checked against this data set
# alone: the Jitsi sessions earlier tests recorded (the collector's, t21-t23; t26, t28) go
# first. Their roll-ups follow through the triggers.
# The instance's collector would write its own live state beside the one this test sets in
# Redis (and reconcile it with prosody): it waits until the end.
"$ROOT/tools/dev" service "$STATE" collector stop
ok $? "the collector stops for this test"
# Deleting leaves all-zero roll-up rows and the users' last-seen times behind (a delete is
# not something the collector does), so the roll-ups are rebuilt from what is left.
psql_in -c "DELETE FROM jitsi_sessions" -c "SELECT stat_rebuild()" >/dev/null
ok $? "earlier tests' Jitsi sessions removed, so the hand-computed figures stand alone"

psql_in <<'SQL' >/dev/null
INSERT INTO users (rfc, employee_no, name, status) VALUES ('MUÑO900620EF3', '100003', 'Olga Muñoz Ortiz', 'active')
ON CONFLICT (rfc) DO NOTHING;
INSERT INTO meetings (room, owner_id, kind, name, starts_at, duration_min, ends_at, time_zone)
SELECT 't31formulaaaaaaaaaaaaaaaaaaaa', id, 'scheduled', '=HYPERLINK("http://x.example/","clic")',
	'2026-11-30 23:00Z', 60, '2026-12-01 00:00Z', 'America/Mexico_City' FROM users WHERE rfc = 'MUÑO900620EF3';
-- S0 Sunday 1 Nov 22:00 local (Monday 2 Nov in UTC), 30 min, one person.
-- S1 Monday 2 Nov 23:30 local to Tuesday 09:30 (across midnight), 3 people, one external.
-- S2 Tuesday 3 Nov 12:00 local, 30 min, 25 people: high consumption.
-- S3 Monday 30 Nov 17:00 local, the meeting above, 2 people.
-- S4 Monday 30 Nov 21:00 local (1 Dec in UTC), 1 person, end estimated.
INSERT INTO jitsi_sessions (room, kind, started_at, ended_at) VALUES
	('t31-s0', 'unknown', '2026-11-02 04:00Z', '2026-11-02 04:30Z'),
	('t31-s1', 'unknown', '2026-11-03 05:30Z', NULL),
	('t31-s2', 'unknown', '2026-11-03 18:00Z', '2026-11-03 18:30Z'),
	('t31-s4', 'unknown', '2026-12-01 03:00Z', '2026-12-01 04:00Z');
INSERT INTO jitsi_sessions (room, kind, meeting_id, started_at, ended_at)
SELECT room, 'meeting', id, '2026-11-30 23:00Z', '2026-12-01 00:00Z' FROM meetings WHERE room = 't31formulaaaaaaaaaaaaaaaaaaaa';
UPDATE jitsi_sessions SET estimated = true WHERE room = 't31-s4';
INSERT INTO attendance (session_id, person, name, external, first_join, last_leave, seconds)
SELECT s.id, 'n:p' || g, 'P' || g, false, s.started_at, s.ended_at, 60 FROM jitsi_sessions s,
	LATERAL generate_series(1, CASE s.room WHEN 't31-s0' THEN 1 WHEN 't31-s2' THEN 25 WHEN 't31-s4' THEN 1 ELSE 2 END) g
WHERE s.room IN ('t31-s0', 't31-s2', 't31-s4', 't31formulaaaaaaaaaaaaaaaaaaaa');
-- S1 while it is live: two members (one drops and reconnects: one attendance, two intervals)
-- and a guest; then it ends.
INSERT INTO attendance (session_id, person, user_id, name, external, first_join, last_leave, seconds)
SELECT s.id, 'u:' || u.id, u.id, u.name, false, s.started_at, now() - interval '1 day', 600
FROM jitsi_sessions s, users u WHERE s.room = 't31-s1' AND u.rfc IN ('GOMA800101AB1', 'PELJ750315CD2');
INSERT INTO attendance (session_id, person, name, email, external, first_join)
SELECT id, 'e:guest@example.org', 'Guest', 'guest@example.org', true, started_at FROM jitsi_sessions WHERE room = 't31-s1';
INSERT INTO attendance_intervals (attendance_id, occupant, joined_at, left_at)
SELECT a.id, 'occ' || g, s.started_at + g * interval '1 minute', s.started_at + g * interval '2 minutes'
FROM attendance a JOIN jitsi_sessions s ON s.id = a.session_id, generate_series(1, 2) g
WHERE s.room = 't31-s1' AND a.external = false;
UPDATE jitsi_sessions SET ended_at = '2026-11-03 15:30Z', peak_participants = 3 WHERE room = 't31-s1';
-- 2,100 short sessions on 15 Oct, two at each start time, for pages and the CSV's batches.
INSERT INTO jitsi_sessions (room, kind, started_at, ended_at)
SELECT 't31-p' || g, 'unknown', timestamptz '2026-10-15 12:00Z' + (g / 2) * interval '1 second',
	timestamptz '2026-10-15 12:00Z' + (g / 2) * interval '1 second' + interval '1 minute'
FROM generate_series(1, 2100) g;
-- Bridges: transitions around the week of Monday 2 Nov (06:00 UTC) and minute figures.
INSERT INTO bridges (name) VALUES ('t31-jvb1'), ('t31-jvb2');
INSERT INTO bridge_transitions SELECT id, at::timestamptz, up FROM bridges,
	(VALUES ('2026-10-30 00:00Z', true), ('2026-11-04 06:00Z', false), ('2026-11-04 12:00Z', true)) v (at, up)
WHERE name = 't31-jvb1';
INSERT INTO bridge_transitions SELECT id, '2026-11-05 06:00Z', true FROM bridges WHERE name = 't31-jvb2';
INSERT INTO bridge_minutes (bridge_id, minute, samples, seconds_available, stress_sum, stress_max,
	bitrate_down_sum, bitrate_down_max, bitrate_up_sum, bitrate_up_max, endpoints_sum, endpoints_max)
SELECT id, '2026-11-03 18:00Z', 6, 60, 3.0, 0.7, 6000, 1500, 3000, 800, 150, 25 FROM bridges WHERE name = 't31-jvb1';
-- The collector adds the minute's next samples to the same row.
UPDATE bridge_minutes SET samples = samples + 6, stress_sum = stress_sum + 5.4, stress_max = 0.9,
	bitrate_down_sum = bitrate_down_sum + 12000, bitrate_down_max = 2500, bitrate_up_sum = bitrate_up_sum + 3000
WHERE minute = '2026-11-03 18:00Z' AND bridge_id = (SELECT id FROM bridges WHERE name = 't31-jvb1');
INSERT INTO bridge_minutes (bridge_id, minute, samples, seconds_available, stress_sum, stress_max,
	bitrate_down_sum, bitrate_down_max, bitrate_up_sum, bitrate_up_max, endpoints_sum, endpoints_max)
SELECT id, '2026-11-03 18:01Z', 12, 60, 1.2, 0.1, 6000, 500, 6000, 500, 12, 1 FROM bridges WHERE name = 't31-jvb1';
SQL
ok $? "the data set loads through the triggers"

# The roll-ups agree with a bulk rebuild from the base tables (what gen-data relies on).
snap() { q "SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) FROM (SELECT d::text AS t FROM stat_days d
	UNION ALL SELECT m::text FROM stat_months m UNION ALL SELECT h::text FROM stat_hours h
	UNION ALL SELECT x::text FROM stat_heat x UNION ALL SELECT u::text FROM stat_unit_months u
	UNION ALL SELECT b::text FROM stat_bridge_hours b UNION ALL SELECT c::text FROM stat_bridge_days c
	UNION ALL SELECT s::text FROM stat_sessions s) z"; }
before=$(snap)
q "SELECT stat_rebuild()" >/dev/null
[ -n "$before" ] && [ "$before" = "$(snap)" ]
ok $? "the incremental roll-ups equal stat_rebuild()'s"

# ---- /admin/uso: indicators for November in Mexico City ----
fetch -b "$A" "$BASE/admin/uso?desde=2026-11-01&hasta=2026-11-30"
is_status 200 "usage for November"
body_has '<dd id="i-sessions">5</dd>' "5 sessions (S4 started on 1 Dec in UTC but 30 Nov in Mexico City)"
body_has '<dd id="i-completed">3 (60.0 %)</dd>' "3 completed: not the one-person one, not the estimated one"
body_has '<dd id="i-external">1 (20.0 %)</dd>' "1 with an external guest"
body_has '<dd id="i-big">1</dd>' "1 with more than 20 people"
body_has '<dd id="i-avgp">6.40</dd>' "average participants 32 / 5, the reconnected member counted once"
body_has '<dd id="i-avgm">156.0</dd>' "average duration 46,800 s / 5 = 156 min"
body_has '<dd id="i-hours">13.0</dd>' "13 hours in meetings"
grep -qF '<th scope="row">2026-11-01</th><td>1</td><td>1</td>' "$T_TMP/body"
ok $? "S0 is on Sunday 1 Nov (local), not Monday 2 Nov (UTC)"
grep -qF '<th scope="row">2026-11-02</th><td>1</td><td>3</td><td>0</td><td>1</td>' "$T_TMP/body"
ok $? "S1, across midnight, is on the day it started, with its guest"
grep -qF '<th scope="row">2026-11-30</th><td>2</td><td>3</td>' "$T_TMP/body"
ok $? "30 Nov has S3 and S4"
grep -qF '<th scope="row">2026-11</th><td>5</td><td>32</td><td>1</td><td>1</td>' "$T_TMP/body"
ok $? "the month row: 5 sessions, 32 participants, 1 big, 1 with guests"
body_has '<dd id="i-longest">600 min, 2026-11-02 23:30</dd>' "the longest meeting: S1, 600 minutes"
body_has '<dd id="i-busiest">mar 12:00 (25)</dd>' "the busiest hour: Tuesday 12:00 with 25 people"
body_has '<title id="heat-t">' "the hour x weekday heat map is drawn"
grep -qF '<th scope="row">12</th><td>0</td><td>25</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>' "$T_TMP/body"
ok $? "its table: at 12:00, 25 people on Tuesdays (S2) and nobody on other days"
[ "$(grep -c 'role="img"' "$T_TMP/body")" -ge 3 ]
ok $? "the usage page draws its charts (per day, per month, the heat map)"
grep -qF "<dd id=\"i-registered\">$(q "SELECT count(*) FROM users WHERE status = 'active'")</dd>" "$T_TMP/body"
ok $? "registered users as counted in users"
grep -qF "<dd id=\"i-active\">$(q "SELECT count(DISTINCT user_id) FROM attendance WHERE user_id IS NOT NULL AND coalesce(last_leave, first_join) > now() - interval '30 days'")</dd>" "$T_TMP/body"
ok $? "active users as counted from attendance (the roll-up agrees)"
grep -qF '<td>Delegación Regional Sureste</td><td>1</td><td>2</td><td>1.0</td>' "$T_TMP/body"
ok $? "use by unit: the owner's unit has S3"
[ "$(grep -c '<li id="s' "$T_TMP/body")" = 5 ]
ok $? "the history lists the 5 sessions"

# Filters.
count_rows() { grep -o '<li id="s[0-9]*"' "$T_TMP/body" | wc -l; }
fetch -b "$A" "$BASE/admin/uso?desde=2026-11-01&hasta=2026-11-30&rfc=MU%C3%91O900620EF3"
[ "$(count_rows)" = 1 ] && grep -qF 'Olga Muñoz Ortiz' "$T_TMP/body"
ok $? "the owner filter keeps only that person's meeting"
grep -qF 'href="/admin/uso.csv?desde=2026-11-01&amp;hasta=2026-11-30&amp;rfc=MU%C3%91O900620EF3"' "$T_TMP/body"
ok $? "the export link carries the RFC URL-encoded (an RFC may hold Ñ or &)"
fetch -b "$A" "$BASE/admin/uso?desde=2026-11-01&hasta=2026-11-30&unidad=DRSE"
[ "$(count_rows)" = 1 ]
ok $? "the unit filter keeps only S3"
fetch -b "$A" "$BASE/admin/uso?desde=2026-11-01&hasta=2026-11-30&tamano=grande"
[ "$(count_rows)" = 1 ] && grep -q 'Participantes: 25 ' "$T_TMP/body"
ok $? "size: only the 25-person session is large"
fetch -b "$A" "$BASE/admin/uso?desde=2026-11-01&hasta=2026-11-30&externos=1"
[ "$(count_rows)" = 1 ] && grep -q 'Externos: 1<' "$T_TMP/body"
ok $? "with external guests: only S1"
fetch -b "$A" "$BASE/admin/uso?desde=2026-11-30&hasta=2026-11-01"
is_status 400 "a period that ends before it starts"
body_has 'El periodo no es válido' "is explained in Spanish"
uid=$(q "SELECT id FROM users WHERE rfc = 'GOMA800101AB1'")
grep -qE "^sekkan/admin-uso\[[0-9]+\]: (info: )?127\.0\.0\.1 $uid: /admin/uso: refused adm.bad_range\$" "$STATE/log/admin-uso.log"
ok $? "and the operator gets one log line: program, remote address, user, cause (never the value)"
fetch -b "$A" "$BASE/admin/uso?desde=2020-01-01&hasta=2026-11-01"
is_status 400 "a period of more than 366 days"
fetch -b "$A" "$BASE/admin/uso?rfc=XAXX010101000"
is_status 400 "an RFC without an account"
body_has 'No hay ninguna cuenta con ese RFC' "is explained"
for bad in 'tamano=enorme' 'externos=si' 'antes=abc' 'antes=1.x' 'unidad=NOPE' 'desde=2026-13-01'; do
	fetch -b "$A" "$BASE/admin/uso?$bad"
	is_status 400 "usage with $bad"
done

# Keyset pages over 2,100 sessions with tied start times: no row twice, none missing.
: >"$T_TMP/ids"
url="$BASE/admin/uso?desde=2026-10-15&hasta=2026-10-15"
pages=0
while [ -n "$url" ] && [ $pages -lt 3 ]; do
	fetch -b "$A" "$url"
	grep -o '<li id="s[0-9]*"' "$T_TMP/body" | tr -dc '0-9\n' >>"$T_TMP/ids"
	next=$(sed -n 's/.*<a id="next" href="\([^"]*\)".*/\1/p' "$T_TMP/body" | sed 's/&amp;/\&/g')
	url=${next:+$BASE$next}
	pages=$((pages + 1))
done
[ "$(wc -l <"$T_TMP/ids")" = 150 ] && [ "$(sort -u "$T_TMP/ids" | wc -l)" = 150 ]
ok $? "three pages of 50, all different"
[ "$(sort -rn "$T_TMP/ids" | head -n 150 | md5sum)" = "$(q "SELECT session_id FROM stat_sessions WHERE started_at >= '2026-10-15 06:00Z' AND started_at < '2026-10-16 06:00Z' ORDER BY started_at DESC, session_id DESC LIMIT 150" | sort -rn | md5sum)" ]
ok $? "and exactly the 150 newest, in (start, id) order"

# ---- The CSV ----
curl -s -b "$A" -D "$T_TMP/csvhead" -o "$T_TMP/oct.csv" "$BASE/admin/uso.csv?desde=2026-10-15&hasta=2026-10-15"
grep -qi '^content-type: text/csv' "$T_TMP/csvhead" && grep -qi 'attachment; filename="sekkan-uso-2026-10-15-2026-10-15.csv"' "$T_TMP/csvhead"
ok $? "the CSV is an attachment of type text/csv"
[ "$(wc -l <"$T_TMP/oct.csv")" = 2101 ] && [ "$(tail -n +2 "$T_TMP/oct.csv" | cut -d, -f1 | sort -u | wc -l)" = 2100 ]
ok $? "2,100 rows and a header, across the 2,000-row batches, none twice"
fetch -b "$A" "$BASE/admin/uso.csv?desde=2026-11-01&hasta=2026-11-30"
grep -qF '"'"'"'=HYPERLINK(""http://x.example/"",""clic"")"' "$T_TMP/body"
ok $? "a meeting name that is a formula starts with an apostrophe, quotes doubled"
grep -qF ',Olga Muñoz Ortiz,MUÑO900620EF3,DRSE,2,0,ended' "$T_TMP/body"
ok $? "the owner, RFC, unit and counts are in its row"
grep -q ',2026-11-02 23:30,2026-11-03 09:30,600,unknown,' "$T_TMP/body"
ok $? "S1's start and end in Mexico City time and its 600 minutes"
fetch -b "$A" "$BASE/admin/uso?desde=2016-01-01&hasta=2026-11-30"
is_status 400 "the page takes at most 366 days"
fetch -b "$A" "$BASE/admin/uso.csv?desde=2016-01-01&hasta=2026-11-30"
is_status 200 "the CSV, streamed, takes ten years and more"
grep -q ',2026-11-02 23:30,2026-11-03 09:30,600,unknown,' "$T_TMP/body" && grep -c '^[0-9]' "$T_TMP/body" | grep -qv '^0$'
ok $? "with the sessions of the whole period"
fetch -b "$A" "$BASE/admin/uso.csv?desde=2014-01-01&hasta=2026-11-30"
is_status 400 "but not more than eleven years"
body_has "que la exportación no pase de once años" "and says so"

# ---- /admin/infraestructura ----
fetch -b "$A" "$BASE/admin/infraestructura?desde=2026-10-26&hasta=2026-11-08"
is_status 200 "infrastructure per day"
grep -qF '<td>t31-jvb1</td><td>2026-11-03</td><td>40.0</td><td>90.0</td><td>1.0</td><td>0.5</td><td>2.5</td><td>25</td>' "$T_TMP/body"
ok $? "jvb1's day: average load 40 % (9.6 / 24 samples), peak 90 %, traffic, peak endpoints"
grep -qF '<title id="load-t">' "$T_TMP/body" && grep -qF '<title id="traffic-t">Tráfico (entrada / salida)' "$T_TMP/body"
ok $? "the platform's load and traffic are charted"
grep -qF '<th scope="row">2026-11-03</th><td>40.0</td><td>1.0</td><td>0.5</td>' "$T_TMP/body"
ok $? "and the same figures as a table: 3 Nov, jvb1 alone, 40 % load, 1.0 in, 0.5 out"
grep -qF '<details class="bridge"><summary>t31-jvb1</summary>' "$T_TMP/body" &&
	grep -q '<title id="b[0-9]*-load-t">t31-jvb1: Carga media' "$T_TMP/body" &&
	grep -q '<title id="b[0-9]*-traffic-t">t31-jvb1: Tráfico' "$T_TMP/body"
ok $? "and each bridge's own load and traffic, folded under its name"
body_lacks 'adm.infra' "no string key shows instead of its text"
grep -qF '<td>2026-11-02</td><td>t31-jvb1</td><td>96.43 %</td>' "$T_TMP/body"
ok $? "jvb1 was up 162 of 168 hours in the week of 2 Nov: 96.43 %"
grep -qF '<td>2026-11-02</td><td>t31-jvb2</td><td>57.14 %</td>' "$T_TMP/body"
ok $? "jvb2 came up on Thursday 00:00 local: 96 of 168 hours, 57.14 %"
grep -qF '<td>2026-10-26</td><td>t31-jvb1</td><td>46.43 %</td>' "$T_TMP/body"
ok $? "the week before: up from 30 Oct 00:00 UTC to Monday 06:00 UTC, 78 hours, 46.43 %"
grep -qF '<td>2026-10-26</td><td>t31-jvb2</td><td>0.00 %</td>' "$T_TMP/body"
ok $? "a bridge before its first transition counts as down"
grep -qF '<th scope="row">2026-11-02</th><td>2</td><td>1</td><td>50.0 %</td>' "$T_TMP/body"
ok $? "high consumption in the week of 2 Nov: 1 of 2"
grep -qF '<th scope="row">2026-10-26</th><td>1</td><td>0</td><td>0.0 %</td>' "$T_TMP/body"
ok $? "S0 (Sunday local) is in the week of 26 Oct"
grep -qF '<th scope="row">2026-11</th><td>5</td><td>1</td><td>20.0 %</td>' "$T_TMP/body"
ok $? "high consumption in November: 1 of 5"
grep -qF '<td>2026-11-02</td><td>t31-jvb1</td><td>96.43 %</td><td class="unknown">0:00:00</td>' "$T_TMP/body"
ok $? "a week the collector saw whole has no unknown time"
# The collector's blind spans (018): 12 hours on Tuesday 10 Nov unknown, and jvb2 really down
# 6 hours on Thursday 12 Nov, seen. Unknown time is out of both the up time and the period.
psql_in <<'SQL'
INSERT INTO collector_gaps VALUES ('2026-11-10 06:00Z', '2026-11-10 18:00Z');
INSERT INTO bridge_transitions SELECT id, at::timestamptz, up FROM bridges,
	(VALUES ('2026-11-12 00:00Z', false), ('2026-11-12 06:00Z', true)) v (at, up) WHERE name = 't31-jvb2';
SQL
[ "$(q "SELECT string_agg(b.name || ' ' || a.up_seconds || ' ' || a.unknown_seconds, ', ' ORDER BY b.name)
	FROM stat_availability('2026-11-09 06:00Z', '2026-11-16 06:00Z') a JOIN bridges b ON b.id = a.bridge_id
	WHERE b.name LIKE 't31-%'")" = "t31-jvb1 561600 43200, t31-jvb2 540000 43200" ]
ok $? "stat_availability: up seconds leave the blind span out, which it reports (12 h)"
fetch -b "$A" "$BASE/admin/infraestructura?desde=2026-11-09&hasta=2026-11-15"
grep -qF '<td>2026-11-09</td><td>t31-jvb1</td><td>100.00 %</td><td class="unknown">12:00:00</td>' "$T_TMP/body"
ok $? "jvb1, up all week: 100 % of the 156 hours seen, 12 hours unknown shown"
grep -qF '<td>2026-11-09</td><td>t31-jvb2</td><td>96.15 %</td><td class="unknown">12:00:00</td>' "$T_TMP/body"
ok $? "jvb2, down 6 hours the collector saw: 150 of 156 hours, 96.15 %"
q "UPDATE collector_gaps SET started_at = '2026-11-09 06:00Z', ended_at = '2026-11-16 06:00Z'
	WHERE started_at = '2026-11-10 06:00Z'" >/dev/null
fetch -b "$A" "$BASE/admin/infraestructura?desde=2026-11-09&hasta=2026-11-15"
grep -qF '<td>2026-11-09</td><td>t31-jvb1</td><td>—</td><td class="unknown">168:00:00</td>' "$T_TMP/body"
ok $? "a week the collector saw nothing of has no availability, only unknown time"
q "DELETE FROM collector_gaps WHERE started_at = '2026-11-09 06:00Z'" >/dev/null
q "DELETE FROM bridge_transitions WHERE at IN ('2026-11-12 00:00Z', '2026-11-12 06:00Z')" >/dev/null
fetch -b "$A" "$BASE/admin/infraestructura?vista=hora&desde=2026-11-03"
grep -qF '<td>t31-jvb1</td><td>2026-11-03 12:00</td><td>40.0</td><td>90.0</td>' "$T_TMP/body"
ok $? "per hour: 18:00 UTC is 12:00 in Mexico City"
fetch -b "$A" "$BASE/admin/infraestructura?desde=2026-01-01&hasta=2026-11-08"
is_status 400 "more than 31 days per day is refused"
fetch -b "$A" "$BASE/admin/infraestructura?vista=semana"
is_status 400 "an unknown view"

# ---- /admin/cruce ----
fetch -b "$A" "$BASE/admin/cruce?dia=2026-11-03"
is_status 200 "usage and infrastructure for 3 Nov"
grep -qF '<th scope="rowgroup" rowspan="1">12:00</th><td rowspan="1">1</td><td rowspan="1">25</td><td rowspan="1">1</td>' "$T_TMP/body" &&
	grep -qF '<td>t31-jvb1</td><td>40.0</td><td>90.0</td><td>1.0</td><td>0.5</td>' "$T_TMP/body"
ok $? "12:00: S2 with 25 people beside jvb1 at 40 % load"
grep -qF '<th scope="rowgroup" rowspan="1">09:00</th><td rowspan="1">1</td><td rowspan="1">3</td><td rowspan="1">0</td>' "$T_TMP/body"
ok $? "09:00: S1 still going (it started the day before)"
grep -qF '<th scope="rowgroup" rowspan="1">10:00</th><td rowspan="1">0</td>' "$T_TMP/body"
ok $? "10:00: nothing (S1 ended at 09:30)"
[ "$(grep -c 'scope="rowgroup"' "$T_TMP/body")" = 24 ]
ok $? "24 hours listed"
grep -q 'role="img"' "$T_TMP/body"
ok $? "usage and load are charted hour by hour"
grep -qF '<th scope="row">12:00</th><td>40.0</td>' "$T_TMP/body"
ok $? "the load chart's figures as a table too: 12:00, 40 %"
fetch -b "$A" "$BASE/admin/cruce?dia=2026-11-02"
grep -qF '<th scope="rowgroup" rowspan="1">23:00</th><td rowspan="1">1</td><td rowspan="1">3</td><td rowspan="1">1</td>' "$T_TMP/body"
ok $? "2 Nov 23:00 local: S1 starts"
fetch -b "$A" "$BASE/admin/cruce?dia=ayer"
is_status 400 "a bad day"

# ---- /admin and /metrics from the collector's keys ----
now=$(date +%s)
$RC --scan --pattern 'sekkan:tel:*' | xargs -r $RC del >/dev/null
$RC zadd sekkan:tel:bridges "$now" t31-jvb1 "$now" t31-jvb2 $((now - 600)) t31-jvb3 >/dev/null
$RC hset sekkan:tel:bridge:t31-jvb1 stress 0.37 bit_rate_download 12000 bit_rate_upload 8000 conferences 3 \
	participants 14 largest_conference 9 available 1 drain 0 shutdown 0 seen "$now" region mx-central >/dev/null
$RC hset sekkan:tel:bridge:t31-jvb2 stress 0.05 bit_rate_download 500 bit_rate_upload 250 conferences 1 \
	participants 2 available 1 drain 1 shutdown 0 seen "$now" >/dev/null
$RC hset sekkan:tel:bridge:t31-jvb3 stress 0.9 participants 40 available 1 seen $((now - 600)) >/dev/null
$RC zadd sekkan:tel:rooms "$now" rooma "$now" roomb "$now" roomgone >/dev/null
$RC hset sekkan:tel:room:rooma participants 4 peak 5 started $((now - 100)) kind meeting >/dev/null
$RC hset sekkan:tel:room:roomb participants 10 peak 10 started $((now - 50)) kind unknown >/dev/null
$RC hset sekkan:tel:collector pid 1 started $((now - 3600)) connected 1 last_event $((now - 2)) events 120 \
	errors 1 reconnects 0 bridges_available 2 >/dev/null
# An account waiting for approval and a mail that failed for good, for the summary and /metrics.
psql_in <<'SQL' >/dev/null
INSERT INTO users (rfc, employee_no, name, status) VALUES ('ESPE850505GH4', '100004', 'Eva Espera Pérez', 'awaiting')
ON CONFLICT (rfc) DO UPDATE SET status = 'awaiting';
INSERT INTO mail_outbox (kind, recipient, subject, message_id, sender, message, status, attempts, last_error)
VALUES ('invite', 't31@example.org', 't31', '<t31-failed@sekkan.test>', 'sekkan@example.org', 'x', 'failed', 30, '550 t31')
ON CONFLICT (message_id) DO NOTHING;
SQL
awaiting=$(q "SELECT count(*) FROM users WHERE status = 'awaiting'")
failed=$(q "SELECT count(*) FROM mail_outbox WHERE status = 'failed'")
pending=$(q "SELECT count(*) FROM mail_outbox WHERE status = 'pending'")
fetch -b "$A" "$BASE/admin"
is_status 200 "the live page"
body_has "<span id=\"awaiting\">$awaiting</span>" "accounts waiting for approval ($awaiting)"
body_has "<span id=\"mail-failed\">$failed</span>" "mails that failed for good ($failed)"
body_has '<dd id="rooms">2</dd>' "2 live rooms (a member whose hash expired is not one)"
body_has '<dd id="participants">14</dd>' "14 people in them"
body_has '<dd id="bridges-up">1 / 3</dd>' "1 bridge available of 3 (one draining, one silent)"
body_has '<dd id="endpoints">16</dd>' "endpoints of the fresh bridges: 14 + 2"
body_has '<dd id="traffic">12.5 / 8.2 Mbit/s</dd>' "traffic in and out"
grep -qF '<td class="st-up">disponible</td><td>37.0 %</td><td>12.0</td><td>8.0</td><td>3</td><td>14</td>' "$T_TMP/body"
ok $? "jvb1: available, load 37 %, 12 / 8 Mbit/s, 3 conferences, 14 endpoints"
body_has '<td class="st-drain">drenando</td>' "jvb2 is draining"
body_has '<td class="st-stale">sin datos recientes</td>' "jvb3 has gone silent"
body_has 'Conectado a Jitsi' "the collector is connected"
body_has 'errores: 1' "with its error count"
head_lacks '^refresh' "no refresh unless asked"
body_lacks 'http-equiv="refresh"' "no meta refresh unless asked"
fetch -b "$A" "$BASE/admin?auto=1"
body_has '<meta http-equiv="refresh" content="15">' "auto=1 reloads every 15 s, without JavaScript"
fetch -b "$A" "$BASE/admin?auto=yes"
is_status 400 "auto takes 0 or 1"
$RC del sekkan:tel:collector >/dev/null
fetch -b "$A" "$BASE/admin"
body_has 'Sin datos del recolector' "a missing collector is said so"

fetch "$BASE/metrics"
is_status 200 "/metrics from an allowed address"
head_has '^content-type: text/plain; version=0.0.4' "in the Prometheus text format"
body_has 'sekkan_meetings_active 2' "active meetings"
body_has 'sekkan_participants 14' "participants"
body_has 'sekkan_bridge_stress{bridge="t31-jvb1"} 0.370' "per-bridge stress"
body_has 'sekkan_bridge_endpoints{bridge="t31-jvb2"} 2' "per-bridge endpoints"
body_has "sekkan_accounts_awaiting $awaiting" "accounts waiting"
body_has "sekkan_mail_outbox{status=\"failed\"} $failed" "failed mail"
body_has "sekkan_mail_outbox{status=\"pending\"} $pending" "the mail queue"
body_has 'sekkan_mail_oldest_pending_seconds ' "the age of the oldest mail waiting"
body_lacks 'status="sent"' "not the sent mail, a count that would grow with the years"
body_lacks 'sekkan_bridge_stress{bridge="t31-jvb3"}' "no figures for a silent bridge"
body_has 'sekkan_bridges{state="stale"} 1' "bridges by state"
body_has 'sekkan_collector_connected 0' "the collector's absence"
fetch --interface 127.0.0.2 "$BASE/metrics"
is_status 404 "/metrics from an address not in Metrics.Allow"
grep -q 'metrics.*127.0.0.2' "$STATE/log/metrics.log"
ok $? "the refusal is logged for the operator"

# ---- /admin/capacidad ----
day=$(TZ=America/Mexico_City date -d '+13 days' +%F)
psql_in <<SQL >/dev/null
INSERT INTO meetings (room, owner_id, kind, name, starts_at, duration_min, ends_at, time_zone)
SELECT r, u.id, 'scheduled', 'Capacidad ' || r, ('$day ' || t)::timestamp AT TIME ZONE 'America/Mexico_City', 60,
	('$day ' || t)::timestamp AT TIME ZONE 'America/Mexico_City' + interval '60 minutes', 'America/Mexico_City'
FROM users u, (VALUES ('t31capaaaaaaaaaaaaaaaaaaaaaaaa', '03:00'), ('t31capbbbbbbbbbbbbbbbbbbbbbbbb', '03:30')) v (r, t)
WHERE u.rfc = 'GOMA800101AB1';
INSERT INTO meeting_participants (meeting_id, email, name, role)
SELECT m.id, 'g' || g || '@example.org', 'G' || g, 'participant' FROM meetings m, generate_series(1, 3) g
WHERE m.room = 't31capaaaaaaaaaaaaaaaaaaaaaaaa';
INSERT INTO meeting_participants (meeting_id, email, name, role)
SELECT id, 'h@example.org', 'H', 'participant' FROM meetings WHERE room = 't31capbbbbbbbbbbbbbbbbbbbbbbbb';
-- The observed capacity is then this test's alone: the recent figures earlier tests' simulated
-- bridges left (t21-t24) go, as their Jitsi sessions did above; from the hours too, since a
-- roll-up's maximum cannot be taken back by a delete (the collector never deletes).
DELETE FROM bridge_minutes WHERE minute > now() - interval '31 days'
	AND bridge_id NOT IN (SELECT id FROM bridges WHERE name LIKE 't31-%');
DELETE FROM stat_bridge_hours WHERE hour > now() - interval '31 days'
	AND bridge_id NOT IN (SELECT id FROM bridges WHERE name LIKE 't31-%');
INSERT INTO bridge_minutes (bridge_id, minute, samples, endpoints_max)
SELECT id, date_trunc('minute', now()) - interval '1 hour', 1, 5 FROM bridges WHERE name = 't31-jvb1';
SQL
cap=$(q "SELECT sum(m) FROM (SELECT max(endpoints_max) AS m FROM stat_bridge_hours WHERE hour > now() - interval '30 days' GROUP BY bridge_id) x")
fetch -b "$A" "$BASE/admin/capacidad"
is_status 200 "the capacity forecast"
body_has "<dd id=\"capacity\">$cap</dd>" "observed capacity: the bridges' peak endpoints of 30 days ($cap)"
body_has '<dd id="threshold">80 %</dd>' "the configured threshold"
grep -qF "<th scope=\"row\">$day</th><td>6</td><td>03:30</td>" "$T_TMP/body"
ok $? "$day peaks at 03:30 with 4 + 2 people"
[ "$cap" = 5 ]
ok $? "the capacity is the one bridge minute this test wrote (5, got $cap)"
grep -qF "<li>$day 03:30: 6 Esperados (120.0 %)</li>" "$T_TMP/body" && ! grep -qF "<li>$day 03:00:" "$T_TMP/body"
ok $? "03:30 (120 %) is flagged, 03:00 (80 %, not above) is not"
# A daily series of three made with the form, ending on that day: each occurrence (the owner and
# four guests, 5 people, 100 %) is forecast on its own day.
d2=$(TZ=America/Mexico_City date -d '+11 days' +%F) d1=$(TZ=America/Mexico_City date -d '+12 days' +%F)
fetch -b "$A" "$BASE/reuniones/nueva"
fetch -b "$A" -X POST --data-urlencode "csrf=$(field csrf)" -d tipo=programada --data-urlencode 'nombre=Serie capacidad' \
	-d "fecha=$d2" -d hora=03:00 -d duracion=60 -d zona=America/Mexico_City -d repetir=diario -d veces=3 \
	--data-urlencode "externos=$(printf 's1@example.org\ns2@example.org\ns3@example.org\ns4@example.org')" \
	"$BASE/reuniones/nueva"
is_status 303 "a daily series of three, 03:00 to 04:00, with four guests"
fetch -b "$A" "$BASE/admin/capacidad"
grep -qF "<li>$d2 03:00: 5 Esperados (100.0 %)</li>" "$T_TMP/body" &&
	grep -qF "<li>$d1 03:30: 5 Esperados (100.0 %)</li>" "$T_TMP/body"
ok $? "the series' first and second occurrences are forecast (5 people, 100 %, flagged)"
grep -qF "<th scope=\"row\">$day</th><td>11</td><td>03:30</td>" "$T_TMP/body"
ok $? "and its third adds to what $day already had: 4 + 2 + 5 = 11 at 03:30"

$CTL revoke-admin GOMA800101AB1 >/dev/null
fetch -b "$A" "$BASE/admin"
is_status 404 "revoking the role takes the panel away at once"
$RC --scan --pattern 'sekkan:tel:*' | xargs -r $RC del >/dev/null
"$ROOT/tools/dev" service "$STATE" collector start
ok $? "the collector starts again"
echo "1..$T_N"

#!/bin/sh
# t26_user_stats.sh: the statistics roll-ups (sql/010) against hand-computed values from a
# small known data set (data/stats.sql: zone boundaries of weeks and months, a meeting across
# midnight, a reconnect, a cancelled meeting), then Tablero, Mi perfil, preferences and CSV.
. "$(dirname "$0")/lib.sh"
U=$T_TMP/u1.jar
# t13 disables demo3 on purpose; this test needs it as a working account.
q "UPDATE users SET status = 'active' WHERE rfc = 'HERL851130GH4'" >/dev/null
signin demo3 "$U"; ok $? "demo3 signs in (u1, America/Mexico_City)"
U1=$(q "SELECT id FROM users WHERE rfc = 'HERL851130GH4'")
q "INSERT INTO directory (employee_no, rfc, name) VALUES ('ST-2', 'SDOS800101AA2', 'Dos Tijuana');
   INSERT INTO users (rfc, employee_no, name, status) VALUES ('SDOS800101AA2', 'ST-2', 'Dos Tijuana', 'active')" >/dev/null
U2=$(q "SELECT id FROM users WHERE rfc = 'SDOS800101AA2'")
runuser -u sekkan -- psql -X -q -h "$STATE/run" -d sekkan -v u1="$U1" -v u2="$U2" \
	-f "$ROOT/tests/integration/data/stats.sql" >"$T_TMP/load.out" 2>&1
ok $? "the data set loads through the triggers"

# expect NAME SQL WANT: the query's rows (| between columns, ; between rows) equal WANT.
expect() {
	got=$(q "$2" | tr '\n' ';')
	if [ "$got" = "$3" ]; then ok 0 "$1"; else ok 1 "$1"; echo "#   got  $got"; echo "#   want $3"; fi
}
W="SELECT week, meetings, organised, attended, seconds, sched_min, att_sched_min, att_real_s FROM ustats_weeks WHERE user_id ="
M="SELECT month, meetings, organised, attended, seconds, sched_min, att_sched_min, att_real_s FROM ustats_months WHERE user_id ="
FUT=$(q "SELECT date_trunc('week', (now() + interval '1 day') AT TIME ZONE 'America/Mexico_City')::date")
FUTM=$(q "SELECT date_trunc('month', (now() + interval '1 day') AT TIME ZONE 'America/Mexico_City')::date")
# u1 (Mexico City, UTC-6): M1 Sunday 31 March 23:30 local -> week of 25 March, March; 3300 s
# from two stays and a second session; real 45 + 15 min. M2 Wednesday 1 May 00:30 -> week of
# 29 April, May, not attended. M3 Monday 6 May 00:30 -> week of 6 May, invited, 3000 s.
# M4 cancelled: nowhere. M5 tomorrow: counted, not attended (not ended).
# (Other tests invite demo3 to meetings of their own: only 2024, this data set's year, is exact.)
expect "u1 weeks: midnight and Monday boundaries in Mexico City, cancelled excluded" \
	"$W $U1 AND week < '2025-01-01' ORDER BY week" \
	"2024-03-25|1|1|1|3300|60|60|3600;2024-04-29|1|1|0|0|30|0|0;2024-05-06|1|0|1|3000|45|45|3600;"
expect "u1 months: 31 March stays in March, 1 May 00:30 is May" \
	"$M $U1 AND month < '2025-01-01' ORDER BY month" \
	"2024-03-01|1|1|1|3300|60|60|3600;2024-05-01|2|1|1|3000|75|45|3600;"
expect "M5, tomorrow: counted for u1 in its week and month, not attended" \
	"SELECT week, month, organised, attended FROM ustats_meetings WHERE user_id = $U1 AND meeting_id = 900005" \
	"$FUT|$FUTM|t|f;"
# u2 (Tijuana, UTC-7 in 2024): M2 is 30 April 23:30 (April); M3 Sunday 5 May 23:30 (week of
# 29 April, May). Invited to M1, never came.
expect "u2 weeks in Tijuana: M3 falls in the week before" \
	"$W $U2 ORDER BY week" \
	"2024-03-25|1|0|0|0|60|0|0;2024-04-29|2|1|2|5400|75|75|5400;"
expect "u2 months in Tijuana: M2 is April" \
	"$M $U2 ORDER BY month" \
	"2024-03-01|1|0|0|0|60|0|0;2024-04-01|1|0|1|1800|30|30|1800;2024-05-01|1|1|1|3600|45|45|3600;"

# A second reconnect of u1 in M3 (+600 s) is one more update of attendance.seconds.
q "INSERT INTO attendance_intervals VALUES (900105, 'e2', '2024-05-06 07:21Z', '2024-05-06 07:31Z');
   UPDATE attendance SET seconds = seconds + 600, last_leave = '2024-05-06 07:31Z' WHERE id = 900105" >/dev/null
expect "a closed reconnect interval adds its seconds" "SELECT seconds FROM ustats_weeks WHERE user_id = $U1 AND week = '2024-05-06'" "3600;"
# A guest's attendance changes nobody's sums; a cancelled meeting brought back counts again.
q "UPDATE meetings SET status = 'active' WHERE id = 900004" >/dev/null
expect "an uncancelled meeting counts (M4 with its 3600 s)" "SELECT meetings, attended, seconds FROM ustats_months WHERE user_id = $U1 AND month = '2024-05-01'" "3|2|7200;"
q "UPDATE meetings SET status = 'cancelled' WHERE id = 900004" >/dev/null
expect "cancelled again, it goes away" "SELECT meetings, attended, seconds FROM ustats_months WHERE user_id = $U1 AND month = '2024-05-01'" "2|1|3600;"

# u2 moves to Mexico City: their history is re-bucketed at once.
q "UPDATE users SET time_zone = 'America/Mexico_City' WHERE id = $U2" >/dev/null
expect "u2 after the zone change: weeks in Mexico City" "$W $U2 ORDER BY week" \
	"2024-03-25|1|0|0|0|60|0|0;2024-04-29|1|0|1|1800|30|30|1800;2024-05-06|1|1|1|3600|45|45|3600;"
expect "u2 after the zone change: months in Mexico City" "$M $U2 ORDER BY month" \
	"2024-03-01|1|0|0|0|60|0|0;2024-05-01|2|1|2|5400|75|75|5400;"

# The incremental sums equal a rebuild from scratch.
before=$(q "SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) FROM (SELECT * FROM ustats_weeks UNION ALL SELECT * FROM ustats_months) t")
q "SELECT ustats_rebuild()" >/dev/null
after=$(q "SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) FROM (SELECT * FROM ustats_weeks UNION ALL SELECT * FROM ustats_months) t")
[ -n "$before" ] && [ "$before" = "$after" ]
ok $? "incremental sums equal ustats_rebuild()"

# --- Tablero. ---
fetch -b "$U" "$BASE/tablero?semana=2024-05-01"
is_status 200 "Tablero for the week of 1 May 2024"
body_has '29/04/2024 – 05/05/2024' "the week runs Monday to Sunday"
body_has '<a href="/reuniones/900002">00:30 Arranque de mayo</a>' "M2 on its local day and time, linked"
body_has 'href="/tablero?semana=2024-04-22"' "a link to the week before"
body_has 'href="/tablero?semana=2024-05-29"' "a link a month ahead"
body_lacks 'aria-current="date"' "no day highlighted in a past week"
body_has '<dd id="t-sessions">2</dd>' "tile: 2 sessions attended (M1, M3)"
body_has '<dd id="t-avg-real">1 h 00 min</dd>' "tile: average real duration 60 min"
body_has '<dd id="t-avg-sched">53 min</dd>' "tile: average scheduled (60 + 45) / 2 = 52.5, rounded"
body_has '<dd id="t-total">1 h 55 min</dd>' "tile: total 3300 + 3600 s"
body_has 'Invitada Externa' "the external guest of M1 among my guests"
body_has 'Dos Tijuana' "u2, who attended M2, among my guests"
body_lacks 'Cancelada' "the cancelled meeting appears nowhere"
fetch -b "$U" "$BASE/tablero"
body_has 'aria-current="date"' "today is highlighted in the current week"
body_has '<dt>RFC</dt><dd>HERL851130GH4</dd>' "the employee's RFC from the directory"
body_has '<dd>luis.hernandez@institucion.gob.mx</dd>' "and institutional e-mail"
body_has '<dt>Número de empleado</dt><dd>100004</dd>' "and employee number"
body_has '<input type="hidden" name="tipo" value="instantanea"><button type="submit">Reunión instantánea</button>' \
	"quick action: an instant meeting in one POST"
body_has '<a class="btn" href="/reuniones/nueva">Programar reunión</a>' "quick action: schedule a meeting"
body_has '<a class="btn" href="/sala">Mi sala</a>' "quick action: my room"
# Últimas reuniones against the base tables (not the roll-up the page reads): the five latest
# meetings that have started, which I organised or was invited to, not cancelled; "no asistió"
# where no session of it has my attendance.
/usr/bin/python3 - "$T_TMP/body" >"$T_TMP/last.got" <<'PY'
import sys, re, html
b = open(sys.argv[1], encoding="utf-8").read()
t = b[b.index('aria-labelledby="last-h"'):]
t = t[:t.index("</section>")]
for row in re.findall(r"<tr>(.*?)</tr>", t, re.S)[1:]:
    cells = [html.unescape(re.sub("<[^>]+>", "", c)).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    print("|".join([cells[0], cells[1], cells[3]]))
PY
q "SELECT m.name || '|' || to_char(m.starts_at AT TIME ZONE 'America/Mexico_City', 'YYYY-MM-DD HH24:MI') || '|' ||
	CASE WHEN m.owner_id = $U1 THEN 'Organizador' ELSE 'Invitado' END ||
	CASE WHEN EXISTS (SELECT 1 FROM jitsi_sessions j JOIN attendance a ON a.session_id = j.id
		WHERE j.meeting_id = m.id AND a.user_id = $U1) THEN '' ELSE ' · no asistió' END
	FROM meetings m WHERE m.status = 'active' AND m.starts_at <= now() AND (m.owner_id = $U1 OR EXISTS
		(SELECT 1 FROM meeting_participants p WHERE p.meeting_id = m.id AND p.rfc = 'HERL851130GH4'))
	ORDER BY m.starts_at DESC, m.id DESC LIMIT 5" >"$T_TMP/last.want"
[ -s "$T_TMP/last.want" ] && cmp -s "$T_TMP/last.got" "$T_TMP/last.want"
ok $? "Últimas reuniones: the five latest started meetings, date, organiser or invited, attended or not"
cmp "$T_TMP/last.got" "$T_TMP/last.want" | sed 's/^/#   /'
fetch -b "$U" "$BASE/tablero?semana=2024-13-01"
is_status 400 "a bad week date"

# --- Mi perfil. ---
fetch -b "$U" "$BASE/perfil?por=anio"
is_status 200 "Mi perfil by year"
# rowvals YEAR [TABLE]: the cells after the year's header in the page's table TABLE (tab-att:
# attended|missed|pending|organised|invited; tab-dur: average real|average scheduled|hours).
rowvals() {
	/usr/bin/python3 - "$1" "$T_TMP/body" "${2:-tab-att}" <<'PY'
import sys, re, html
b = open(sys.argv[2], encoding="utf-8").read()
t = b[b.index('id="%s"' % sys.argv[3]):]
t = t[:t.index("</table>")]
for row in re.findall(r"<tr>(.*?)</tr>", t, re.S):
    cells = [html.unescape(re.sub("<[^>]+>", "", c)) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
    if cells and cells[0] == sys.argv[1]:
        print("|".join(cells[1:]))
PY
}
[ "$(rowvals 2024)" = "2|1|0|2|1" ]
ok $? "2024: attended 2, missed 1 (M2), none pending, organised 2, invited 1 (got $(rowvals 2024))"
NOW_Y=$(q "SELECT extract(year FROM (now() + interval '1 day') AT TIME ZONE 'America/Mexico_City')::int")
PEND=$(q "SELECT count(*) FROM ustats_meetings WHERE user_id = $U1 AND NOT attended AND ends_at > now()
	AND extract(year FROM month) = $NOW_Y")
[ "$PEND" -ge 1 ] && [ "$(rowvals "$NOW_Y" | cut -d'|' -f3)" = "$PEND" ]
ok $? "this year: tomorrow's meeting among the $PEND upcoming, not missed (got $(rowvals "$NOW_Y"))"
[ "$(grep -c 'role="img"' "$T_TMP/body")" -eq 4 ]
ok $? "four charts, each an accessible image"
body_has 'aria-labelledby="ch-att-t"' "the chart is labelled by its title"
[ "$(rowvals 2024 tab-dur)" = "1 h 00 min|53 min|1.9" ]
ok $? "2024: real 60 min on average, scheduled (60 + 45) / 2, 6,900 s attended = 1.9 h (got $(rowvals 2024 tab-dur))"
body_has 'href="/calendario"' "a link to the calendar feed page"
fetch -b "$U" "$BASE/perfil?por=semana"
is_status 200 "by week"
fetch -b "$U" "$BASE/perfil?por=siglo"
is_status 400 "an unknown grouping"
fetch "$BASE/perfil"
is_status 303 "without a session, to sign-in"

# --- Preferences. ---
fetch -b "$U" "$BASE/perfil"
TOKEN=$(field csrf)
fetch -b "$U" -X POST -d "csrf=$TOKEN&zona=Europe/Paris&idioma=es" "$BASE/perfil"
is_status 400 "a zone not in the list"
body_has 'Elija una zona horaria de la lista' "says so in Spanish"
[ "$(q "SELECT time_zone FROM users WHERE id = $U1")" = America/Mexico_City ]
ok $? "nothing stored"
fetch -b "$U" -X POST -d "zona=America/Tijuana&idioma=es" "$BASE/perfil"
is_status 403 "without the CSRF token"
fetch -b "$U" -X POST -d "csrf=$TOKEN&zona=America/Tijuana&idioma=en" "$BASE/perfil"
is_status 303 "zone and language saved"
[ "$(q "SELECT time_zone || ' ' || lang FROM users WHERE id = $U1")" = "America/Tijuana en" ]
ok $? "stored on the account"
expect "u1 re-bucketed in Tijuana: M3 moves to the week of 29 April" \
	"SELECT week, meetings FROM ustats_weeks WHERE user_id = $U1 AND week < '2025-01-01' ORDER BY week" \
	"2024-03-25|1;2024-04-29|2;"
fetch -b "$U" "$BASE/perfil?guardado=1"
body_has 'Preferences saved.' "the page now speaks English"
fetch -b "$U" -X POST -d "csrf=$TOKEN&zona=America/Mexico_City&idioma=es" "$BASE/perfil"

# --- CSV. ---
q "UPDATE meetings SET name = '=HYPERLINK(\"http://x\")' WHERE id = 900001;
   UPDATE meetings SET name = '-2+3' WHERE id = 900002;
   UPDATE meetings SET name = '@SUM(A1), \"b\"' WHERE id = 900003" >/dev/null
fetch -b "$U" "$BASE/perfil/datos.csv"
is_status 200 "the CSV export"
head_has '^content-type: text/csv' "as text/csv"
head_has '^content-disposition: attachment' "as a download"
N=$(q "SELECT count(*) FROM ustats_meetings WHERE user_id = $U1")
[ "$(wc -l <"$T_TMP/body")" -eq $((N + 1)) ] && ! grep -q Cancelada "$T_TMP/body"
ok $? "a header and one line per meeting of u1 ($N), not the cancelled one"
grep -qF "2024-03-31 23:30,\"'=HYPERLINK(\"\"http://x\"\")\",Organizador,sí,55,60,60" "$T_TMP/body"
ok $? "a formula cell starts with an apostrophe, quoted; local time; minutes"
grep -qF "\"'-2+3\",Organizador,no,0,30,30" "$T_TMP/body"
ok $? "a leading minus is escaped"
grep -qF "\"'@SUM(A1), \"\"b\"\"\",Invitado,sí,60,45,60" "$T_TMP/body"
ok $? "a leading @ is escaped, comma and quotes kept"
fetch -b "$U" -X DELETE "$BASE/perfil/datos.csv"
is_status 405 "other methods"
fetch -b "$U" "$BASE/perfil/otra"
is_status 404 "other paths"

#!/bin/sh
# t20_recurrence.sh: recurring meetings: daily, weekdays, weekly on chosen days and monthly,
# until a date or a count, each occurrence a meeting of its own at the same local time
# (across a month end, and across a DST change in a zone that still has one); the limits;
# editing one occurrence or this and the following ones; the invited see every occurrence.
. "$(dirname "$0")/lib.sh"
redis-cli -s "$STATE/run/redis.sock" --scan --pattern 'sekkan:fail-*' | xargs -r redis-cli -s "$STATE/run/redis.sock" del >/dev/null
O=$T_TMP/owner.jar I=$T_TMP/invitee.jar
signin demo1 "$O"; ok $? "the owner signs in"
signin demo2 "$I"; ok $? "an invitee signs in"
fetch -b "$O" "$BASE/reuniones/nueva"
tok=$(field csrf)
body_has 'name="repetir"' "the form offers a repetition"
body_has 'name="dia1"' "with weekdays to choose"
body_has 'se saltan' "and says months without the day are skipped"

# new NAME ZONE DATE TIME [curl args]: post a scheduled meeting; $det is its details path.
new() {
	n=$1 z=$2 d=$3 t=$4
	shift 4
	fetch -b "$O" -X POST --data-urlencode "csrf=$tok" -d tipo=programada --data-urlencode "nombre=$n" \
		-d "fecha=$d" -d "hora=$t" -d duracion=30 -d "zona=$z" "$@" "$BASE/reuniones/nueva"
	det=$(loc)
}
# local NAME: every occurrence of the meeting(s) named NAME as "date time" in their zone, in order.
occ() { q "SELECT string_agg(to_char(starts_at AT TIME ZONE time_zone, 'YYYY-MM-DD HH24:MI'), ',' ORDER BY starts_at) FROM meetings WHERE name = '$1'"; }

# --- Daily, five times, across the end of February. ---
new 'Serie diaria t20' America/Mexico_City 2027-02-26 09:00 -d repetir=diario -d veces=5 \
	--data-urlencode 'internos=PELJ750315CD2'
is_status 303 "a daily series of five"
first=${det##*/}
[ "$(occ 'Serie diaria t20')" = '2027-02-26 09:00,2027-02-27 09:00,2027-02-28 09:00,2027-03-01 09:00,2027-03-02 09:00' ]
ok $? "five meetings at 09:00 local, across the month end (got $(occ 'Serie diaria t20'))"
series=$(q "SELECT series_id FROM meetings WHERE id = $first")
[ -n "$series" ] && [ "$(q "SELECT freq || ' ' || count || ' ' || (until_date IS NULL) FROM meeting_series WHERE id = $series")" = 'daily 5 true' ]
ok $? "the series row keeps the rule"
[ "$(q "SELECT count(DISTINCT room) || ' ' || count(*) FROM meetings WHERE series_id = $series")" = '5 5' ] &&
	[ "$(q "SELECT min(starts_at) = (SELECT starts_at FROM meetings WHERE id = $first) FROM meetings WHERE series_id = $series")" = t ]
ok $? "each with its own room; the redirect goes to the first"
[ "$(q "SELECT count(*) FROM meeting_participants mp JOIN meetings m ON m.id = mp.meeting_id WHERE m.series_id = $series AND mp.rfc = 'PELJ750315CD2'")" = 5 ]
ok $? "the participant is copied to every occurrence"
[ "$(q "SELECT count(*) FROM audit_log WHERE action = 'meeting_created' AND object_id = '$first' AND detail::jsonb->>'occurrences' = '5'")" = 1 ]
ok $? "one audit row names the series and its size"

# --- Weekdays from a Friday: the weekend is skipped. ---
new 'Serie laboral t20' America/Mexico_City 2027-01-08 08:30 -d repetir=entre_semana -d veces=3
is_status 303 "a weekdays series from a Friday"
[ "$(occ 'Serie laboral t20')" = '2027-01-08 08:30,2027-01-11 08:30,2027-01-12 08:30' ]
ok $? "Friday, then Monday and Tuesday (got $(occ 'Serie laboral t20'))"

# --- Weekly on Monday and Wednesday, until a date (inclusive). ---
new 'Serie semanal t20' America/Mexico_City 2027-01-04 16:00 -d repetir=semanal -d dia1=1 -d dia3=1 -d hasta=2027-01-13
is_status 303 "weekly on Monday and Wednesday until a date"
[ "$(occ 'Serie semanal t20')" = '2027-01-04 16:00,2027-01-06 16:00,2027-01-11 16:00,2027-01-13 16:00' ]
ok $? "two weeks of Mondays and Wednesdays, the last day included (got $(occ 'Serie semanal t20'))"
[ "$(q "SELECT weekdays || ' ' || until_date FROM meeting_series s JOIN meetings m ON m.series_id = s.id WHERE m.name = 'Serie semanal t20' LIMIT 1")" = '5 2027-01-13' ]
ok $? "the days stored as a bitmask (Mon=1, Wed=4)"

# --- Monthly on the 31st: months without one are skipped. ---
new 'Serie mensual t20' America/Mexico_City 2027-01-31 10:00 -d repetir=mensual -d veces=4
is_status 303 "monthly from January 31st"
[ "$(occ 'Serie mensual t20')" = '2027-01-31 10:00,2027-03-31 10:00,2027-05-31 10:00,2027-07-31 10:00' ]
ok $? "January, March, May and July 31st (got $(occ 'Serie mensual t20'))"
[ "$(q "SELECT string_agg(to_char(starts_at AT TIME ZONE 'UTC', 'HH24:MI'), ',') FROM meetings WHERE name = 'Serie mensual t20'")" = '16:00,16:00,16:00,16:00' ]
ok $? "Mexico City has no DST: always 16:00 UTC"

# --- Tijuana keeps US DST: same local time, another UTC offset after March 14th. ---
new 'Serie Tijuana t20' America/Tijuana 2027-03-12 10:00 -d repetir=diario -d veces=4
is_status 303 "daily in Tijuana across the DST change"
[ "$(occ 'Serie Tijuana t20')" = '2027-03-12 10:00,2027-03-13 10:00,2027-03-14 10:00,2027-03-15 10:00' ]
ok $? "always 10:00 local (got $(occ 'Serie Tijuana t20'))"
[ "$(q "SELECT string_agg(to_char(starts_at AT TIME ZONE 'UTC', 'HH24:MI'), ',' ORDER BY starts_at) FROM meetings WHERE name = 'Serie Tijuana t20'")" = '18:00,18:00,17:00,17:00' ]
ok $? "18:00 UTC before the change, 17:00 after"

# --- The limits, each with its message, the fields kept, nothing stored. ---
new 'Serie mala t20' America/Mexico_City 2027-01-04 09:00 -d repetir=diario -d veces=201
is_status 400 "201 occurrences"
body_has 'como máximo 200 reuniones' "too many, by count"
[ "$(field veces)" = 201 ] && [ "$(field nombre)" = 'Serie mala t20' ]
ok $? "what was typed is kept"
body_has '<option value="diario" selected>' "the repetition chosen is kept"
new 'Serie mala t20' America/Mexico_City 2027-01-04 09:00 -d repetir=diario -d hasta=2028-06-30
is_status 400 "a daily series over a year and a half"
body_has 'como máximo 200 reuniones' "too many, by date"
new 'Serie mala t20' America/Mexico_City 2027-01-04 09:00 -d repetir=semanal -d hasta=2027-01-03 -d dia2=1
is_status 400 "until before the start"
body_has 'La fecha final no puede ser anterior al inicio.' "is refused"
body_has 'name="dia2" value="1" checked' "the chosen day is kept"
new 'Serie mala t20' America/Mexico_City 2027-01-04 09:00 -d repetir=semanal -d veces=3
body_has 'Elija al menos un día de la semana' "weekly without days"
new 'Serie mala t20' America/Mexico_City 2027-01-04 09:00 -d repetir=diario
body_has 'Indique hasta qué fecha se repite o cuántas veces.' "no end"
new 'Serie mala t20' America/Mexico_City 2027-01-04 09:00 -d repetir=diario -d veces=2 -d hasta=2027-01-09
body_has 'Indique solo una' "both ends"
new 'Serie mala t20' America/Mexico_City 2027-01-04 09:00 -d repetir=cada_rato -d veces=2
is_status 400 "an unknown repetition"
[ "$(q "SELECT count(*) FROM meetings WHERE name = 'Serie mala t20'")" = 0 ]
ok $? "none of them stored anything"
new 'Sin serie t20' America/Mexico_City 2027-01-04 09:00 -d repetir=no
is_status 303 "repetir=no is a single meeting"
[ "$(q "SELECT count(*) || ' ' || bool_and(series_id IS NULL) FROM meetings WHERE name = 'Sin serie t20'")" = '1 true' ]
ok $? "one meeting, no series"

# --- The invited see every occurrence, marked as a series. ---
fetch -b "$I" "$BASE/reuniones?vista=invitado&q=Serie+diaria+t20"
[ "$(grep -c 'Serie diaria t20</a>' "$T_TMP/body")" = 5 ]
ok $? "the participant sees all five under Con invitación"
body_has '(serie)' "marked as a series"

# --- Editing one occurrence, then this and the following. ---
ids=$(q "SELECT string_agg(id::text, ' ' ORDER BY starts_at) FROM meetings WHERE series_id = $series")
set -- $ids
m1=$1 m2=$2 m3=$3 m4=$4 m5=$5
fetch -b "$O" "$BASE/reuniones/$m2/editar"
body_has 'name="aplicar" value="siguientes"' "an occurrence's edit page offers the series"
body_lacks 'name="repetir"' "but not a new repetition"
etok=$(field csrf)
edit() { id=$1; shift; fetch -b "$O" -X POST --data-urlencode "csrf=$etok" "$@" "$BASE/reuniones/$id/editar"; }
edit "$m2" --data-urlencode 'nombre=Solo la segunda t20' -d fecha=2027-02-27 -d hora=09:00 -d duracion=30 \
	-d zona=America/Mexico_City --data-urlencode 'internos=PELJ750315CD2' -d aplicar=esta
is_status 303 "this one only"
[ "$(q "SELECT string_agg(name || ':' || sequence, ',' ORDER BY starts_at) FROM meetings WHERE series_id = $series")" = 'Serie diaria t20:0,Solo la segunda t20:1,Serie diaria t20:0,Serie diaria t20:0,Serie diaria t20:0' ]
ok $? "changes only that occurrence"
edit "$m3" --data-urlencode 'nombre=Serie cambiada t20' -d fecha=2027-03-05 -d hora=11:00 -d duracion=45 \
	-d zona=America/Mexico_City --data-urlencode "internos=$(printf 'PELJ750315CD2\n100003')" -d aplicar=siguientes
is_status 400 "this and the following may not move the date"
body_has 'edite solo esta reunión' "and says so"
body_has 'name="aplicar" value="siguientes" checked' "the choice is kept"
edit "$m3" --data-urlencode 'nombre=Serie cambiada t20' -d fecha=2027-02-28 -d hora=11:00 -d duracion=45 \
	-d zona=America/Mexico_City --data-urlencode "internos=$(printf 'PELJ750315CD2, moderador\n100003')" -d aplicar=siguientes
is_status 303 "this and the following"
[ "$(loc)" = "/reuniones/$m3" ]
ok $? "back to the edited occurrence"
[ "$(q "SELECT string_agg(name || '|' || to_char(starts_at AT TIME ZONE time_zone, 'YYYY-MM-DD HH24:MI') || '|' || duration_min || '|' || sequence, ',' ORDER BY starts_at) FROM meetings WHERE series_id = $series")" = 'Serie diaria t20|2027-02-26 09:00|30|0,Solo la segunda t20|2027-02-27 09:00|30|1,Serie cambiada t20|2027-02-28 11:00|45|1,Serie cambiada t20|2027-03-01 11:00|45|1,Serie cambiada t20|2027-03-02 11:00|45|1' ]
ok $? "the later ones renamed, at 11:00 for 45 minutes on their own dates; the earlier ones untouched"
[ "$(q "SELECT count(*) FROM meetings WHERE series_id = $series AND ends_at = starts_at + duration_min * interval '1 minute'")" = 5 ]
ok $? "every end still matches"
people() { q "SELECT string_agg(coalesce(rfc, email) || ':' || role, ',' ORDER BY coalesce(rfc, email)) FROM meeting_participants WHERE meeting_id = $1"; }
[ "$(people "$m4")" = 'MUÑO900620EF3:participant,PELJ750315CD2:moderator' ] && [ "$(people "$m5")" = "$(people "$m4")" ] &&
	[ "$(people "$m1")" = 'PELJ750315CD2:participant' ]
ok $? "the people changed in the later ones only (got $(people "$m4"); $(people "$m1"))"
[ "$(q "SELECT count(*) FROM audit_log WHERE action = 'meeting_series_edited' AND object_type = 'meeting_series' AND object_id = '$series' AND detail::jsonb->>'meetings' = '3' AND detail::jsonb->>'from' = '$m3'")" = 1 ]
ok $? "one audit row naming the series and the three meetings"
fetch -b "$O" "$BASE/reuniones?vista=agendadas&q=t20"
body_has '(serie)' "the owner's list marks the series"

echo "1..$T_N"

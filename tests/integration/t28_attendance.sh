#!/bin/sh
# t28_attendance.sh: attendance in Mis reuniones (Pasadas) and on a meeting's details page,
# from a small known data set (data/attendance.sql: two Jitsi sessions, reconnects, an
# invited guest, an uninvited one, absentees): exact figures, viewer's time zone, empty
# states ("Nadie entró", "Sin datos"), a still-open room, and authorization unchanged.
. "$(dirname "$0")/lib.sh"
A=$T_TMP/ana.jar
J=$T_TMP/juan.jar
S=$T_TMP/stranger.jar
# Earlier tests disable accounts on purpose; these need working ones.
q "UPDATE users SET status = 'active' WHERE rfc IN ('GOMA800101AB1', 'PELJ750315CD2', 'HERL851130GH4')" >/dev/null
signin demo1 "$A"; ok $? "Ana (the owner) signs in"
signin demo2 "$J"; ok $? "Juan (invited) signs in"
signin demo3 "$S"; ok $? "Luis (a stranger to these meetings) signs in"
ANA=$(q "SELECT id FROM users WHERE rfc = 'GOMA800101AB1'")
JUAN=$(q "SELECT id FROM users WHERE rfc = 'PELJ750315CD2'")
JUAN_TZ=$(q "SELECT time_zone FROM users WHERE id = $JUAN")
runuser -u sekkan -- psql -X -q -h "$STATE/run" -d sekkan -v ana="$ANA" -v juan="$JUAN" \
	-f "$ROOT/tests/integration/data/attendance.sql" >"$T_TMP/load.out" 2>&1
ok $? "the data set loads"
[ -s "$T_TMP/load.out" ] && sed 's/^/#   /' "$T_TMP/load.out"

# The figures Tablero and Mi perfil read (sql/010) are the ones these pages show: 58 min.
[ "$(q "SELECT real_s FROM ustats_meetings WHERE meeting_id = 920001 AND user_id = $ANA")" = 3480 ]
ok $? "sql/010's real duration of A is the sum of its sessions, 3480 s"

# --- Pasadas: one line per meeting. ---
fetch -b "$A" "$BASE/reuniones?vista=pasadas&desde=2005-01-01&hasta=2023-01-31"
is_status 200 "Pasadas with the data set's dates"
tr -d '\n' <"$T_TMP/body" >"$T_TMP/flat"
grep -qF '<a href="/reuniones/920001">Junta con reconexión</a><span class="when">2023-01-10 10:00 · 60 min</span><span class="att">Duración real: 58 min · 4 asistieron (2 de la institución, 2 externos)</span></li>' "$T_TMP/flat"
ok $? "A: real duration of both sessions, four people (Juan's reconnect counted once)"
grep -qF '<a href="/reuniones/920002">Nadie vino</a><span class="when">2023-01-11 10:00 · 30 min</span><span class="att">Nadie entró.</span></li>' "$T_TMP/flat"
ok $? "B: telemetry was on and nobody entered"
grep -qF '<a href="/reuniones/920003">Antigua sin telemetría</a><span class="when">2005-03-01 10:00 · 30 min</span><span class="att hint">Sin datos de asistencia.</span></li>' "$T_TMP/flat"
ok $? "C: before the first recorded session there is no data, not 'nobody'"
body_lacks 'aparecerá aquí cuando el colector' "the old 'soon' note is gone"
fetch -b "$A" "$BASE/reuniones?vista=agendadas"
is_status 200 "Agendadas still renders"
body_lacks 'class="att' "no attendance in Agendadas"
fetch -b "$S" "$BASE/reuniones?vista=pasadas&desde=2005-01-01&hasta=2023-01-31"
body_lacks 'Junta con reconexión' "a stranger's Pasadas does not list Ana's meetings"
fetch -b "$J" "$BASE/reuniones?vista=invitado&desde=2023-01-01&hasta=2023-01-31"
body_has '/reuniones/920001' "Juan sees A among his invitations"
body_lacks 'class="att' "Con invitación lists no attendance (only Pasadas does)"

# --- Details of A, as the owner (Mexico City). ---
fetch -b "$A" "$BASE/reuniones/920001"
is_status 200 "A's details for the owner"
tr -d '\n' <"$T_TMP/body" >"$T_TMP/flat"
has() { grep -qF -- "$1" "$T_TMP/flat"; ok $? "$2"; }
has '<dt>Duración real</dt><dd>58 min</dd>' "real duration at the top: 38 + 20 min"
has '<dt>Máximo de personas a la vez</dt><dd>3</dd>' "peak participants: the larger session's"
has '<dt>Personas que asistieron</dt><dd>4</dd>' "four people attended"
has '<dt>Sesiones de la sala</dt><dd>2</dd>' "two sessions"
has '<tr><th scope="row">Ana Gómez Martínez</th><td>Institución</td><td>2023-01-10 10:02</td><td>2023-01-10 11:05</td><td>58 min</td><td>1</td></tr>' \
	"Ana: both sessions merged, first join to last leave, one reconnect"
has '<tr><th scope="row">Juan Pérez López</th><td>Institución</td><td>2023-01-10 10:05</td><td>2023-01-10 10:40</td><td>33 min</td><td>1</td></tr>' \
	"Juan: a reconnect is one row with its total time (10 + 23 min)"
has '<tr><th scope="row">Invitada Externa<br><span class="hint">Externa@Example.com</span></th><td>Invitado externo</td><td>2023-01-10 10:10</td><td>2023-01-10 10:30</td><td>20 min</td><td>0</td></tr>' \
	"the invited guest, with her e-mail, matched to her invitation whatever the case"
has '<tr><th scope="row">Visitante</th><td>Invitado externo</td><td>2023-01-10 10:50</td><td>2023-01-10 11:00</td><td>10 min</td><td>0</td></tr>' \
	"an uninvited guest by name is listed too"
has '<tr><th scope="row">Invitado Ausente<br><span class="hint">ausente@example.com</span></th><td>Invitado externo</td><td colspan="4">No asistió</td></tr>' \
	"an invited guest who never came: No asistió"
has '<tr><th scope="row">Pedro Ausente</th><td>Institución</td><td colspan="4">No asistió</td></tr>' \
	"an invited employee without an account: No asistió"
[ "$(grep -o 'Juan Pérez López</th>' "$T_TMP/flat" | wc -l)" -eq 1 ]
ok $? "Juan is one row, not one per stay"
[ "$(grep -o '<th scope="row">Invitada Externa' "$T_TMP/flat" | wc -l)" -eq 1 ]
ok $? "the guest who came is not also listed as absent"
{ cat "$T_TMP/flat"; echo; } | sed 's/<tr>/\n<tr>/g' | sed -n 's/^<tr><th scope="row">\([^<]*\).*/\1/p' >"$T_TMP/order"
printf '%s\n' 'Ana Gómez Martínez' 'Juan Pérez López' 'Invitada Externa' 'Visitante' 'Invitado Ausente' 'Pedro Ausente' >"$T_TMP/want"
cmp -s "$T_TMP/want" "$T_TMP/order"
ok $? "those who came by first join, then the absent by name"
cmp -s "$T_TMP/want" "$T_TMP/order" || sed 's/^/#   got /' "$T_TMP/order"

# --- The same meeting for Juan: his time zone, the same figures. ---
fetch -b "$J" "$BASE/reuniones/920001"
is_status 200 "A's details for an invited participant"
tr -d '\n' <"$T_TMP/body" >"$T_TMP/flat"
has '<tr><th scope="row">Juan Pérez López</th><td>Institución</td><td>2023-01-10 08:05</td><td>2023-01-10 08:40</td><td>33 min</td><td>1</td></tr>' \
	"Juan sees the times in his own zone (Tijuana, UTC-8 in January)"
has 'Externa@Example.com' "participants see the guests' e-mails"
has '<dt>Duración real</dt><dd>58 min</dd>' "and the same real duration"

# --- Authorization and input: unchanged. ---
fetch -b "$S" "$BASE/reuniones/920001"
is_status 404 "a stranger still gets 404"
body_lacks 'Externa@Example.com' "and no e-mail of anyone"
fetch "$BASE/reuniones/920001"
is_status 303 "without a session: to sign in"
fetch -b "$A" "$BASE/reuniones/920001x"
is_status 404 "a bad id is 404"

# --- Empty states on the details page. ---
fetch -b "$A" "$BASE/reuniones/920002"
is_status 200 "B's details"
body_has '<p id="asistencia">Nadie entró.</p>' "B: Nadie entró"
body_lacks 'tab-asistencia' "B: no attendance table"
fetch -b "$A" "$BASE/reuniones/920003"
body_has '<p id="asistencia" class="hint">Sin datos de asistencia.</p>' "C: Sin datos"
# An upcoming meeting says nothing about attendance.
q "INSERT INTO meetings (id, room, owner_id, kind, name, starts_at, duration_min, ends_at, time_zone)
   VALUES (920004, 'attendmeetingdddddddddddddd', $ANA, 'scheduled', 'Próxima',
   date_trunc('minute', now()) + interval '2 days', 30, date_trunc('minute', now()) + interval '2 days 30 minutes',
   'America/Mexico_City')" >/dev/null
fetch -b "$A" "$BASE/reuniones/920004"
is_status 200 "an upcoming meeting's details"
body_lacks 'id="asistencia"' "nothing about attendance before it ends"

# --- A room still open: Juan comes back in a third session that has not ended. ---
q "INSERT INTO jitsi_sessions (id, room, kind, meeting_id, started_at, peak_participants)
   VALUES (920013, 'attendmeetingaaaaaaaaaaaaaa', 'meeting', 920001, '2023-01-10 17:10Z', 1);
   INSERT INTO attendance (id, session_id, person, user_id, name, external, first_join, seconds)
   VALUES (920106, 920013, 'u:$JUAN', $JUAN, 'Juan Pérez López', false, '2023-01-10 17:10Z', 0);
   INSERT INTO attendance_intervals (attendance_id, occupant, joined_at) VALUES (920106, 'j3', '2023-01-10 17:10Z')" >/dev/null
fetch -b "$A" "$BASE/reuniones/920001"
tr -d '\n' <"$T_TMP/body" >"$T_TMP/flat"
has '<dt>Duración real</dt><dd>58 min (la sala sigue abierta)</dd>' "an open session is not counted, and is said"
has '<tr><th scope="row">Juan Pérez López</th><td>Institución</td><td>2023-01-10 10:05</td><td>sigue en la sala</td><td>33 min</td><td>2</td></tr>' \
	"Juan, back in the room: still in it, two reconnects, closed stays only"
fetch -b "$A" "$BASE/reuniones?vista=pasadas&desde=2023-01-01&hasta=2023-01-31"
tr -d '\n' <"$T_TMP/body" >"$T_TMP/flat"
has 'Duración real: 58 min (la sala sigue abierta) · 4 asistieron (2 de la institución, 2 externos)' \
	"Pasadas: still four people, the open room said"

# --- English, chosen with the language switch. ---
lang() {	# lang es|en: switch Ana's language the way the footer's form does
	fetch -b "$A" -c "$A" "$BASE/reuniones/920001"
	fetch -b "$A" -c "$A" --data-urlencode "csrf=$(field csrf)" -d "lang=$1" -d volver=/reuniones/920001 "$BASE/idioma"
}
lang en
fetch -b "$A" "$BASE/reuniones/920001"
body_has '<h2 id="att-h">Attendance</h2>' "English: the section's heading"
body_has '<td colspan="4">Did not attend</td>' "English: absentees"
fetch -b "$A" "$BASE/reuniones?vista=pasadas&desde=2023-01-01&hasta=2023-01-31"
body_has 'Nobody joined.' "English: Pasadas' empty state"
lang es
q "UPDATE users SET time_zone = 'America/Mexico_City' WHERE id = $ANA;
   UPDATE users SET time_zone = '$JUAN_TZ' WHERE id = $JUAN" >/dev/null

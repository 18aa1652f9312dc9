#!/bin/sh
# t17_meeting_edit.sh: editing a meeting (owner only, the same checks as creating, SEQUENCE
# up, people added, removed and re-roled exactly, guests keep their links, one audit row
# naming the changes) and duplicating one into a new, independent meeting.
. "$(dirname "$0")/lib.sh"
redis-cli -s "$STATE/run/redis.sock" --scan --pattern 'sekkan:fail-*' | xargs -r redis-cli -s "$STATE/run/redis.sock" del >/dev/null
O=$T_TMP/owner.jar I=$T_TMP/invitee.jar X=$T_TMP/stranger.jar
signin demo1 "$O"; ok $? "the owner signs in"
signin demo2 "$I"; ok $? "an invitee signs in"
signin fisica "$X"; ok $? "a stranger signs in"
TOMORROW=$(TZ=America/Mexico_City date -d tomorrow +%F)
LATER=$(TZ=America/Cancun date -d '+3 days' +%F)

# textarea NAME: the text of textarea NAME in the last page, unescaped.
textarea() {
	python3 -c 'import sys, html.parser
class P(html.parser.HTMLParser):
    cur = None
    v = {}
    def handle_starttag(self, tag, attrs):
        if tag == "textarea":
            P.cur = dict(attrs).get("name")
            P.v[P.cur] = ""
    def handle_endtag(self, tag):
        if tag == "textarea":
            P.cur = None
    def handle_data(self, d):
        if P.cur:
            P.v[P.cur] += d
P().feed(open(sys.argv[2], encoding="utf-8").read())
sys.stdout.write(P.v.get(sys.argv[1], ""))' "$1" "$T_TMP/body"
}
people() { q "SELECT string_agg(coalesce(rfc, email) || ':' || role, ',' ORDER BY coalesce(rfc, email)) FROM meeting_participants WHERE meeting_id = $1"; }

# --- A scheduled meeting to edit. ---
fetch -b "$O" "$BASE/reuniones/nueva"
tok=$(field csrf)
fetch -b "$O" -X POST --data-urlencode "csrf=$tok" -d tipo=programada --data-urlencode 'nombre=Comité de obras' \
	-d "fecha=$TOMORROW" -d hora=09:00 -d duracion=30 -d zona=America/Mexico_City \
	--data-urlencode 'descripcion=Primera versión' \
	--data-urlencode "internos=$(printf 'PELJ750315CD2\n100005, moderador')" \
	--data-urlencode "externos=$(printf 'perito@ejemplo.mx\nauditor@ejemplo.mx, moderador')" "$BASE/reuniones/nueva"
is_status 303 "a meeting with two employees and two guests"
det=$(loc)
id=${det##*/}
room=$(q "SELECT room FROM meetings WHERE id = $id")
keep=$(q "SELECT guest_token FROM meeting_participants WHERE meeting_id = $id AND email = 'perito@ejemplo.mx'")
gone=$(q "SELECT guest_token FROM meeting_participants WHERE meeting_id = $id AND email = 'auditor@ejemplo.mx'")
fetch "$BASE/i/$keep"
keep_status=$STATUS

fetch -b "$O" "$BASE$det"
body_has "href=\"/reuniones/$id/editar\"" "the owner's details page links to editing"
body_has "href=\"/reuniones/nueva?copia=$id#sched-h\"" "and to duplicating"
fetch -b "$I" "$BASE$det"
body_lacks '/editar"' "a participant's does not link to editing"
body_lacks 'copia=' "nor to duplicating"

# --- The form, filled in as stored. ---
fetch -b "$O" "$BASE/reuniones/$id/editar"
is_status 200 "the edit page"
etok=$(field csrf)
[ "$(field nombre)" = 'Comité de obras' ] && [ "$(field fecha)" = "$TOMORROW" ] && [ "$(field hora)" = 09:00 ] &&
	[ "$(field duracion)" = 30 ]
ok $? "name, date, time and duration as stored"
body_has '<option value="America/Mexico_City" selected>' "the meeting's zone chosen"
[ "$(textarea descripcion)" = 'Primera versión' ]
ok $? "the description"
[ "$(textarea internos)" = "$(printf 'PELJ750315CD2\nSAVC920704IJ5, moderador')" ]
ok $? "employees as RFC lines, the moderator marked (got: $(textarea internos | tr '\n' '|'))"
[ "$(textarea externos)" = "$(printf 'perito@ejemplo.mx\nauditor@ejemplo.mx, moderador')" ]
ok $? "guests as e-mail lines, the moderator marked"
body_has "action=\"/reuniones/$id/editar\"" "the form posts back to the edit page"

# --- Authorization: only the owner, every time. ---
fetch -b "$I" "$BASE/reuniones/$id/editar"
is_status 404 "a participant cannot see the edit page"
fetch -b "$X" "$BASE/reuniones/$id/editar"
is_status 404 "nor can a stranger"
fetch -b "$I" "$BASE/reuniones/nueva"
fetch -b "$I" -X POST --data-urlencode "csrf=$(field csrf)" --data-urlencode 'nombre=Tomada' -d "fecha=$TOMORROW" \
	-d hora=09:00 -d duracion=30 -d zona=America/Mexico_City "$BASE/reuniones/$id/editar"
is_status 404 "a participant cannot edit"
fetch -b "$X" "$BASE/reuniones/nueva"
fetch -b "$X" -X POST --data-urlencode "csrf=$(field csrf)" --data-urlencode 'nombre=Tomada' -d "fecha=$TOMORROW" \
	-d hora=09:00 -d duracion=30 -d zona=America/Mexico_City "$BASE/reuniones/$id/editar"
is_status 404 "nor can a stranger"
fetch "$BASE/reuniones/$id/editar"
is_status 303 "without a session, to sign-in"
fetch -b "$O" "$BASE/reuniones/$id/editar/"
is_status 404 "a trailing slash is not the edit page"
fetch -b "$O" "$BASE/reuniones/0$id/editar"
is_status 404 "nor a padded id"
[ "$(q "SELECT name FROM meetings WHERE id = $id")" = 'Comité de obras' ]
ok $? "nothing changed"

# --- Validation: the same messages as creating, what was typed kept, nothing stored. ---
edit() { fetch -b "$O" -X POST --data-urlencode "csrf=$etok" "$@" "$BASE/reuniones/$id/editar"; }
edit --data-urlencode 'nombre=' -d "fecha=$TOMORROW" -d hora=25:00 -d duracion=0 -d zona=America/Mexico_City \
	--data-urlencode 'descripcion=Lo que escribí' --data-urlencode "internos=$(printf 'PELJ750315CD2\nZZZZ010101ZZ9')" \
	--data-urlencode "externos=$(printf 'perito@ejemplo.mx\nmal@@ejemplo')"
is_status 400 "an edit with mistakes"
body_has 'Escriba el nombre de la reunión.' "empty name"
body_has 'Escriba la hora como HH:MM' "bad time"
body_has 'entre 1 y 1440' "zero duration"
body_has 'No está en el directorio de la institución: ZZZZ010101ZZ9' "an unknown employee"
body_has 'Este correo no es válido: mal@@ejemplo' "a malformed guest e-mail"
[ "$(field hora)" = 25:00 ] && [ "$(textarea descripcion)" = 'Lo que escribí' ] &&
	[ "$(textarea externos)" = "$(printf 'perito@ejemplo.mx\nmal@@ejemplo')" ]
ok $? "what was typed is kept"
eleven=$(for i in 1 2 3 4 5 6 7 8 9 10 11; do echo "g$i@ejemplo.mx"; done)
edit --data-urlencode 'nombre=X' -d "fecha=$TOMORROW" -d hora=09:00 -d duracion=30 -d zona=America/Mexico_City \
	--data-urlencode "externos=$eleven"
body_has 'como máximo a 10 personas externas' "eleven external guests"
edit --data-urlencode 'nombre=Comité de obras' -d fecha=2020-01-01 -d hora=09:00 -d duracion=30 -d zona=America/Mexico_City
is_status 400 "moving the meeting into the past"
body_has 'La fecha y hora ya pasaron.' "is refused with the creation's message"
[ "$(q "SELECT name || ' ' || sequence FROM meetings WHERE id = $id")" = 'Comité de obras 0' ] &&
	[ "$(people "$id")" = "PELJ750315CD2:participant,SAVC920704IJ5:moderator,auditor@ejemplo.mx:moderator,perito@ejemplo.mx:participant" ]
ok $? "nothing stored while the form has mistakes"

# --- A real edit: every field, one employee and one guest out, one of each in, two roles. ---
edit --data-urlencode 'nombre=Comité de obras (revisado)' -d "fecha=$LATER" -d hora=11:30 -d duracion=50 \
	-d zona=America/Cancun --data-urlencode 'descripcion=Segunda versión' \
	--data-urlencode "internos=$(printf 'PELJ750315CD2, moderador\n100003')" \
	--data-urlencode "externos=$(printf 'Perito@Ejemplo.mx, moderador\nnuevo@ejemplo.mx')"
is_status 303 "the owner saves the edit"
[ "$(loc)" = "/reuniones/$id" ]
ok $? "back to the details"
[ "$(q "SELECT to_char(starts_at AT TIME ZONE 'America/Cancun', 'YYYY-MM-DD HH24:MI') || ' ' || duration_min || ' ' || time_zone || ' ' || kind || ' ' || (ends_at = starts_at + interval '50 minutes') FROM meetings WHERE id = $id")" = "$LATER 11:30 50 America/Cancun scheduled true" ]
ok $? "stored at 11:30 Cancún time for 50 minutes"
[ "$(q "SELECT sequence FROM meetings WHERE id = $id")" = 1 ]
ok $? "the calendar SEQUENCE went up"
[ "$(people "$id")" = "MUÑO900620EF3:participant,PELJ750315CD2:moderator,nuevo@ejemplo.mx:participant,perito@ejemplo.mx:moderator" ]
ok $? "participants added, removed and re-roled exactly (got $(people "$id"))"
[ "$(q "SELECT guest_token FROM meeting_participants WHERE meeting_id = $id AND lower(email) = 'perito@ejemplo.mx'")" = "$keep" ]
ok $? "the guest who stayed (e-mail in another case) keeps the same personal link"
fetch "$BASE/i/$keep"
[ "$STATUS" = "$keep_status" ] && [ "$STATUS" != 404 ]
ok $? "and it still works as before (status $STATUS)"
fetch "$BASE/i/$gone"
is_status 404 "the removed guest's link is gone"
[ "$(q "SELECT room FROM meetings WHERE id = $id")" = "$room" ]
ok $? "the room, and so the shared link, stays"
fetch -b "$O" "$BASE$det"
body_has 'Comité de obras (revisado)' "the details show the new name"
body_has 'Segunda versión' "the new description"
body_has "$LATER 11:30 (America/Cancun)" "the new date, time and zone"
body_has '<dd>50</dd>' "the new duration"
body_has 'Juan Pérez López — moderador' "the new role"
body_has 'Olga Muñoz Ortiz — participante' "the added employee"
body_has 'nuevo@ejemplo.mx (invitado externo) — participante' "the added guest"
body_lacks 'Carmen Sánchez Vela' "not the removed employee"
body_lacks 'auditor@ejemplo.mx' "nor the removed guest"

# One audit row, naming every change.
[ "$(q "SELECT count(*) FROM audit_log WHERE action = 'meeting_edited' AND object_type = 'meeting' AND object_id = '$id'")" = 1 ]
ok $? "one audit row for the edit"
q "SELECT a.detail FROM audit_log a JOIN users u ON u.id = a.actor_id WHERE a.action = 'meeting_edited' AND a.object_id = '$id' AND u.rfc = 'GOMA800101AB1'" >"$T_TMP/audit.json"
python3 - "$T_TMP/audit.json" "$TOMORROW" "$LATER" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
f = d["fields"]
assert f["name"] == {"old": "Comité de obras", "new": "Comité de obras (revisado)"}, f
assert f["description"] == {"old": "Primera versión", "new": "Segunda versión"}, f
assert f["start"] == {"old": sys.argv[2] + " 09:00", "new": sys.argv[3] + " 11:30"}, f
assert f["duration_min"] == {"old": "30", "new": "50"}, f
assert f["time_zone"] == {"old": "America/Mexico_City", "new": "America/Cancun"}, f
assert sorted((a["who"], a["role"]) for a in d["added"]) == [("MUÑO900620EF3", "participant"), ("nuevo@ejemplo.mx", "participant")], d
assert sorted(a["who"] for a in d["removed"]) == ["SAVC920704IJ5", "auditor@ejemplo.mx"], d
assert sorted((a["who"], a["old"], a["new"]) for a in d["roles"]) == [("PELJ750315CD2", "participant", "moderator"), ("perito@ejemplo.mx", "participant", "moderator")], d
assert d["remote"], d
PY
ok $? "by the owner, with fields old → new, people added and removed, roles changed"

# Saving the form untouched changes nothing: no new SEQUENCE, no audit row.
fetch -b "$O" "$BASE/reuniones/$id/editar"
edit --data-urlencode "nombre=$(field nombre)" -d "fecha=$(field fecha)" -d "hora=$(field hora)" \
	-d "duracion=$(field duracion)" -d zona=America/Cancun --data-urlencode "descripcion=$(textarea descripcion)" \
	--data-urlencode "internos=$(textarea internos)" --data-urlencode "externos=$(textarea externos)"
is_status 303 "saving an untouched form"
[ "$(q "SELECT sequence FROM meetings WHERE id = $id")" = 1 ] &&
	[ "$(q "SELECT count(*) FROM audit_log WHERE action = 'meeting_edited' AND object_id = '$id'")" = 1 ]
ok $? "is not a change: same SEQUENCE, no audit row"

# A meeting under way keeps its start when edited, but the edit may not move it elsewhere in the past.
q "UPDATE meetings SET starts_at = date_trunc('minute', now()) - interval '20 minutes', ends_at = date_trunc('minute', now()) + interval '30 minutes' WHERE id = $id" >/dev/null
fetch -b "$O" "$BASE/reuniones/$id/editar"
edit --data-urlencode "nombre=$(field nombre)" -d "fecha=$(field fecha)" -d "hora=$(field hora)" \
	-d "duracion=$(field duracion)" -d zona=America/Cancun --data-urlencode 'descripcion=Ya empezó' \
	--data-urlencode "internos=$(textarea internos)" --data-urlencode "externos=$(textarea externos)"
is_status 303 "a meeting under way can still be edited without moving it"
edit --data-urlencode "nombre=Comité" -d "fecha=$(TZ=America/Cancun date -d yesterday +%F)" -d hora=09:00 \
	-d duracion=50 -d zona=America/Cancun
body_has 'La fecha y hora ya pasaron.' "but not moved to yesterday"

# A participant taken off the list no longer sees the meeting.
edit --data-urlencode 'nombre=Comité de obras (revisado)' -d "fecha=$LATER" -d hora=11:30 -d duracion=50 \
	-d zona=America/Cancun --data-urlencode "internos=100003" --data-urlencode "externos=perito@ejemplo.mx, moderador"
is_status 303 "the owner takes Juan off the list"
fetch -b "$I" "$BASE$det"
is_status 404 "and for him the meeting no longer exists"
[ "$(q "SELECT sequence FROM meetings WHERE id = $id")" = 3 ]
ok $? "every saved change raised SEQUENCE once"

# --- An instant meeting: renamed and re-described, still instant, still at its time. ---
fetch -b "$O" "$BASE/reuniones/nueva"
fetch -b "$O" -X POST -d "csrf=$(field csrf)&tipo=instantanea" "$BASE/reuniones/nueva"
inst=$(loc)
iid=${inst##*/}
before=$(q "SELECT starts_at || ' ' || duration_min FROM meetings WHERE id = $iid")
fetch -b "$O" "$BASE/reuniones/$iid/editar"
is_status 200 "an instant meeting's edit page"
body_lacks 'name="fecha"' "has no date to change"
body_lacks 'name="duracion"' "nor duration"
fetch -b "$O" -X POST --data-urlencode "csrf=$(field csrf)" --data-urlencode 'nombre=Plática rápida' \
	--data-urlencode 'descripcion=Sobre el presupuesto' --data-urlencode 'internos=PELJ750315CD2' \
	-d tipo=programada -d fecha=2020-01-01 -d hora=09:00 "$BASE/reuniones/$iid/editar"
is_status 303 "renamed, described and with a participant"
[ "$(q "SELECT kind || ' ' || name || ' ' || description FROM meetings WHERE id = $iid")" = 'instant Plática rápida Sobre el presupuesto' ] &&
	[ "$(q "SELECT starts_at || ' ' || duration_min FROM meetings WHERE id = $iid")" = "$before" ] &&
	[ "$(people "$iid")" = 'PELJ750315CD2:participant' ]
ok $? "still instant, at the same time, whatever else was posted"

# --- Cancelled meetings are history: 409 for their owner, still 404 for anyone else. ---
fetch -b "$O" "$BASE$det"
fetch -b "$O" -X POST -d "csrf=$(field csrf)&accion=cancelar" "$BASE$det"
is_status 303 "the owner cancels"
fetch -b "$O" "$BASE/reuniones/$id/editar"
is_status 409 "a cancelled meeting's edit page: 409"
edit --data-urlencode 'nombre=Resucitada' -d "fecha=$LATER" -d hora=11:30 -d duracion=50 -d zona=America/Cancun
is_status 409 "editing it: 409"
fetch -b "$X" "$BASE/reuniones/$id/editar"
is_status 404 "a stranger still gets 404"
fetch -b "$O" "$BASE$det"
body_lacks "/reuniones/$id/editar" "its details no longer offer editing"
body_has "copia=$id" "but still offer duplicating"

# --- Duplicating: the form filled from the meeting, date and time to choose, a new meeting. ---
fetch -b "$O" "$BASE/reuniones/nueva?copia=$id"
is_status 200 "the duplicate form"
body_has 'Copia de una reunión' "says it is a copy"
[ "$(field nombre)" = 'Comité de obras (revisado)' ] && [ "$(field duracion)" = 50 ] &&
	[ -z "$(field fecha)" ] && [ -z "$(field hora)" ]
ok $? "name and duration filled, date and time empty"
body_has '<option value="America/Cancun" selected>' "the zone copied"
[ "$(textarea internos)" = 'MUÑO900620EF3' ] && [ "$(textarea externos)" = 'perito@ejemplo.mx, moderador' ]
ok $? "the people copied with their roles"
ctok=$(field csrf)
fetch -b "$I" "$BASE/reuniones/nueva?copia=$id"
is_status 404 "someone else's meeting cannot be copied"
fetch -b "$O" "$BASE/reuniones/nueva?copia=abc"
is_status 404 "nor a malformed id"
fetch -b "$O" -X POST --data-urlencode "csrf=$ctok" -d tipo=programada --data-urlencode 'nombre=Comité de obras (revisado)' \
	-d "fecha=$LATER" -d hora=16:00 -d duracion=50 -d zona=America/Cancun \
	--data-urlencode 'internos=MUÑO900620EF3' --data-urlencode 'externos=perito@ejemplo.mx, moderador' "$BASE/reuniones/nueva"
is_status 303 "the copy is created"
cid=$(loc)
cid=${cid##*/}
[ -n "$cid" ] && [ "$cid" != "$id" ] &&
	[ "$(q "SELECT status || ' ' || sequence FROM meetings WHERE id = $cid")" = 'active 0' ] &&
	[ "$(q "SELECT status FROM meetings WHERE id = $id")" = cancelled ]
ok $? "a new active meeting; the original stays cancelled"
[ "$(q "SELECT room FROM meetings WHERE id = $cid")" != "$room" ]
ok $? "with a room of its own"
[ "$(people "$cid")" = 'MUÑO900620EF3:participant,perito@ejemplo.mx:moderator' ] &&
	[ "$(q "SELECT guest_token FROM meeting_participants WHERE meeting_id = $cid")" != "$keep" ]
ok $? "the same people; the guest gets a new personal link for it"
[ "$(q "SELECT count(*) FROM audit_log WHERE action = 'meeting_created' AND object_id = '$cid'")" = 1 ]
ok $? "its creation is in the audit log"

echo "1..$T_N"

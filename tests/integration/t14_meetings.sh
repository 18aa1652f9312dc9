#!/bin/sh
# t14_meetings.sh: creating, listing, showing, cancelling and joining meetings, with the
# Jitsi token checked by PyJWT, every validation message, and who may see or do what.
. "$(dirname "$0")/lib.sh"
redis-cli -s "$STATE/run/redis.sock" --scan --pattern 'sekkan:fail-*' | xargs -r redis-cli -s "$STATE/run/redis.sock" del >/dev/null
O=$T_TMP/owner.jar I=$T_TMP/invitee.jar X=$T_TMP/stranger.jar
signin demo1 "$O"; ok $? "the owner signs in"
signin demo2 "$I"; ok $? "the invitee signs in"
signin fisica "$X"; ok $? "a stranger signs in"
SECRET=$(cat "$STATE/conf/jitsi-secret")
TOMORROW=$(TZ=America/Mexico_City date -d tomorrow +%F)

# jwt_claims URL: the JWT in a Jitsi URL, verified with the app secret, as JSON.
jwt_claims() {
	/usr/bin/python3 - "$1" "$SECRET" <<'PY'
import json, sys, urllib.parse, jwt
u = urllib.parse.urlsplit(sys.argv[1])
tok = urllib.parse.parse_qs(u.query)["jwt"][0]
c = jwt.decode(tok, sys.argv[2], algorithms=["HS256"], audience="jitsi", issuer="sekkan")
assert jwt.get_unverified_header(tok)["typ"] == "JWT"
print(json.dumps(c))
PY
}

# --- An instant meeting. ---
fetch -b "$O" "$BASE/reuniones/nueva"
is_status 200 "the new-meeting page"
fetch -b "$O" -X POST -d "csrf=$(field csrf)&tipo=instantanea" "$BASE/reuniones/nueva"
is_status 303 "an instant meeting in one confirmation"
inst=$(loc)
fetch -b "$O" "$BASE$inst"
is_status 200 "its details"
link=$(sed -n 's/.*id="link" type="text" readonly value="\([^"]*\)".*/\1/p' "$T_TMP/body")
echo "$link" | grep -q "^$BASE/j/[a-z0-9]\{26\}$"
ok $? "a link to copy with a random 26-character room"
room=${link##*/}
fetch -b "$O" "$BASE/j/$room"
is_status 302 "the owner enters at once"
url=$(loc)
echo "$url" | grep -q "^https://meet.jitsi.example/$room?jwt=.*#config.localRecording.disable=false&config.prejoinConfig.enabled=true&config.deeplinking.disabled=true"
ok $? "to Jitsi with a token, local recording on the device, prejoin, and the browser on phones"
jwt_claims "$url" >"$T_TMP/c.json"
ok $? "PyJWT verifies the token with prosody's app secret (HS256, iss, aud)"
python3 -c 'import json,sys; c=json.load(open(sys.argv[1])); u=c["context"]["user"]
assert c["room"]==sys.argv[2] and c["sub"]=="meet.jitsi.example" and c["nbf"]<c["exp"]
assert u["moderator"]=="true" and u["affiliation"]=="owner" and u["name"]=="Ana Gómez Martínez", c' "$T_TMP/c.json" "$room"
ok $? "the owner's claims: room, sub, nbf/exp, moderator \"true\", affiliation owner, name"
fetch -b "$I" "$BASE/j/$room"
jwt_claims "$(loc)" >"$T_TMP/c.json"
python3 -c 'import json,sys; u=json.load(open(sys.argv[1]))["context"]["user"]
assert u["moderator"]=="false" and u["affiliation"]=="member" and u["name"]=="Juan Pérez López", u' "$T_TMP/c.json"
ok $? "an employee with the link joins as participant"
fetch "$BASE/j/$room"
[ "$STATUS" = 200 ] && grep -qF "href=\"/auth/login?volver=/j/$room\"" "$T_TMP/body"
ok $? "without a session, the guest page offers sign-in and back (t16 tests the rest)"
fetch -b "$O" "$BASE/j/aaaaaaaaaaaaaaaaaaaaaaaaaa"
is_status 404 "an unknown room"
body_has 'No encontramos esa reunión' "says so"
fetch -b "$O" "$BASE/j/..%2F..%2Fetc"
[ "$STATUS" = 400 ] || [ "$STATUS" = 404 ]
ok $? "a hostile room name never reaches the database (status $STATUS)"
fetch -b "$O" "$BASE/j/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
is_status 404 "an upper-case room name is not one of ours"

# An instant meeting's link does not stay good for ever: a working day from its creation.
q "UPDATE meetings SET starts_at = now() - interval '13 hours', ends_at = now() - interval '12 hours' WHERE room = '$room'" >/dev/null
fetch -b "$O" "$BASE/j/$room"
is_status 410 "an instant meeting created 13 hours ago can no longer be entered"
q "UPDATE meetings SET starts_at = now() - interval '11 hours', ends_at = now() - interval '10 hours' WHERE room = '$room'" >/dev/null
fetch -b "$O" "$BASE/j/$room"
is_status 302 "one created 11 hours ago still can"

# --- Validation: every message, and what was typed is kept. ---
fetch -b "$O" "$BASE/reuniones/nueva"
tok=$(field csrf)
post() { fetch -b "$O" -X POST --data-urlencode "csrf=$tok" -d tipo=programada "$@" "$BASE/reuniones/nueva"; }
post --data-urlencode "nombre=" -d fecha=2027-13-01 -d hora=25:00 -d duracion=0 -d zona=Europe/Madrid
is_status 400 "a form with several mistakes"
body_has 'Escriba el nombre de la reunión.' "empty name"
body_has 'Escriba la fecha como AAAA-MM-DD' "bad date"
body_has 'Escriba la hora como HH:MM' "bad time"
body_has 'entre 1 y 1440' "zero duration"
body_has 'Elija una zona horaria de la lista.' "a zone outside Mexico's list"
post --data-urlencode 'nombre=<b>Revisión</b>' -d fecha=2020-01-01 -d hora=10:00 -d duracion=99999 -d zona=America/Cancun
body_has 'La fecha y hora ya pasaron.' "a start in the past"
body_has 'entre 1 y 1440' "an absurd duration"
body_has 'value="&lt;b&gt;Revisión&lt;/b&gt;"' "the name as typed, escaped"
body_has '<option value="America/Cancun" selected>' "the zone as chosen"
post --data-urlencode "nombre=$(printf 'x%.0s' $(seq 1 201))" -d "fecha=$TOMORROW" -d hora=10:00 -d duracion=30 -d zona=America/Mexico_City
body_has 'no puede pasar de 200 caracteres' "an overlong name"
post -d nombre=X -d "fecha=$TOMORROW" -d hora=10:00 -d duracion=30 -d zona=America/Mexico_City \
	--data-urlencode "internos=$(printf 'ZZZZ010101ZZ9\nnadie@ninguna.mx\nPELJ750315CD2\nPELJ750315CD2')" \
	--data-urlencode "externos=$(printf 'bien@ejemplo.mx\nmal@@ejemplo\nbien@ejemplo.mx')"
body_has 'No está en el directorio de la institución: ZZZZ010101ZZ9' "an unknown employee by RFC"
body_has 'No está en el directorio de la institución: nadie@ninguna.mx' "an unknown employee by e-mail"
body_has 'Está repetido: PELJ750315CD2' "a repeated participant"
body_has 'Este correo no es válido: mal@@ejemplo' "a malformed guest e-mail"
body_has 'Está repetido: bien@ejemplo.mx' "a repeated guest"
eleven=$(for i in 1 2 3 4 5 6 7 8 9 10 11; do echo "g$i@ejemplo.mx"; done)
post -d nombre=X -d "fecha=$TOMORROW" -d hora=10:00 -d duracion=30 -d zona=America/Mexico_City --data-urlencode "externos=$eleven"
body_has 'como máximo a 10 personas externas' "eleven external guests"
post -d nombre=X -d "fecha=$TOMORROW" -d hora=10:00 -d duracion=30 -d zona=America/Mexico_City \
	--data-urlencode "externos=$(printf 'a@x.mx\r\nBcc: b@y.mx')"
body_has 'Este correo no es válido: Bcc: b@y.mx' "a header-injection attempt in a guest line is just a bad e-mail"
[ "$(q "SELECT count(*) FROM meetings WHERE name = 'X'")" = 0 ]
ok $? "nothing is stored while the form has mistakes"

# --- A scheduled meeting with people and roles. ---
post --data-urlencode 'nombre=Revisión trimestral <Q1>' -d "fecha=$TOMORROW" -d hora=10:00 -d duracion=45 \
	-d zona=America/Mexico_City --data-urlencode 'descripcion=Agenda: avances' \
	--data-urlencode "internos=$(printf 'PELJ750315CD2, moderador\n100005\nGOMA800101AB1')" \
	--data-urlencode "externos=$(printf 'consultora@ejemplo.mx, moderador\nproveedor@ejemplo.mx')"
is_status 303 "a scheduled meeting with internal and external participants"
sched=$(loc)
id=${sched##*/}
[ "$(q "SELECT to_char(starts_at AT TIME ZONE 'America/Mexico_City', 'YYYY-MM-DD HH24:MI') || ' ' || duration_min FROM meetings WHERE id = $id")" = "$TOMORROW 10:00 45" ]
ok $? "stored at 10:00 Mexico City time, 45 minutes"
[ "$(q "SELECT string_agg(coalesce(rfc, email) || ':' || role, ',' ORDER BY coalesce(rfc, email)) FROM meeting_participants WHERE meeting_id = $id")" = "PELJ750315CD2:moderator,SAVC920704IJ5:participant,consultora@ejemplo.mx:moderator,proveedor@ejemplo.mx:participant" ]
ok $? "participants with their roles (the owner is not listed twice)"
fetch -b "$O" "$BASE$sched"
body_has 'Revisión trimestral &lt;Q1&gt;' "the details page, name escaped"
body_has 'Juan Pérez López — moderador' "shows roles"
body_has 'proveedor@ejemplo.mx (invitado externo) — participante' "and external guests"

# Who sees what.
fetch -b "$O" "$BASE/reuniones?vista=agendadas"
body_has 'Revisión trimestral &lt;Q1&gt;' "under Agendadas for the owner"
fetch -b "$I" "$BASE/reuniones?vista=invitado"
body_has 'Revisión trimestral &lt;Q1&gt;' "under Con invitación for the invitee"
fetch -b "$I" "$BASE/reuniones?vista=agendadas"
body_lacks 'Revisión trimestral' "not under the invitee's own Agendadas"
fetch -b "$I" "$BASE$sched"
is_status 200 "the invitee sees the details"
body_lacks 'Cancelar la reunión' "without the cancel button"
fetch -b "$X" "$BASE$sched"
is_status 404 "a stranger gets 404"
fetch -b "$X" "$BASE/reuniones?vista=invitado"
body_lacks 'Revisión trimestral' "and does not see it listed"
fetch -b "$I" "$BASE$sched"
fetch -b "$I" -X POST -d "csrf=$(field csrf)&accion=cancelar" "$BASE$sched"
is_status 404 "an invitee cannot cancel"
room2=$(q "SELECT room FROM meetings WHERE id = $id")
fetch -b "$I" "$BASE/j/$room2"
is_status 403 "entering a meeting that starts tomorrow"
body_has 'todavía no empieza. Podrá entrar desde' "says from when"
q "UPDATE meetings SET starts_at = now() - interval '5 minutes', ends_at = now() + interval '40 minutes' WHERE id = $id" >/dev/null
fetch -b "$I" "$BASE/j/$room2"
jwt_claims "$(loc)" >"$T_TMP/c.json"
python3 -c 'import json,sys,time; c=json.load(open(sys.argv[1])); u=c["context"]["user"]
assert u["moderator"]=="true" and u["affiliation"]=="member", u
assert abs(c["exp"] - (time.time() + 70*60)) < 120, c' "$T_TMP/c.json"
ok $? "an invited moderator gets moderator \"true\"; the token ends with the window (end + grace)"

# Filters and a bad filter.
fetch -b "$O" "$BASE/reuniones?vista=agendadas&q=trimestral&dmin=40&dmax=50"
body_has 'Revisión trimestral' "name and duration filters find it"
fetch -b "$O" "$BASE/reuniones?vista=agendadas&q=trimestral&dmin=50"
body_lacks 'Revisión trimestral' "a minimum duration above it hides it"
fetch -b "$O" "$BASE/reuniones?vista=agendadas&q=%25"
body_lacks 'Revisión trimestral' "a % in the search is a literal, not a wildcard"
fetch -b "$O" "$BASE/reuniones?vista=agendadas&desde=2027-02-30"
is_status 400 "an impossible date in a filter"
body_has 'Algún filtro no es válido' "is named"

# Cancelling.
fetch -b "$O" "$BASE$sched"
fetch -b "$O" -X POST -d "csrf=$(field csrf)&accion=cancelar" "$BASE$sched"
is_status 303 "the owner cancels"
fetch -b "$I" "$BASE$sched"
body_has 'Esta reunión fue cancelada.' "the invitee sees it cancelled"
fetch -b "$I" "$BASE/j/$room2"
is_status 410 "a cancelled meeting cannot be entered"
fetch -b "$O" "$BASE/reuniones?vista=agendadas&q=trimestral"
body_has 'Revisión trimestral' "the owner still sees the cancelled meeting under Agendadas"
body_has '<strong>cancelada</strong>' "marked as cancelled"
fetch -b "$O" "$BASE$sched"
fetch -b "$O" -X POST -d "csrf=$(field csrf)&accion=cancelar" "$BASE$sched"
is_status 409 "cancelling twice says it is already done"
[ "$(q "SELECT sequence FROM meetings WHERE id = $id")" = 1 ]
ok $? "the change raised the calendar SEQUENCE"
[ "$(q "SELECT count(*) FROM audit_log WHERE object_type = 'meeting' AND object_id = '$id'")" = 2 ]
ok $? "creation and cancellation are in the audit log"

# Over: a meeting past its end plus grace.
q "UPDATE meetings SET status = 'active', starts_at = now() - interval '3 hours', ends_at = now() - interval '3 hours' + interval '45 minutes' WHERE id = $id" >/dev/null
fetch -b "$O" "$BASE/j/$room2"
is_status 410 "a meeting that has ended"
fetch -b "$O" "$BASE/reuniones?vista=pasadas"
body_has 'Revisión trimestral' "it is listed under Pasadas"

# Keyset pages: 60 more meetings, every one reachable once.
q "INSERT INTO meetings (room, owner_id, kind, name, starts_at, duration_min, ends_at, time_zone)
   SELECT 'k' || lpad(i::text, 25, '0'), u.id, 'scheduled', 'Serie ' || i, now() + i * interval '1 hour', 30,
          now() + i * interval '1 hour' + interval '30 minutes', 'America/Mexico_City'
   FROM generate_series(1, 60) i, users u WHERE u.rfc = 'GOMA800101AB1'" >/dev/null
seen=$T_TMP/seen
: >"$seen"
url="$BASE/reuniones?vista=agendadas&q=Serie"
pages=0
while [ -n "$url" ] && [ $pages -lt 10 ]; do
	fetch -b "$O" "$url"
	grep -o 'Serie [0-9]*<' "$T_TMP/body" >>"$seen"
	next=$(sed -n 's/.*href="\(\/reuniones?vista=agendadas[^"]*tras=[^"]*\)".*/\1/p' "$T_TMP/body" | sed 's/&amp;/\&/g')
	url=${next:+$BASE$next}
	pages=$((pages + 1))
done
[ "$(wc -l <"$seen")" = 60 ] && [ "$(sort -u "$seen" | wc -l)" = 60 ] && [ $pages = 3 ]
ok $? "60 meetings over 3 pages of 25, none twice (got $(wc -l <"$seen") in $pages pages)"
head -n 1 "$seen" | grep -q 'Serie 1<'
ok $? "upcoming meetings come soonest first"

echo "1..$T_N"

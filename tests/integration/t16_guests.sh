#!/bin/sh
# t16_guests.sh: guests without an account: invited guests' personal links (/i/<token>)
# inside and outside the window, their Jitsi tokens checked by PyJWT, revoking and
# reactivating; the open guest page (/j/<room> without a session); who may do what.
. "$(dirname "$0")/lib.sh"
redis-cli -s "$STATE/run/redis.sock" --scan --pattern 'sekkan:fail-*' | xargs -r redis-cli -s "$STATE/run/redis.sock" del >/dev/null
O=$T_TMP/owner.jar I=$T_TMP/invitee.jar X=$T_TMP/stranger.jar G=$T_TMP/guest.jar
signin demo1 "$O"; ok $? "the owner signs in"
signin demo2 "$I"; ok $? "an invited employee signs in"
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
print(json.dumps(c))
PY
}
# claims_ok PYTHON-ASSERTIONS DESCRIPTION: on the last 302's token; c is the claims, u the user.
claims_ok() {
	{ [ "$STATUS" = 302 ] && jwt_claims "$(loc)" >"$T_TMP/c.json" &&
		python3 -c 'import json, sys, time
c = json.load(open(sys.argv[1])); u = c["context"]["user"]
exec(sys.argv[2])' "$T_TMP/c.json" "$1"; } >"$T_TMP/claims.err" 2>&1
	rc=$?
	ok $rc "$2"
	[ $rc -eq 0 ] || sed 's/^/# /' "$T_TMP/claims.err"
}
# guest_get PATH: a fresh browser (no cookies) opens PATH; its CSRF cookie lands in $G and
# the page's token in $GTOK, for guest_post PATH [curl args…] to send the form back.
guest_get() { rm -f "$G"; fetch -c "$G" -b "$G" "$BASE$1"; GTOK=$(field csrf); }
guest_post() {
	p=$1; shift
	fetch -c "$G" -b "$G" -X POST --data-urlencode "csrf=$GTOK" "$@" "$BASE$p"
}
move() {	# move ID MINUTES-FROM-NOW: the meeting starts then (ends_at follows its duration)
	q "UPDATE meetings SET starts_at = now() + $2 * interval '1 minute',
	   ends_at = now() + $2 * interval '1 minute' + duration_min * interval '1 minute' WHERE id = $1" >/dev/null
}

# --- A scheduled meeting with two external guests, one of them moderator. ---
fetch -b "$O" "$BASE/reuniones/nueva"
fetch -b "$O" -X POST --data-urlencode "csrf=$(field csrf)" -d tipo=programada \
	--data-urlencode 'nombre=Comité de proveedores' -d "fecha=$TOMORROW" -d hora=10:00 -d duracion=45 \
	-d zona=America/Mexico_City --data-urlencode 'internos=PELJ750315CD2' \
	--data-urlencode "externos=$(printf 'asesora@ejemplo.mx, moderador\nproveedor@ejemplo.mx')" \
	"$BASE/reuniones/nueva"
is_status 303 "the owner schedules a meeting with two external guests"
sched=$(loc)
id=${sched##*/}
room=$(q "SELECT room FROM meetings WHERE id = $id")
pa=$(q "SELECT id FROM meeting_participants WHERE meeting_id = $id AND email = 'asesora@ejemplo.mx'")
pp=$(q "SELECT id FROM meeting_participants WHERE meeting_id = $id AND email = 'proveedor@ejemplo.mx'")
ta=$(q "SELECT guest_token FROM meeting_participants WHERE id = $pa")
tp=$(q "SELECT guest_token FROM meeting_participants WHERE id = $pp")
echo "$ta $tp" | grep -qE '^[A-Za-z0-9_-]{43} [A-Za-z0-9_-]{43}$' && [ "$ta" != "$tp" ]
ok $? "each external guest got a different 256-bit token"
[ "$(q "SELECT count(*) FROM meeting_participants WHERE meeting_id = $id AND rfc IS NOT NULL AND guest_token IS NOT NULL")" = 0 ]
ok $? "employees get no guest token (they sign in)"
fetch -b "$O" "$BASE$sched"
body_has "value=\"$BASE/i/$ta\"" "the owner sees the moderator guest's personal link"
body_has "value=\"$BASE/i/$tp\"" "and the other guest's"
body_has 'Revocar' "each with a Revocar button"
fetch -b "$I" "$BASE$sched"
is_status 200 "the invited employee sees the details"
body_lacks "/i/" "but not the guests' personal links"

# --- Personal links and the window. ---
guest_get "/i/$ta"
is_status 403 "a personal link the day before"
body_has 'todavía no empieza. Podrá entrar desde' "says from when"
move "$id" -5
guest_get "/i/$ta"
is_status 200 "inside the window: the confirmation page, without an account"
body_has 'Comité de proveedores' "names the meeting"
body_has 'Ana Gómez Martínez' "and who organises it"
body_has 'moderador' "and the guest's role"
body_has 'name="nombre"' "the invitation knows only the e-mail: it asks how to call the guest"
head_has '^set-cookie: sk_csrf=' "an anonymous CSRF cookie, no session"
fetch -c "$G" -b "$G" -X POST -d nombre=X "$BASE/i/$ta"
is_status 403 "a POST without the CSRF token is refused"
guest_get "/i/$ta"
guest_post "/i/$ta" --data-urlencode "nombre=   "
is_status 400 "an empty name"
body_has 'Escriba su nombre' "is named"
guest_post "/i/$ta" --data-urlencode "nombre=Dra. Asesora Ruiz"
is_status 302 "Entrar goes to Jitsi"
loc | grep -q "^https://meet.jitsi.example/$room?jwt="
ok $? "into the meeting's room"
claims_ok "assert u['name'] == 'Dra. Asesora Ruiz' and u['email'] == 'asesora@ejemplo.mx', u
assert u['id'] == 'guest:$pa' and u['affiliation'] == 'guest' and u['moderator'] == 'true', u
assert c['room'] == '$room' and abs(c['exp'] - (time.time() + 70 * 60)) < 120, c" \
	"the moderator guest's token: name, e-mail, id guest:<participant>, affiliation guest, moderator \"true\", ends with the window"

# A name given by the owner is used as it is (and escaped on the page).
q "UPDATE meeting_participants SET name = 'Proveedora <b>SA</b>' WHERE id = $pp" >/dev/null
guest_get "/i/$tp"
is_status 200 "the other guest's link"
body_has 'Proveedora &lt;b&gt;SA&lt;/b&gt;' "shows the invitation's name, escaped"
body_lacks 'name="nombre"' "and asks for nothing"
body_has 'participante' "role participant"
guest_post "/i/$tp" --data-urlencode "nombre=Otro nombre"
claims_ok "assert u['name'] == 'Proveedora <b>SA</b>' and u['moderator'] == 'false', u
assert u['affiliation'] == 'guest' and u['id'] == 'guest:$pp', u" \
	"a participant guest: the invitation's name (not a typed one), moderator \"false\""

move "$id" -180
guest_get "/i/$ta"
is_status 410 "after the end plus the grace"
body_has 'La reunión ya terminó.' "says it is over"
body_has 'href="/"' "with a way home (not to Mis reuniones, which needs an account)"
move "$id" -5

# --- Wrong links. ---
guest_get "/i/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
is_status 404 "an unknown token"
body_has 'No reconocemos este enlace de invitación' "says so in Spanish"
guest_get "/i/abc"
is_status 404 "a token of the wrong shape never reaches the database"
guest_get "/i/..%2F..%2Fetc%2Fpasswd"
[ "$STATUS" = 400 ] || [ "$STATUS" = 404 ]
ok $? "a hostile path (status $STATUS)"
fetch -X DELETE "$BASE/i/$ta"
is_status 405 "other methods"

# --- Revoking and reactivating: owner only. ---
fetch -b "$X" "$BASE/reuniones"
fetch -b "$X" -X POST -d "csrf=$(field csrf)&accion=revocar&p=$pa" "$BASE$sched"
is_status 404 "a stranger cannot revoke"
fetch -b "$I" "$BASE$sched"
fetch -b "$I" -X POST -d "csrf=$(field csrf)&accion=revocar&p=$pa" "$BASE$sched"
is_status 404 "nor can an invited employee"
[ "$(q "SELECT revoked_at IS NULL FROM meeting_participants WHERE id = $pa")" = t ]
ok $? "the link is untouched"
fetch -b "$O" "$BASE$sched"
tok=$(field csrf)
other=$(q "SELECT mp.id FROM meeting_participants mp JOIN meetings m ON m.id = mp.meeting_id
	WHERE mp.email IS NOT NULL AND mp.meeting_id <> $id LIMIT 1")
if [ -n "$other" ]; then
	fetch -b "$O" -X POST -d "csrf=$tok&accion=revocar&p=$other" "$BASE$sched"
	is_status 404 "a guest of another meeting cannot be revoked from this one"
fi
fetch -b "$O" -X POST -d "csrf=$tok&accion=revocar&p=x" "$BASE$sched"
is_status 400 "a participant that is not a number"
guest_get "/i/$ta"
fetch -b "$O" -X POST -d "csrf=$tok&accion=revocar&p=$pa" "$BASE$sched"
is_status 303 "the owner revokes the moderator guest's link"
guest_post "/i/$ta" --data-urlencode "nombre=Dra. Asesora Ruiz"
is_status 410 "a page opened before the revocation cannot enter any more"
body_has 'quien organiza la reunión lo revocó' "says it was revoked"
guest_get "/i/$ta"
is_status 410 "the revoked link, opened again"
fetch -b "$O" -X POST -d "csrf=$tok&accion=revocar&p=$pa" "$BASE$sched"
is_status 409 "revoking twice"
fetch -b "$O" "$BASE$sched"
body_has 'enlace revocado' "the owner sees it revoked"
body_lacks "$BASE/i/$ta" "without the dead link"
body_has 'Reactivar' "and can reactivate it"
fetch -b "$X" "$BASE/reuniones"
fetch -b "$X" -X POST -d "csrf=$(field csrf)&accion=reactivar&p=$pa" "$BASE$sched"
is_status 404 "a stranger cannot reactivate"
fetch -b "$O" -X POST -d "csrf=$tok&accion=reactivar&p=$pa" "$BASE$sched"
is_status 303 "the owner reactivates"
ta2=$(q "SELECT guest_token FROM meeting_participants WHERE id = $pa")
[ -n "$ta2" ] && [ "$ta2" != "$ta" ]
ok $? "with a new token"
fetch -b "$O" "$BASE$sched"
body_has "value=\"$BASE/i/$ta2\"" "the owner sees the new link"
guest_get "/i/$ta2"
is_status 200 "the new link works"
guest_post "/i/$ta2" --data-urlencode "nombre=Dra. Asesora Ruiz"
claims_ok "assert u['moderator'] == 'true' and u['id'] == 'guest:$pa', u" "and enters as moderator, as invited"
guest_get "/i/$ta"
is_status 410 "the old link stays dead"
fetch -b "$O" -X POST -d "csrf=$tok&accion=reactivar&p=$pa" "$BASE$sched"
is_status 409 "reactivating a live link"
[ "$(q "SELECT string_agg(action, ',' ORDER BY id) FROM audit_log WHERE object_type = 'meeting'
	AND object_id = '$id' AND action LIKE 'guest_link_%'")" = "guest_link_revoked,guest_link_reactivated" ]
ok $? "revoking and reactivating are in the audit log"
[ "$(q "SELECT detail->>'participant' FROM audit_log WHERE action = 'guest_link_revoked' AND object_id = '$id'")" = "$pa" ]
ok $? "naming the guest"

# --- The open guest page: /j/<room> without a session. ---
guest_get "/j/$room"
is_status 200 "a meeting link without a session is a page, not a redirect"
body_has "href=\"/auth/login?volver=/j/$room\"" "employees sign in and come back"
body_has 'Ingresar con e.firma' "with e.firma"
body_has 'Entrar como invitado' "or enter as a guest"
body_lacks 'name="correo"' "asking only for a name"
fetch -c "$G" -b "$G" -X POST -d nombre=X "$BASE/j/$room"
is_status 403 "a POST without the CSRF token is refused"
guest_get "/j/$room"
guest_post "/j/$room" -d nombre=
is_status 400 "the name is required"
body_has 'Escriba su nombre' "and named"
guest_post "/j/$room" --data-urlencode "nombre=<b>$(printf 'x%.0s' $(seq 1 80))"
is_status 400 "a name over 80 characters"
body_has 'value="&lt;b&gt;xxx' "comes back escaped"
body_lacks '<b>xxx' "never as markup"
guest_post "/j/$room" --data-urlencode "nombre=$(printf 'Ana\001')"
is_status 400 "a control character in the name"
guest_post "/j/$room" --data-urlencode "nombre=$(printf 'Ana \342\200\256etsim')"
is_status 400 "a right-to-left override in the name"
body_has 'caracteres que no podemos mostrar' "says why"
guest_post "/j/$room" --data-urlencode 'nombre=  <img src=x onerror=alert(1)> "Jefa"  '
is_status 302 "a hostile but printable name enters"
claims_ok "assert u['name'] == '<img src=x onerror=alert(1)> \"Jefa\"', u
assert u['moderator'] == 'false' and u['affiliation'] == 'guest' and u['email'] == '', u
assert u['id'].startswith('guest:open:') and len(u['id']) > 11, u" \
	"as a participant guest, the name trimmed and exact inside the JSON"

# The owner asks guests for an e-mail.
fetch -b "$X" "$BASE/reuniones"
fetch -b "$X" -X POST -d "csrf=$(field csrf)&accion=correo&valor=1" "$BASE$sched"
is_status 404 "a stranger cannot change what the guest page asks"
fetch -b "$O" -X POST -d "csrf=$tok&accion=correo&valor=1" "$BASE$sched"
is_status 303 "the owner asks guests for an e-mail"
guest_get "/j/$room"
body_has 'name="correo"' "the page asks for it"
guest_post "/j/$room" -d nombre=Luisa
is_status 400 "a name alone is not enough now"
body_has 'Escriba un correo válido' "says what is missing"
body_has 'value="Luisa"' "keeping the name"
guest_post "/j/$room" -d nombre=Luisa --data-urlencode 'correo=luisa@@x'
is_status 400 "a malformed e-mail"
guest_post "/j/$room" -d nombre=Luisa --data-urlencode 'correo=luisa@ejemplo.mx'
claims_ok "assert u['email'] == 'luisa@ejemplo.mx' and u['name'] == 'Luisa' and u['moderator'] == 'false', u" \
	"name and e-mail in the token, still a participant"
[ "$(q "SELECT count(*) FROM audit_log WHERE action = 'meeting_guests_need_email' AND object_id = '$id'")" = 1 ]
ok $? "the setting change is audited"

# A signed-in employee still goes straight in, as before.
fetch -b "$I" "$BASE/j/$room"
claims_ok "assert u['affiliation'] == 'member' and u['name'] == 'Juan Pérez López', u" "signed in: straight to Jitsi as a member"

# Too early for the open page as well.
move "$id" 600
guest_get "/j/$room"
is_status 403 "the open page before the window"
body_has 'Podrá entrar desde' "says from when"
move "$id" -5

# --- Cancelled: nobody enters, guests included. ---
fetch -b "$O" -X POST -d "csrf=$tok&accion=cancelar" "$BASE$sched"
is_status 303 "the owner cancels"
guest_get "/j/$room"
is_status 410 "the open guest page of a cancelled meeting"
body_has 'La reunión fue cancelada.' "says so"
guest_get "/i/$ta2"
is_status 410 "a personal link to a cancelled meeting"
body_has 'La reunión fue cancelada.' "says so too"
guest_get "/j/aaaaaaaaaaaaaaaaaaaaaaaaaa"
is_status 404 "an unknown room without a session"
body_has 'No encontramos esa reunión' "is named"

# --- An instant meeting is open to guests at once. ---
fetch -b "$O" "$BASE/reuniones/nueva"
fetch -b "$O" -X POST -d "csrf=$(field csrf)&tipo=instantanea" "$BASE/reuniones/nueva"
inst=$(loc)
iroom=$(q "SELECT room FROM meetings WHERE id = ${inst##*/}")
guest_get "/j/$iroom"
is_status 200 "a fresh instant meeting's guest page"
guest_post "/j/$iroom" -d nombre=Visitante
claims_ok "assert u['moderator'] == 'false' and abs(c['exp'] - (time.time() + 12 * 3600)) < 300, c" \
	"a guest of an instant meeting enters at once, token for its window"

echo "1..$T_N"

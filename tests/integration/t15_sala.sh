#!/bin/sh
# t15_sala.sh: Mi sala: the fixed link, standing participants and their roles, joining with the
# Jitsi token checked by PyJWT, a new link that retires the old one, the lobby flag (and the
# lobby request in moderators' tokens; t30 shows prosody acting on it), every validation
# message, that nobody reaches another person's room, and the audit log.
. "$(dirname "$0")/lib.sh"
redis-cli -s "$STATE/run/redis.sock" --scan --pattern 'sekkan:fail-*' | xargs -r redis-cli -s "$STATE/run/redis.sock" del >/dev/null
O=$T_TMP/owner.jar M=$T_TMP/member.jar X=$T_TMP/other.jar
signin demo1 "$O"; ok $? "the owner signs in"
signin demo2 "$M"; ok $? "a future standing member signs in"
signin fisica "$X"; ok $? "another employee signs in"
SECRET=$(cat "$STATE/conf/jitsi-secret")
OWNER=$(q "SELECT id FROM users WHERE rfc = 'GOMA800101AB1'")
OTHER=$(q "SELECT id FROM users WHERE rfc = 'NUPM800101AB1'")

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
# claims_are FILE ROOM MODERATOR AFFILIATION NAME: the token's room, role and a 4-hour life.
claims_are() {
	python3 -c 'import json,sys,time; c=json.load(open(sys.argv[1])); u=c["context"]["user"]
assert c["room"]==sys.argv[2] and c["sub"]=="meet.jitsi.example", c
assert u["moderator"]==sys.argv[3] and u["affiliation"]==sys.argv[4] and u["name"]==sys.argv[5], u
assert abs(c["exp"] - (time.time() + 4*3600)) < 120 and c["nbf"] < time.time(), c' "$@"
}
# lobby_claim FILE: the token's context.room (the lobby request for mod_sekkan_lobby), or "none".
lobby_claim() {
	python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["context"]
print(json.dumps(c["room"], sort_keys=True) if "room" in c else "none")' "$1"
}
link_of_page() { sed -n 's/.*id="link" type="text" readonly value="\([^"]*\)".*/\1/p' "$T_TMP/body"; }
members() { q "SELECT coalesce(string_agg(rfc || ':' || role, ',' ORDER BY rfc), '') FROM personal_room_members WHERE user_id = $OWNER"; }

# --- The room is made on the first visit; its link never changes by itself. ---
[ "$(q "SELECT count(*) FROM personal_rooms WHERE user_id = $OWNER")" = 0 ]
ok $? "no room before the owner opens Mi sala"
fetch -b "$O" "$BASE/sala"
is_status 200 "Mi sala"
body_has '<a href="/sala">Mi sala</a>' "the layout links it for signed-in users"
link=$(link_of_page)
echo "$link" | grep -q "^$BASE/s/[a-z0-9]\{26\}$"
ok $? "a link to copy with a random 26-character slug ($link)"
slug=${link##*/}
room=$(q "SELECT room FROM personal_rooms WHERE user_id = $OWNER")
echo "$room" | grep -q '^[a-z0-9]\{26\}$' && [ "$room" != "$slug" ]
ok $? "the Jitsi room is random too, and is not the slug"
body_has 'Todavía no tiene participantes permanentes.' "no standing participants yet"
body_has 'La sala de espera está desactivada.' "the lobby starts off"
fetch -b "$O" "$BASE/sala"
[ "$(link_of_page)" = "$link" ]
ok $? "the same link on the next visit"
O2=$T_TMP/owner2.jar
signin demo1 "$O2"
fetch -b "$O2" "$BASE/sala"
[ "$(link_of_page)" = "$link" ] && [ "$(q "SELECT count(*) FROM personal_rooms WHERE user_id = $OWNER")" = 1 ]
ok $? "and in a new session: one room per user"
fetch "$BASE/sala"
[ "$STATUS" = 303 ] && loc | grep -q '^/auth/login?volver=/sala'
ok $? "without a session, /sala leads to sign-in"

# --- Entering: the owner, any other employee, nobody without a session. ---
fetch -b "$O" "$BASE/s/$slug"
is_status 302 "the owner enters at once"
url=$(loc)
echo "$url" | grep -q "^https://meet.jitsi.example/$room?jwt=.*#config.localRecording.disable=false&config.prejoinConfig.enabled=true"
ok $? "to Jitsi's room (not the slug) with a token and the usual options"
! echo "$url" | grep -q 'lobby'
ok $? "no lobby options while the flag is off"
jwt_claims "$url" >"$T_TMP/c.json"
ok $? "PyJWT verifies the token with prosody's app secret (HS256, iss, aud)"
claims_are "$T_TMP/c.json" "$room" true owner "Ana Gómez Martínez"
ok $? "the owner: moderator \"true\", affiliation owner, a token for four hours"
[ "$(lobby_claim "$T_TMP/c.json")" = none ]
ok $? "no lobby request (context.room) in the owner's token while the flag is off"
fetch -b "$X" "$BASE/s/$slug"
is_status 302 "another employee with the link enters"
jwt_claims "$(loc)" >"$T_TMP/c.json" && claims_are "$T_TMP/c.json" "$room" false member "MARÍA JOSÉ NÚÑEZ PEÑA"
ok $? "as participant: moderator \"false\", affiliation member"
fetch "$BASE/s/$slug"
[ "$STATUS" = 303 ] && [ "$(loc)" = "/auth/login?volver=/s/$slug" ]
ok $? "without a session, the link leads to sign-in and back"
fetch -b "$O" "$BASE/s/aaaaaaaaaaaaaaaaaaaaaaaaaa"
is_status 404 "an unknown slug"
body_has 'Ese enlace de sala no existe o ya fue cambiado por su dueño.' "says so in Spanish"
fetch -b "$O" "$BASE/s/$(echo "$slug" | tr a-z A-Z)"
is_status 404 "an upper-case slug is not one of ours"
fetch -b "$O" "$BASE/s/..%2F..%2Fetc%2Fpasswd"
[ "$STATUS" = 400 ] || [ "$STATUS" = 404 ]
ok $? "a hostile slug never reaches the database (status $STATUS)"
fetch -b "$O" -X POST "$BASE/s/$slug"
is_status 405 "the link takes no POST"

# --- Standing participants and their roles. ---
fetch -b "$O" "$BASE/sala"
tok=$(field csrf)
post() { fetch -b "$O" -X POST --data-urlencode "csrf=$tok" "$@" "$BASE/sala"; }
post -d accion=agregar --data-urlencode "personas=$(printf 'PELJ750315CD2, moderador\n  100005  \n\nGOMA800101AB1')"
is_status 303 "add a moderator by RFC and a participant by employee number"
[ "$(loc)" = /sala ]
ok $? "back to Mi sala"
[ "$(members)" = "PELJ750315CD2:moderator,SAVC920704IJ5:participant" ]
ok $? "stored with their roles; listing oneself adds nothing ($(members))"
fetch -b "$O" "$BASE/sala"
body_has 'Juan Pérez López (PELJ750315CD2) — moderador' "the page lists the moderator"
body_has 'Carmen Sánchez Vela (SAVC920704IJ5) — participante' "and the participant"
body_has 'Ana Gómez Martínez — usted, organiza (moderador)' "and the owner first"
fetch -b "$M" "$BASE/s/$slug"
jwt_claims "$(loc)" >"$T_TMP/c.json" && claims_are "$T_TMP/c.json" "$room" true member "Juan Pérez López"
ok $? "a standing moderator enters with moderator \"true\", affiliation member"
post -d accion=rol -d rfc=PELJ750315CD2 -d rol=participante
is_status 303 "make the moderator a participant"
[ "$(members)" = "PELJ750315CD2:participant,SAVC920704IJ5:participant" ]
ok $? "the role is changed"
fetch -b "$M" "$BASE/s/$slug"
jwt_claims "$(loc)" >"$T_TMP/c.json" && claims_are "$T_TMP/c.json" "$room" false member "Juan Pérez López"
ok $? "and takes effect at the next entry: moderator \"false\""
post -d accion=rol -d rfc=PELJ750315CD2 -d rol=participante
is_status 303 "the same role again is accepted"
post -d accion=rol -d rfc=PELJ750315CD2 -d rol=moderador
is_status 303 "and back to moderator"
post -d accion=quitar -d rfc=SAVC920704IJ5
is_status 303 "remove a member"
[ "$(members)" = "PELJ750315CD2:moderator" ]
ok $? "only the other one remains"
post -d accion=quitar -d rfc=SAVC920704IJ5
is_status 409 "removing again says it no longer applies"
post -d accion=rol -d rfc=SAVC920704IJ5 -d rol=moderador
is_status 409 "and so does changing the role of someone not in the room"

# --- Validation: every message, what was typed kept, nothing stored. ---
post -d accion=agregar --data-urlencode "personas=$(printf 'ZZZZ010101ZZ9\nnadie@ninguna.mx\n100005, moderador\n100005\nPELJ750315CD2\n<b>x y</b>')"
is_status 400 "a list with several mistakes"
body_has 'No está en el directorio de la institución: ZZZZ010101ZZ9' "an unknown RFC"
body_has 'No está en el directorio de la institución: nadie@ninguna.mx' "an unknown e-mail"
body_has 'Está repetido: 100005' "a person listed twice"
body_has 'Ya está en su sala (cambie su papel en la lista): PELJ750315CD2' "someone already in the room"
body_has 'No reconocemos este participante (use RFC, correo o número de empleado): &lt;b&gt;x y&lt;/b&gt;' "a line that is none of the three, escaped"
body_has 'aria-invalid="true">ZZZZ010101ZZ9' "the text comes back as typed"
body_has '&lt;b&gt;x y&lt;/b&gt;</textarea>' "escaped"
[ "$(members)" = "PELJ750315CD2:moderator" ]
ok $? "nothing is stored while the list has mistakes"
post -d accion=agregar --data-urlencode "personas=$(printf '  \n\n')"
is_status 400 "an empty list"
body_has 'Escriba al menos una persona' "is named"
post -d accion=agregar --data-urlencode "personas=$(printf 'PELJ750315CD2\001')"
is_status 400 "a control character"
body_has 'caracteres que no podemos leer' "is named"
post -d accion=rol -d rfc=PELJ750315CD2 -d rol=jefe
is_status 400 "an unknown role"
body_has 'Elija un papel: moderador o participante.' "is named"
post -d accion=quitar --data-urlencode "rfc=' OR 1=1 --"
is_status 400 "a member that is not an RFC"
body_has 'No reconocemos a esa persona' "is named"
post -d accion=sala_espera -d espera=2
is_status 400 "a lobby value other than 0 or 1"
body_has 'No entendimos si quiere activar o desactivar la sala de espera' "is named"
post -d accion=borrar
is_status 400 "an unknown action"
fetch -b "$O" -X POST -d accion=regenerar "$BASE/sala"
is_status 403 "an action without the CSRF token is refused"
[ "$(q "SELECT slug FROM personal_rooms WHERE user_id = $OWNER")" = "$slug" ]
ok $? "and changes nothing"

# --- The lobby flag. ---
post -d accion=sala_espera -d espera=1
is_status 303 "turn the lobby on"
[ "$(q "SELECT lobby FROM personal_rooms WHERE user_id = $OWNER")" = t ]
ok $? "stored"
fetch -b "$O" "$BASE/sala"
body_has 'La sala de espera está activada.' "the page says it is on"
body_has 'Desactivar la sala de espera' "and offers to turn it off"
fetch -b "$X" "$BASE/s/$slug"
loc | grep -q '#config\..*&config.lobby.autoKnock=true&config.lobby.enableChat=true$'
ok $? "entering adds Jitsi's whitelisted lobby options (knock at once, chat while waiting)"
jwt_claims "$(loc)" >"$T_TMP/c.json" && [ "$(lobby_claim "$T_TMP/c.json")" = none ]
ok $? "a participant's token never asks for the lobby (no context.room)"
fetch -b "$O" "$BASE/s/$slug"
jwt_claims "$(loc)" >"$T_TMP/c.json" && [ "$(lobby_claim "$T_TMP/c.json")" = '{"lobby": true}' ] &&
	claims_are "$T_TMP/c.json" "$room" true owner "Ana Gómez Martínez"
ok $? "the owner's token asks for it: context.room {\"lobby\": true}, signed (PyJWT)"
fetch -b "$M" "$BASE/s/$slug"
jwt_claims "$(loc)" >"$T_TMP/c.json" && [ "$(lobby_claim "$T_TMP/c.json")" = '{"lobby": true}' ] &&
	claims_are "$T_TMP/c.json" "$room" true member "Juan Pérez López"
ok $? "and so does a standing moderator's"
post -d accion=sala_espera -d espera=1
is_status 303 "turning it on twice is harmless"
post -d accion=sala_espera -d espera=0
is_status 303 "turn the lobby off"
fetch -b "$X" "$BASE/s/$slug"
! loc | grep -q 'lobby'
ok $? "and the options are gone"
fetch -b "$O" "$BASE/s/$slug"
jwt_claims "$(loc)" >"$T_TMP/c.json" && [ "$(lobby_claim "$T_TMP/c.json")" = none ]
ok $? "and the owner's token no longer asks for the lobby"

# --- Each user only ever touches their own room. ---
fetch -b "$X" "$BASE/sala"
is_status 200 "another employee opens their own Mi sala"
xlink=$(link_of_page)
[ -n "$xlink" ] && [ "$xlink" != "$link" ]
ok $? "with their own link"
body_lacks 'Juan Pérez López' "and none of the owner's members"
xtok=$(field csrf)
fetch -b "$X" -X POST -d "csrf=$xtok&accion=quitar&rfc=PELJ750315CD2&usuario=$OWNER&sala=$slug" "$BASE/sala"
is_status 409 "removing the owner's member from their own page finds nobody"
fetch -b "$X" -X POST -d "csrf=$xtok&accion=agregar&personas=PELJ750315CD2%2C+participante&usuario=$OWNER&sala=$slug" "$BASE/sala"
is_status 303 "adding someone with the owner's id and slug in the form"
[ "$(members)" = "PELJ750315CD2:moderator" ] &&
	[ "$(q "SELECT count(*) FROM personal_room_members WHERE user_id = $OTHER AND rfc = 'PELJ750315CD2'")" = 1 ]
ok $? "changes only their own room"
fetch -b "$X" -X POST -d "csrf=$xtok&accion=regenerar&usuario=$OWNER&sala=$slug" "$BASE/sala"
is_status 303 "regenerating with the owner's id and slug in the form"
[ "$(q "SELECT slug FROM personal_rooms WHERE user_id = $OWNER")" = "$slug" ] &&
	[ "$(q "SELECT slug FROM personal_rooms WHERE user_id = $OTHER")" != "${xlink##*/}" ]
ok $? "regenerates only their own link"
fetch -b "$X" -X POST -d "csrf=$tok&accion=regenerar" "$BASE/sala"
is_status 403 "the owner's CSRF token does not work in another session"
fetch -b "$M" "$BASE/sala"
body_has 'Juan Pérez López — usted, organiza (moderador)' "a standing member's Mi sala is their own room"
body_lacks 'Ana Gómez Martínez' "not the owner's"
body_lacks "$slug" "nor the owner's link"

# --- A new link: the old one stops working, the members stay. ---
post -d accion=regenerar
is_status 303 "the owner asks for a new link"
fetch -b "$O" "$BASE/sala"
nlink=$(link_of_page)
nslug=${nlink##*/}
nroom=$(q "SELECT room FROM personal_rooms WHERE user_id = $OWNER")
echo "$nlink" | grep -q "^$BASE/s/[a-z0-9]\{26\}$" && [ "$nslug" != "$slug" ] && [ "$nroom" != "$room" ]
ok $? "a new slug and a new Jitsi room"
fetch -b "$M" "$BASE/s/$slug"
is_status 404 "the old link is gone"
body_has 'Ese enlace de sala no existe o ya fue cambiado por su dueño.' "and says it may have changed"
fetch -b "$M" "$BASE/s/$nslug"
is_status 302 "the new link works"
jwt_claims "$(loc)" >"$T_TMP/c.json" && claims_are "$T_TMP/c.json" "$nroom" true member "Juan Pérez López"
ok $? "into the new room, with the standing member's role kept"
fetch -b "$O" "$BASE/sala"
body_has 'Juan Pérez López (PELJ750315CD2) — moderador' "members survive a new link"

# --- English. ---
fetch -b "$O" -X POST -d "csrf=$(field csrf)&lang=en&volver=/sala" "$BASE/idioma"
fetch -b "$O" "$BASE/sala"
body_has 'Your permanent link' "the page in English"
body_has '<a href="/sala">My room</a>' "and the layout link"
fetch -b "$O" -X POST -d "csrf=$(field csrf)&lang=es&volver=/sala" "$BASE/idioma"

# --- A disabled owner's link no longer opens. ---
q "UPDATE users SET status = 'disabled' WHERE id = $OTHER" >/dev/null
fetch -b "$M" "$BASE/s/$(q "SELECT slug FROM personal_rooms WHERE user_id = $OTHER")"
is_status 404 "a disabled owner's room cannot be entered"
q "UPDATE users SET status = 'active' WHERE id = $OTHER" >/dev/null

# --- The audit log: every change, and only changes. ---
audit_of() { q "SELECT count(*) FROM audit_log WHERE object_type = 'personal_room' AND object_id = '$1' AND action = '$2' AND actor_id = $1"; }
[ "$(audit_of "$OWNER" personal_room_created)" = 1 ]
ok $? "making the room is audited once"
[ "$(audit_of "$OWNER" personal_room_member_added)" = 2 ] && [ "$(audit_of "$OWNER" personal_room_member_removed)" = 1 ]
ok $? "two members added, one removed"
[ "$(audit_of "$OWNER" personal_room_member_role)" = 2 ]
ok $? "two role changes (the same role again is not one)"
[ "$(audit_of "$OWNER" personal_room_lobby)" = 2 ]
ok $? "the lobby on and off (turning it on twice is one change)"
[ "$(audit_of "$OWNER" personal_room_regenerated)" = 1 ] && [ "$(audit_of "$OTHER" personal_room_regenerated)" = 1 ]
ok $? "each new link, under its own owner"
q "SELECT detail->>'rfc', detail->>'role', detail ? 'remote' FROM audit_log WHERE action = 'personal_room_member_added' AND object_id = '$OWNER' ORDER BY id LIMIT 1" | grep -q '^PELJ750315CD2|moderator|t$'
ok $? "audit rows name the member, the role and the remote address"
! q "SELECT detail::text FROM audit_log WHERE object_type = 'personal_room'" | grep -q "$slug\|$nslug"
ok $? "links are never written to the audit log"

echo "1..$T_N"

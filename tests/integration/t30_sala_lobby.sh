#!/bin/sh
# t30_sala_lobby.sh: Mi sala's "sala de espera" takes effect in Jitsi. The tokens /s/<slug>
# signs (checked with PyJWT) go to real XMPP clients on the instance's prosody, where
# tools/prosody/mod_sekkan_lobby.lua turns the room's lobby on for the owner's token when
# the flag is on, through the events of Jitsi's lobby module (played by the test-only
# tests/prosody/mod_sekkan_test_lobby.lua); never for the flag off, a participant's token
# or a guest's token, even one that claims the lobby. Scenario: sala_lobby.py.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/collector_lib.sh"
redis-cli -s "$STATE/run/redis.sock" --scan --pattern 'sekkan:fail-*' | xargs -r redis-cli -s "$STATE/run/redis.sock" del >/dev/null
T_SINCE=$(q "SELECT now()")
O=$T_TMP/owner.jar X=$T_TMP/other.jar
signin demo1 "$O"; ok $? "the owner signs in"
signin fisica "$X"; ok $? "another employee signs in"
SECRET=$(cat "$STATE/conf/jitsi-secret")
OWNER=$(q "SELECT id FROM users WHERE rfc = 'GOMA800101AB1'")

# token_of JAR: the JWT of the owner's /s/<slug> entry for that browser, verified as prosody would.
token_of() {
	fetch -b "$1" "$BASE/s/$slug"
	/usr/bin/python3 - "$(loc)" "$SECRET" <<'PY'
import sys, urllib.parse, jwt
tok = urllib.parse.parse_qs(urllib.parse.urlsplit(sys.argv[1]).query)["jwt"][0]
jwt.decode(tok, sys.argv[2], algorithms=["HS256"], audience="jitsi", issuer="sekkan")
print(tok)
PY
}
# room_claim TOKEN: its context.room as JSON, or "none".
room_claim() {
	/usr/bin/python3 -c 'import json, sys, jwt
c = jwt.decode(sys.argv[1], options={"verify_signature": False})["context"]
print(json.dumps(c["room"]) if "room" in c else "none")' "$1"
}
set_lobby() {
	fetch -b "$O" "$BASE/sala"
	fetch -b "$O" -X POST --data-urlencode "csrf=$(field csrf)" -d accion=sala_espera -d "espera=$1" "$BASE/sala"
	[ "$STATUS" = 303 ] && [ "$(q "SELECT lobby FROM personal_rooms WHERE user_id = $OWNER")" = "$2" ]
}

fetch -b "$O" "$BASE/sala"
slug=$(sed -n 's/.*id="link" type="text" readonly value="[^"]*\/s\/\([a-z0-9]*\)".*/\1/p' "$T_TMP/body")
room=$(q "SELECT room FROM personal_rooms WHERE user_id = $OWNER")
[ -n "$slug" ] && [ -n "$room" ]
ok $? "the owner's personal room ($room)"

# --- The tokens, from the real pages. ---
set_lobby 1 t; ok $? "the owner turns the lobby on"
T_ON=$(token_of "$O") && [ "$(room_claim "$T_ON")" = '{"lobby": true}' ]
ok $? "the owner's token now carries context.room {\"lobby\": true}"
T_X=$(token_of "$X") && [ "$(room_claim "$T_X")" = none ]
ok $? "a participant's token does not"
set_lobby 0 f; ok $? "the owner turns the lobby off"
T_OFF=$(token_of "$O") && [ "$(room_claim "$T_OFF")" = none ]
ok $? "and the owner's token no longer carries it"
# What Sekkan never signs: a guest's token that claims moderation and the lobby.
T_G=$(/usr/bin/python3 -c 'import sys, time, jwt
print(jwt.encode({"iss": "sekkan", "aud": "jitsi", "sub": "meet.jitsi.example", "room": sys.argv[1],
  "nbf": int(time.time()) - 60, "exp": int(time.time()) + 3600,
  "context": {"user": {"id": "guest:open:x", "name": "Invitada", "email": "", "moderator": "true",
  "affiliation": "guest"}, "room": {"lobby": True}}}, sys.argv[2], algorithm="HS256"))' "$room" "$SECRET")
ok $? "a forged guest token with the lobby request"

# --- Prosody: accounts whose sessions get those tokens (the test context fixture). ---
LOBBY_PW=pw-$(room_name)
for a in lobby-on lobby-off lobby-x lobby-guest; do pctl register "$a" "$JDOMAIN" "$LOBBY_PW"; done
cat >"$STATE/conf/test-context.json" <<JSON
{"lobby-on": "$T_ON", "lobby-off": "$T_OFF", "lobby-x": "$T_X", "lobby-guest": "$T_G"}
JSON
chmod 0644 "$STATE/conf/test-context.json"
LOBBY_ROOM=$room
export LOBBY_ROOM LOBBY_PW
run_sim sala_lobby.py
T_N=$SIM_N

# The operator's log line, once, naming who asked.
n=$(grep -c "room $room@conference.$JDOMAIN: lobby on, asked by the token of user $OWNER" "$STATE/log/prosody.log")
[ "$n" = 1 ]
ok $? "prosody logs one line for the lobby turned on, with the owner's id ($n)"
! grep -q "no lobby module answered" "$STATE/log/prosody.log"
ok $? "and no error (the lobby stand-in answered)"

# The collector recorded these visits to the owner's room: gone once they ended, so the
# statistics other tests check are untouched.
ended() { [ "$(q "SELECT count(*) FROM jitsi_sessions WHERE room = '$room' AND started_at >= '$T_SINCE' AND ended_at IS NULL")" = 0 ]; }
wait_for ended
ok $? "the collector saw the room end"
collector_forget

#!/bin/sh
# t19_browser_schedule.sh: a scheduled meeting with two employees and two external guests,
# made in real headless Chromium with JavaScript off and the keyboard alone (Tab, Shift+Tab,
# typing, Enter), from /reuniones/nueva to the meeting's page and the owner's "Agendadas";
# then the invitee finds it under "Con invitación". browser_schedule.mjs drives the browser
# (see there for how focus is followed without a script); this script signs the two people in
# with curl, checks what was stored and what the invitee sees. Leaves log/nueva-360.png, the
# filled form on a 360-px phone, for a person to see.
. "$(dirname "$0")/lib.sh"

if ! command -v node >/dev/null 2>&1 || ! command -v chromium >/dev/null 2>&1; then
	ok 1 "node or chromium missing: tools/dev installs both"
	echo "1..$T_N"
	exit 0
fi

redis-cli -s "$STATE/run/redis.sock" --scan --pattern 'sekkan:fail-*' |
	xargs -r redis-cli -s "$STATE/run/redis.sock" del >/dev/null
O=$T_TMP/owner.jar I=$T_TMP/invitee.jar
signin demo1 "$O"
ok $? "the owner (demo1) signs in with curl; the browser gets the session's cookies"
signin demo2 "$I"
ok $? "the invitee (demo2, PELJ750315CD2) signs in with curl"

NAME="Revisión con teclado $$-$(date +%s)"
DATE=$(TZ=America/Mexico_City date -d '+2 days' +%F)
INTERNAL='PELJ750315CD2, moderador|100005'
EXTERNAL='consultora.t19@ejemplo.mx, moderador|proveedor.t19@ejemplo.mx'

mkdir -p "$T_TMP/chrome"
rm -f "$STATE/log/nueva-360.png"
BASE=$BASE JAR=$O WORK=$T_TMP/chrome SHOT=$STATE/log/nueva-360.png OUT=$T_TMP/meeting \
	NAME=$NAME DATE=$DATE TIME=16:45 MINUTES=45 ZONE=America/Merida DESC='Orden del día: avances' \
	INTERNAL=$INTERNAL EXTERNAL=$EXTERNAL \
	timeout -k 5 180 node "$ROOT/tests/integration/browser_schedule.mjs" >"$T_TMP/browser.out" 2>&1
rc=$?
# The driver's TAP lines come first, numbered from 3 on (after the two sign-ins above).
awk -v base="$T_N" '/^(not )?ok [0-9]+ / { n = $0; sub(/^(not )?ok [0-9]+/, "", n);
	k = ($1 == "not") ? "not ok" : "ok"; print k " " (++i + base) n; next } { print }' "$T_TMP/browser.out"
T_N=$((T_N + $(grep -cE '^(not )?ok [0-9]+ ' "$T_TMP/browser.out")))
# 0, or 1 with its failures printed above; not a timeout or a crash.
[ $rc -eq 0 ] || { [ $rc -eq 1 ] && grep -qE '^not ok ' "$T_TMP/browser.out"; }
ok $? "the browser driver ran to its end (exit status $rc)"

# Chromium is gone, with every process of its group (zombies waiting for init do not count).
live() { ps -eo pgid=,stat= | awk -v g="$1" '$1 == g && $2 !~ /^Z/ { n++ } END { exit !n }'; }
pid=$(cat "$T_TMP/chrome/chromium.pid" 2>/dev/null)
i=0
while [ -n "$pid" ] && live "$pid" && [ $i -lt 50 ]; do i=$((i + 1)); sleep 0.1; done
if [ -n "$pid" ] && live "$pid"; then
	kill -KILL "-$pid" 2>/dev/null
	ok 1 "Chromium was still running 5 s after the driver (killed now)"
else
	[ -n "$pid" ]
	ok $? "Chromium was started and is gone"
fi

# What was stored.
path=$(cat "$T_TMP/meeting" 2>/dev/null)
id=${path##*/}
case $id in '' | *[!0-9]*) id=0 ;; esac
[ "$id" != 0 ]
ok $? "the driver reports the new meeting (${path:-none})"
[ "$(q "SELECT kind || '|' || name || '|' || time_zone || '|' || to_char(starts_at AT TIME ZONE time_zone, 'YYYY-MM-DD HH24:MI') || '|' || duration_min || '|' || description FROM meetings WHERE id = $id")" = "scheduled|$NAME|America/Merida|$DATE 16:45|45|Orden del día: avances" ]
ok $? "stored as typed: scheduled, the name, $DATE 16:45 in America/Merida, 45 minutes, the description"
[ "$(q "SELECT string_agg(coalesce(rfc, email) || ':' || role, ',' ORDER BY coalesce(rfc, email)) FROM meeting_participants WHERE meeting_id = $id")" = "PELJ750315CD2:moderator,SAVC920704IJ5:participant,consultora.t19@ejemplo.mx:moderator,proveedor.t19@ejemplo.mx:participant" ]
ok $? "with its two employees (one by RFC, one by employee number) and two guests, and their roles"

# The invitee's lists.
fetch -b "$I" "$BASE/reuniones?vista=invitado"
[ "$STATUS" = 200 ] && grep -qF "<a href=\"/reuniones/$id\">$NAME</a>" "$T_TMP/body"
ok $? "the invitee sees it under \"Con invitación\" (status $STATUS)"
grep -qF 'aria-current="page">Con invitación</a>' "$T_TMP/body"
ok $? "that is the list marked as current"
fetch -b "$I" "$BASE/reuniones?vista=agendadas"
! grep -qF "href=\"/reuniones/$id\"" "$T_TMP/body"
ok $? "and not under their own \"Agendadas\""
fetch -b "$I" "$BASE/reuniones/$id"
[ "$STATUS" = 200 ] && grep -qF "$NAME" "$T_TMP/body" && grep -qF 'Juan Pérez López — moderador' "$T_TMP/body"
ok $? "the invitee opens its details and is listed there as moderator (status $STATUS)"

echo "1..$T_N"

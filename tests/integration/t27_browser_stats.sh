#!/bin/sh
# t27_browser_stats.sh: Tablero and Mi perfil in headless Chromium without JavaScript, at 360 px
# and at desktop width: nothing overflows sideways (browser_stats.mjs). Runs after t26, whose
# data set gives the pages charts and a calendar; leaves log/tablero-360.png and friends.
. "$(dirname "$0")/lib.sh"

if ! command -v node >/dev/null 2>&1 || ! command -v chromium >/dev/null 2>&1; then
	ok 1 "node or chromium missing: tools/dev installs both"
	exit 0
fi
U=$T_TMP/u.jar
q "UPDATE users SET status = 'active' WHERE rfc = 'HERL851130GH4'" >/dev/null
signin demo3 "$U"; ok $? "demo3 signs in with curl; the browser gets the session's cookies"
mkdir -p "$T_TMP/chrome"
BASE=$BASE JAR=$U WORK=$T_TMP/chrome SHOTS=$STATE/log \
	timeout -k 5 180 node "$ROOT/tests/integration/browser_stats.mjs" >"$T_TMP/browser.out" 2>&1
rc=$?
awk -v base="$T_N" '/^(not )?ok [0-9]+ / { n = $0; sub(/^(not )?ok [0-9]+/, "", n);
	k = ($1 == "not") ? "not ok" : "ok"; print k " " (++i + base) n; next } { print }' "$T_TMP/browser.out"
T_N=$((T_N + $(grep -cE '^(not )?ok [0-9]+ ' "$T_TMP/browser.out")))
[ $rc -eq 0 ] || { [ $rc -eq 1 ] && grep -qE '^not ok ' "$T_TMP/browser.out"; }
ok $? "the browser driver ran to its end (exit status $rc)"
pid=$(cat "$T_TMP/chrome/chromium.pid" 2>/dev/null)
i=0
live() { ps -eo pgid=,stat= | awk -v g="$1" '$1 == g && $2 !~ /^Z/ { n++ } END { exit !n }'; }
while [ -n "$pid" ] && live "$pid" && [ $i -lt 50 ]; do i=$((i + 1)); sleep 0.1; done
if [ -n "$pid" ] && live "$pid"; then
	kill -KILL "-$pid" 2>/dev/null
	ok 1 "Chromium was still running 5 s after the driver (killed now)"
else
	[ -n "$pid" ]
	ok $? "Chromium was started and is gone"
fi

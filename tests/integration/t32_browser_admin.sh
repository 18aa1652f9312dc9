#!/bin/sh
# t32_browser_admin.sh: each administration page in real headless Chromium, JavaScript off, at
# 360 px and at desktop width, with data in every table (browser_admin.mjs drives the browser):
# nothing overflows horizontally. Screenshots stay in log/admin-*.png for a person to see.
. "$(dirname "$0")/lib.sh"

if ! command -v node >/dev/null 2>&1 || ! command -v chromium >/dev/null 2>&1; then
	ok 1 "node or chromium missing: tools/dev installs both"
	echo "1..$T_N"
	exit 0
fi
CTL="$ROOT/tools/sekkanctl -c $STATE/conf/sekkan.hdf"
RC="redis-cli -s $STATE/run/redis.sock"
$RC --scan --pattern 'sekkan:fail-*' | xargs -r $RC del >/dev/null
A=$T_TMP/admin.jar
signin demo1 "$A"
ok $? "demo1 signs in with curl; the browser gets the session's cookies"
$CTL grant-admin GOMA800101AB1 >/dev/null
ok $? "demo1 is an administrator"

# Long names and many bridges are what would push a phone's page sideways.
day=$(TZ=America/Mexico_City date +%F)
runuser -u sekkan -- psql -X -q -v ON_ERROR_STOP=1 -h "$STATE/run" -d sekkan <<SQL >/dev/null
INSERT INTO bridges (name) SELECT 't32-videopuente-con-un-nombre-largo-' || g FROM generate_series(1, 4) g
ON CONFLICT (name) DO NOTHING;
INSERT INTO bridge_minutes (bridge_id, minute, samples, stress_sum, stress_max, bitrate_down_sum, endpoints_max)
SELECT b.id, date_trunc('hour', now()) - g * interval '1 hour', 1, 0.3, 0.5, 90000, 30
FROM bridges b, generate_series(0, 5) g WHERE b.name LIKE 't32-%'
ON CONFLICT DO NOTHING;
INSERT INTO jitsi_sessions (room, kind, started_at, ended_at)
SELECT 't32-sala-' || g, 'unknown', now() - g * interval '2 hours', now() - g * interval '2 hours' + interval '45 minutes'
FROM generate_series(1, 5) g ON CONFLICT DO NOTHING;
SQL
ok $? "some bridges and sessions for the tables"
now=$(date +%s)
$RC zadd sekkan:tel:bridges "$now" t32-videopuente-con-un-nombre-largo-1 >/dev/null
$RC hset sekkan:tel:bridge:t32-videopuente-con-un-nombre-largo-1 stress 0.42 bit_rate_download 123456 \
	bit_rate_upload 65432 conferences 12 participants 140 available 1 seen "$now" region mx-norte >/dev/null

mkdir -p "$T_TMP/chrome"
rm -f "$STATE"/log/admin-*.png
BASE=$BASE JAR=$A WORK=$T_TMP/chrome SHOTS=$STATE/log \
	PAGES="/admin /admin?auto=1 /admin/infraestructura /admin/uso /admin/cruce?dia=$day /admin/capacidad /admin/cuentas /admin/correo" \
	timeout -k 5 300 node "$ROOT/tests/integration/browser_admin.mjs" >"$T_TMP/browser.out" 2>&1
rc=$?
awk -v base="$T_N" '/^(not )?ok [0-9]+ / { n = $0; sub(/^(not )?ok [0-9]+/, "", n);
	k = ($1 == "not") ? "not ok" : "ok"; print k " " (++i + base) n; next } { print }' "$T_TMP/browser.out"
T_N=$((T_N + $(grep -cE '^(not )?ok [0-9]+ ' "$T_TMP/browser.out")))
[ $rc -eq 0 ] || { [ $rc -eq 1 ] && grep -qE '^not ok ' "$T_TMP/browser.out"; }
ok $? "the browser driver ran to its end (exit status $rc)"
[ "$(grep -c '^ok .*nothing overflows' "$T_TMP/browser.out")" = 16 ]
ok $? "eight pages at two widths were measured"

$CTL revoke-admin GOMA800101AB1 >/dev/null
echo "1..$T_N"

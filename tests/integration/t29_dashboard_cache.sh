#!/bin/sh
# t29_dashboard_cache.sh: /tablero's figures come from a per-user Redis cache (tablero.c), and
# still every change a person makes shows at once: a new meeting for its owner and invitee,
# someone removed from one, a cancellation (ustats_commit drops the hashes the transaction
# touched, sql/014). What the collector writes (attendance) shows within the cache's life:
# Tablero.CacheSeconds. A damaged entry is rebuilt, not shown.
. "$(dirname "$0")/lib.sh"
R() { redis-cli -s "$STATE/run/redis.sock" "$@"; }
R --scan --pattern 'sekkan:fail-*' | xargs -r redis-cli -s "$STATE/run/redis.sock" del >/dev/null
A=$T_TMP/a.jar B=$T_TMP/b.jar
signin demo1 "$A"; ok $? "the owner signs in"
signin demo2 "$B"; ok $? "the invitee signs in"
AID=$(q "SELECT id FROM users WHERE rfc = 'GOMA800101AB1'")
BID=$(q "SELECT id FROM users WHERE rfc = 'PELJ750315CD2'")
AZONE=$(q "SELECT time_zone FROM users WHERE id = $AID")
TOMORROW=$(TZ=$AZONE date -d tomorrow +%F)
WEEK="$BASE/tablero?semana=$TOMORROW"
# tiles N: the "sessions" tile of the last page.
tiles() { sed -n 's/.*<dd id="t-sessions">\([0-9]*\)<\/dd>.*/\1/p' "$T_TMP/body"; }
# meeting URL NAME HOUR INTERNOS: the owner posts the new-meeting (URL /reuniones/nueva) or
# edit form for tomorrow at HOUR, 30 minutes, with those employees.
meeting() {
	fetch -b "$A" "$BASE$1"
	fetch -b "$A" -X POST --data-urlencode "csrf=$(field csrf)" -d tipo=programada --data-urlencode "nombre=$2" \
		-d "fecha=$TOMORROW" -d "hora=$3" -d duracion=30 -d "zona=$AZONE" --data-urlencode "internos=$4" "$BASE$1"
}

# --- The cache is there and serves. ---
fetch -b "$A" "$WEEK"
is_status 200 "the owner's dashboard, the week of tomorrow"
fetch -b "$B" "$WEEK"
is_status 200 "the invitee's"
[ "$(R EXISTS "sekkan:dash:$AID")" = 1 ] && [ "$(R HEXISTS "sekkan:dash:$AID" "es|$TOMORROW")" = 1 ] &&
	R HGET "sekkan:dash:$AID" "es|$TOMORROW" | grep -aqF "es|$AZONE|$TOMORROW"
ok $? "the view is cached in the owner's hash, a field per language and week, for its zone"
ttl=$(R TTL "sekkan:dash:$AID")
[ "$ttl" -gt 0 ] && [ "$ttl" -le 60 ]
ok $? "the hash expires within Tablero.CacheSeconds (TTL $ttl)"
# A meeting written straight into the database (no program, no ustats_commit) is not seen:
# proof that what follows is served with the cache on.
q "INSERT INTO meetings (room, owner_id, kind, name, starts_at, duration_min, ends_at, time_zone)
   VALUES ('cachedirectaaaaaaaaaaaaaaaa', $AID, 'scheduled', 'Escrita sin programa',
   ('$TOMORROW 08:00'::timestamp AT TIME ZONE '$AZONE'), 30,
   ('$TOMORROW 08:30'::timestamp AT TIME ZONE '$AZONE'), '$AZONE')" >/dev/null
fetch -b "$A" "$WEEK"
body_lacks 'Escrita sin programa' "a change behind the programs' back waits for the cache"

# --- A new meeting with an invitee: both dashboards at once. ---
meeting /reuniones/nueva 'Tablero al instante' 10:00 PELJ750315CD2
is_status 303 "the owner schedules a meeting for tomorrow with demo2"
m1=$(loc); m1=${m1##*/}
fetch -b "$A" "$WEEK"
body_has "<a href=\"/reuniones/$m1\">10:00 Tablero al instante</a>" "the owner's calendar shows it at once"
body_has 'Escrita sin programa' "and, the hash dropped, what was written behind its back"
fetch -b "$B" "$WEEK"
body_has "<a href=\"/reuniones/$m1\">10:00 Tablero al instante</a>" "the invitee's calendar shows it at once"

# --- The invitee removed and the meeting renamed: each sees their side at once. ---
meeting "/reuniones/$m1/editar" 'Tablero sin invitado' 10:00 ''
is_status 303 "the owner removes demo2 and renames the meeting"
fetch -b "$B" "$WEEK"
body_lacks "/reuniones/$m1\"" "it leaves the removed invitee's calendar at once"
fetch -b "$A" "$WEEK"
body_has "10:00 Tablero sin invitado" "the owner's calendar has the new name at once"

# --- Only a new name (no row of ustats_meetings changes): still at once. ---
meeting "/reuniones/$m1/editar" 'Tablero renombrada' 10:00 ''
is_status 303 "the owner changes only the name"
fetch -b "$A" "$WEEK"
body_has "10:00 Tablero renombrada" "the new name on the owner's calendar at once"

# --- A cancellation: gone from both at once. ---
meeting /reuniones/nueva 'Tablero por cancelar' 11:00 PELJ750315CD2
is_status 303 "a second meeting with demo2"
m2=$(loc); m2=${m2##*/}
fetch -b "$B" "$WEEK"
body_has "11:00 Tablero por cancelar" "a second meeting with demo2 on their calendar"
fetch -b "$A" "$BASE/reuniones/$m2"
fetch -b "$A" -X POST -d "csrf=$(field csrf)&accion=cancelar" "$BASE/reuniones/$m2"
is_status 303 "the owner cancels it"
fetch -b "$B" "$WEEK"
body_lacks "Tablero por cancelar" "the cancelled meeting vanishes from the invitee's calendar at once"
fetch -b "$A" "$WEEK"
body_lacks "Tablero por cancelar" "and from the owner's"

# --- Attendance, as the collector writes it: within the cache's life. ---
fetch -b "$A" "$BASE/tablero"
before=$(tiles)
[ -n "$before" ]
ok $? "the sessions tile before ($before)"
q "INSERT INTO meetings (id, room, owner_id, kind, name, starts_at, duration_min, ends_at, time_zone)
   VALUES (929001, 'cacheasistenciaaaaaaaaaaaaa', $AID, 'scheduled', 'Ya terminó',
   now() - interval '2 hours', 30, now() - interval '90 minutes', '$AZONE');
   INSERT INTO jitsi_sessions (id, room, kind, meeting_id, started_at, ended_at, peak_participants)
   VALUES (929001, 'cacheasistenciaaaaaaaaaaaaa', 'meeting', 929001, now() - interval '2 hours',
   now() - interval '95 minutes', 1);
   INSERT INTO attendance (session_id, person, user_id, name, external, first_join, last_leave, seconds)
   VALUES (929001, 'u:$AID', $AID, 'Ana', false, now() - interval '2 hours', now() - interval '95 minutes', 1500)" >/dev/null
fetch -b "$A" "$BASE/tablero"
[ "$(tiles)" = "$before" ]
ok $? "right after the collector's write the cached tile still says $before"
# The expiry is the rule; bring it forward instead of waiting a minute.
R PEXPIRE "sekkan:dash:$AID" 1 >/dev/null
wait_for sh -c "[ \"\$(redis-cli -s '$STATE/run/redis.sock' EXISTS 'sekkan:dash:$AID')\" = 0 ]"
ok $? "the hash expires"
fetch -b "$A" "$BASE/tablero"
[ "$(tiles)" = $((before + 1)) ]
ok $? "once expired, the attended meeting counts (tile $(tiles), want $((before + 1)))"

# --- A damaged entry is rebuilt from PostgreSQL, never shown. ---
R HSET "sekkan:dash:$AID" "es|" "$(date +%s)" >/dev/null
fetch -b "$A" "$BASE/tablero"
is_status 200 "a damaged cache entry still gives the page"
[ "$(tiles)" = $((before + 1)) ]
ok $? "with the figures from the database"
# forge UID VIEW AGE HTML: an entry as tablero.c writes it, signed with this instance's secret,
# AGE seconds old (what only a holder of the secret can make).
forge() {
	python3 -c 'import base64, hashlib, hmac, sys, time
key = open(sys.argv[1], "rb").read()[:64]
text = b"\0".join([b"dash2", str(int(time.time()) - int(sys.argv[4])).encode(), sys.argv[2].encode(),
    sys.argv[3].encode(), b"<i>Unidad firmada</i>", sys.argv[5].encode()])
mac = base64.urlsafe_b64encode(hmac.new(key, text, hashlib.sha256).digest()).rstrip(b"=")
sys.stdout.buffer.write(mac + b"\0" + text)' "$STATE/conf/secret" "$@"
}
F="es|" V="es|$AZONE|"
forge "$AID" "$V" 0 '<p>firmada-al-dia</p>' | R -x HSET "sekkan:dash:$AID" "$F" >/dev/null
fetch -b "$A" "$BASE/tablero"
body_has '<p>firmada-al-dia</p>' "a fresh entry signed with the secret is used (the test speaks the format)"
body_has '<dd>&lt;i&gt;Unidad firmada&lt;/i&gt;</dd>' "the unit's name kept with it is data, escaped in the page"
forge "$AID" "$V" 3600 '<p>firmada-vieja</p>' | R -x HSET "sekkan:dash:$AID" "$F" >/dev/null
fetch -b "$A" "$BASE/tablero"
grep -qF 'firmada-vieja' "$T_TMP/body" || [ "$(tiles)" != $((before + 1)) ]
[ $? -ne 0 ]
ok $? "an entry older than Tablero.CacheSeconds is not used"
forge "$BID" "$V" 0 '<p>firmada-para-otro</p>' | R -x HSET "sekkan:dash:$AID" "$F" >/dev/null
fetch -b "$A" "$BASE/tablero"
body_lacks 'firmada-para-otro' "an entry signed for another user, put in this user's hash, is refused"
forge "$AID" "en|$AZONE|" 0 '<p>firmada-otra-vista</p>' | R -x HSET "sekkan:dash:$AID" "$F" >/dev/null
fetch -b "$A" "$BASE/tablero"
body_lacks 'firmada-otra-vista' "an entry signed for another language, put in this one's field, is refused"
OZ=America/Tijuana
[ "$AZONE" != "$OZ" ] || OZ=America/Cancun
forge "$AID" "es|$OZ|" 0 '<p>firmada-otra-zona</p>' | R -x HSET "sekkan:dash:$AID" "$F" >/dev/null
fetch -b "$A" "$BASE/tablero"
body_lacks 'firmada-otra-zona' "an entry signed for another zone is not shown"
printf 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\0dash2\0%s\0%s\0%s\0U\0<script>alert(29)</script>' \
	"$(date +%s)" "$AID" "$V" | R -x HSET "sekkan:dash:$AID" "$F" >/dev/null
fetch -b "$A" "$BASE/tablero"
{ [ "$STATUS" = 200 ] && ! grep -qF '<script>alert(29)' "$T_TMP/body" && [ "$(tiles)" = $((before + 1)) ]; }
ok $? "HTML written into Redis without the secret is never shown: the figures come from the database"
grep -q 'damaged or forged cache entry' "$STATE/log/tablero.log"
ok $? "and the operator's log says so"

# --- The view comes with the session, in one Redis round trip (a Lua script). ---
R SCRIPT FLUSH >/dev/null
fetch -b "$A" "$WEEK"
{ [ "$STATUS" = 200 ] && grep -qF 'aria-labelledby="cal-h"' "$T_TMP/body"; }
ok $? "after Redis forgets its scripts the page is whole (the script is sent again)"
mon=$T_TMP/monitor
timeout 3 redis-cli -s "$STATE/run/redis.sock" MONITOR >"$mon" 2>/dev/null &
sleep 0.5
fetch -b "$A" "$WEEK"
sleep 0.5
wait
grep -v 'lua\]' "$mon" | grep -E '"sekkan:(sess|dash):' >"$T_TMP/client-cmds"
[ "$(wc -l <"$T_TMP/client-cmds")" -eq 1 ] && grep -qF '"EVALSHA"' "$T_TMP/client-cmds" && grep -q 'lua\].*"HGET" "sekkan:dash:' "$mon"
ok $? "a cached view costs the page one Redis command, EVALSHA, whose script reads the view ($(tr '\n' ' ' <"$T_TMP/client-cmds" | cut -c1-200))"

# --- The kept HTML is the figures' alone; the page around it is made on every request. ---
R DEL "sekkan:dash:$AID" >/dev/null
fetch -b "$A" "$WEEK"
cp "$T_TMP/body" "$T_TMP/computed"
fetch -b "$A" "$WEEK"
cmp -s "$T_TMP/computed" "$T_TMP/body"
ok $? "the page from the cache is the computed page, byte for byte"
R HGET "sekkan:dash:$AID" "es|$TOMORROW" >"$T_TMP/entry"
grep -aqF 'aria-labelledby="cal-h"' "$T_TMP/entry" && ! grep -aqF 'name="csrf"' "$T_TMP/entry" &&
	! grep -aqF 'GOMA800101AB1' "$T_TMP/entry" && ! grep -aqF '<html' "$T_TMP/entry"
ok $? "the entry holds the figures' HTML, nothing of the request (no CSRF token, no RFC, no layout)"

# --- Hostile text in a meeting's name stays escaped through the cache. ---
meeting /reuniones/nueva '<script>alert("t29")</script> & <b>x' 12:00 ''
is_status 303 "a meeting whose name is HTML"
m3=$(loc); m3=${m3##*/}
esc='12:00 &lt;script&gt;alert(&quot;t29&quot;)&lt;/script&gt; &amp; &lt;b&gt;x</a>'
fetch -b "$A" "$WEEK"
{ grep -qF "$esc" "$T_TMP/body" && ! grep -qF '<script>alert' "$T_TMP/body" && ! grep -qF '<b>x' "$T_TMP/body"; }
ok $? "computed: the name is escaped"
fetch -b "$A" "$WEEK"
{ grep -qF "$esc" "$T_TMP/body" && ! grep -qF '<script>alert' "$T_TMP/body" && ! grep -qF '<b>x' "$T_TMP/body"; }
ok $? "from the cache: escaped the same"
fetch -b "$A" "$BASE/reuniones/$m3"
fetch -b "$A" -X POST -d "csrf=$(field csrf)&accion=cancelar" "$BASE/reuniones/$m3"

# --- One view per language, zone and week. ---
fetch -b "$A" "$WEEK"
body_has 'Mis estadísticas' "the Spanish view"
fetch -b "$A" -X POST -d "csrf=$(field csrf)&lang=en&volver=/tablero" "$BASE/idioma"
fetch -b "$A" "$WEEK"
{ grep -qF 'My statistics' "$T_TMP/body" && grep -qF 'My week' "$T_TMP/body" && ! grep -qF 'Mis estadísticas' "$T_TMP/body"; }
ok $? "after the switch to English, the figures are in English at once"
[ "$(R HEXISTS "sekkan:dash:$AID" "es|$TOMORROW")$(R HEXISTS "sekkan:dash:$AID" "en|$TOMORROW")" = 11 ]
ok $? "both languages' views are kept, apart"
fetch -b "$A" -X POST -d "csrf=$(field csrf)&lang=es&volver=/tablero" "$BASE/idioma"
fetch -b "$A" "$WEEK"
body_has 'Mis estadísticas' "back in Spanish, the Spanish view"
OTHER=America/Tijuana
[ "$AZONE" != "$OTHER" ] || OTHER=America/Cancun
q "UPDATE users SET time_zone = '$OTHER' WHERE id = $AID" >/dev/null
fetch -b "$A" "$WEEK"
body_has "$OTHER" "a zone changed even behind the programs' back shows at once (another view)"
q "UPDATE users SET time_zone = '$AZONE' WHERE id = $AID" >/dev/null
fetch -b "$A" "$WEEK"
body_lacks "$OTHER" "and back"
NEXT=$(TZ=$AZONE date -d '8 days' +%F)
fetch -b "$A" "$BASE/tablero?semana=$NEXT"
from_next=$(sed -n 's/.*<h2 id="cal-h">[^:]*: \([0-9/]*\) .*/\1/p' "$T_TMP/body")
fetch -b "$A" "$WEEK"
from_this=$(sed -n 's/.*<h2 id="cal-h">[^:]*: \([0-9/]*\) .*/\1/p' "$T_TMP/body")
[ -n "$from_next" ] && [ -n "$from_this" ] && [ "$from_next" != "$from_this" ]
ok $? "each week its own view ($from_this, $from_next)"

# --- The unit's name comes with the figures (the account read is one table): within their life. ---
UNIT=$(q "SELECT un.name FROM users u JOIN directory d ON d.employee_no = u.employee_no JOIN units un ON un.id = d.unit_id WHERE u.id = $AID")
fetch -b "$A" "$WEEK"
[ -n "$UNIT" ] && grep -qF "<dd>$UNIT</dd>" "$T_TMP/body"
ok $? "the owner's unit from the directory ($UNIT)"
UID_UNIT=$(q "SELECT d.unit_id FROM users u JOIN directory d ON d.employee_no = u.employee_no WHERE u.id = $AID")
q "UPDATE units SET name = 'Unidad renombrada' WHERE id = $UID_UNIT" >/dev/null
R PEXPIRE "sekkan:dash:$AID" 1 >/dev/null
wait_for sh -c "[ \"\$(redis-cli -s '$STATE/run/redis.sock' EXISTS 'sekkan:dash:$AID')\" = 0 ]"
fetch -b "$A" "$WEEK"
body_has '<dd>Unidad renombrada</dd>' "a renamed unit shows once the cached view expires"
q "UPDATE units SET name = '$UNIT' WHERE id = $UID_UNIT" >/dev/null

# --- The account is read on every request, cached view or not. ---
q "UPDATE users SET role = 'admin' WHERE id = $AID" >/dev/null
fetch -b "$A" "$WEEK"
body_has 'href="/admin/cuentas"' "a role granted shows on the next request"
q "UPDATE users SET role = 'employee' WHERE id = $AID" >/dev/null
fetch -b "$A" "$WEEK"
body_lacks 'href="/admin/cuentas"' "a role revoked shows on the very next request, the view cached"
ANAME=$(q "SELECT name FROM users WHERE id = $AID")
q "UPDATE users SET name = 'Ana Renombrada' WHERE id = $AID" >/dev/null
fetch -b "$A" "$WEEK"
body_has 'Ana Renombrada' "so does a new name"
q "UPDATE users SET name = '$ANAME' WHERE id = $AID" >/dev/null
fetch -b "$B" "$WEEK"
[ "$STATUS" = 200 ] && [ "$(R HEXISTS "sekkan:dash:$BID" "es|$TOMORROW")" = 1 ]
ok $? "the invitee's view is cached"
q "UPDATE users SET status = 'disabled' WHERE id = $BID" >/dev/null
fetch -b "$B" "$WEEK"
{ [ "$STATUS" = 403 ] && ! grep -qF 'aria-labelledby="cal-h"' "$T_TMP/body"; }
ok $? "a disabled account is refused on the very next request, its view still cached (status $STATUS)"
q "UPDATE users SET status = 'active' WHERE id = $BID" >/dev/null
fetch -b "$B" "$WEEK"
[ "$STATUS" = 303 ]
ok $? "and its session is gone (status $STATUS)"

# --- A rollback leaves nothing to drop; the trigger lists each user once. ---
got=$(printf '%s\n' 'BEGIN;' "UPDATE meetings SET starts_at = starts_at + interval '1 minute', ends_at = ends_at + interval '1 minute' WHERE id = $m1;" \
	"UPDATE meetings SET starts_at = starts_at + interval '1 minute', ends_at = ends_at + interval '1 minute' WHERE id = $m1;" \
	"SELECT 'touched=' || current_setting('sekkan.ustats_touched', true);" 'ROLLBACK;' |
	runuser -u sekkan -- psql -X -tA -h "$STATE/run" -d sekkan | sed -n 's/^touched=//p')
[ "$got" = "$AID" ]
ok $? "the transaction's touched users: the owner once (got '$got')"
# --- A guest's display name (Jitsi's, chosen by the guest) stays escaped, computed or cached. ---
q "INSERT INTO attendance (session_id, person, user_id, name, external, first_join, last_leave, seconds)
   VALUES (929001, 'g:t29', NULL, '<img src=x onerror=alert(29)>', true, now() - interval '2 hours',
   now() - interval '100 minutes', 600)" >/dev/null
R DEL "sekkan:dash:$AID" >/dev/null
fetch -b "$A" "$BASE/tablero"
{ grep -qF '&lt;img src=x onerror=alert(29)&gt;' "$T_TMP/body" && ! grep -qF '<img src=x' "$T_TMP/body"; }
ok $? "computed: a guest's hostile name is escaped in the guests list"
fetch -b "$A" "$BASE/tablero"
{ grep -qF '&lt;img src=x onerror=alert(29)&gt;' "$T_TMP/body" && ! grep -qF '<img src=x' "$T_TMP/body"; }
ok $? "from the cache: the same"
q "DELETE FROM attendance WHERE session_id = 929001; DELETE FROM jitsi_sessions WHERE id = 929001;
   DELETE FROM meetings WHERE id = 929001 OR room = 'cachedirectaaaaaaaaaaaaaaaa'" >/dev/null

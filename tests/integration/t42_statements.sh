#!/bin/sh
# t42_statements.sh: statements prepared once per connection (lib/db.c) stay right across
# many requests, every filter combination of Mis reuniones, a PostgreSQL restart and a
# column type changed under them; /j/ too.
. "$(dirname "$0")/lib.sh"
redis-cli -s "$STATE/run/redis.sock" --scan --pattern 'sekkan:fail-*' | xargs -r redis-cli -s "$STATE/run/redis.sock" del >/dev/null
J=$T_TMP/fisica.jar
# (t13 disables demo3; fisica, María José Núñez Peña, stays active.)
signin fisica "$J"; ok $? "fisica signs in"
uid=$(q "SELECT id FROM users WHERE rfc = 'NUPM800101AB1'")
[ -n "$uid" ]
ok $? "fisica has an account"

# Four upcoming meetings (noon, Mexico City), apart in name, length and day.
q "INSERT INTO meetings (room, owner_id, kind, name, starts_at, duration_min, ends_at, time_zone)
	SELECT 'tcuarentaydos' || lpad(i::text, 13, '0'), $uid, 'scheduled', n, s, d,
		s + d * interval '1 minute', 'America/Mexico_City'
	FROM (VALUES (1, 'stmt-alfa', 30, 3), (2, 'stmt-beta', 60, 4), (3, 'stmt-gama', 90, 5),
		(4, 'stmt-alfa-bis', 120, 6)) AS v(i, n, d, days),
	LATERAL (SELECT ((current_date + days)::timestamp + interval '12 hours')
		AT TIME ZONE 'America/Mexico_City' AS s) AS t" >/dev/null
ok $? "four meetings for fisica"
D4=$(TZ=America/Mexico_City date -d '+4 days' +%F)
D5=$(TZ=America/Mexico_City date -d '+5 days' +%F)

# names URL: the stmt-* names listed, in order, on one line.
names() {
	fetch -b "$J" "$1"
	[ "$STATUS" = 200 ] || { echo "status $STATUS"; return; }
	grep -o 'stmt-[a-z-]*' "$T_TMP/body" | tr '\n' ' '
}
# PostgreSQL plans a prepared statement generically from its sixth run: 8 rounds over 2
# workers take every variant past that.
bad=0
i=0
while [ $i -lt 8 ]; do
	i=$((i + 1))
	[ "$(names "$BASE/reuniones")" = "stmt-alfa stmt-beta stmt-gama stmt-alfa-bis " ] || bad=$((bad + 1))
	[ "$(names "$BASE/reuniones?q=alfa")" = "stmt-alfa stmt-alfa-bis " ] || bad=$((bad + 1))
	[ "$(names "$BASE/reuniones?dmin=60&dmax=90")" = "stmt-beta stmt-gama " ] || bad=$((bad + 1))
	[ "$(names "$BASE/reuniones?desde=$D4&hasta=$D5")" = "stmt-beta stmt-gama " ] || bad=$((bad + 1))
	[ "$(names "$BASE/reuniones?q=alfa&dmin=100&desde=$D4")" = "stmt-alfa-bis " ] || bad=$((bad + 1))
	[ "$(names "$BASE/reuniones?vista=pasadas&q=stmt")" = "" ] || bad=$((bad + 1))
done
[ $bad -eq 0 ]
ok $? "48 lists with and without filters, each with the right meetings ($bad wrong)"

# The join link of one of them, many times: the meeting and the person are read every time.
room=$(q "SELECT room FROM meetings WHERE name = 'stmt-beta' AND owner_id = $uid")
q "UPDATE meetings SET starts_at = now(), ends_at = now() + interval '60 minutes' WHERE room = '$room'" >/dev/null
bad=0
i=0
while [ $i -lt 8 ]; do
	i=$((i + 1))
	fetch -b "$J" "$BASE/j/$room"
	[ "$STATUS" = 302 ] || bad=$((bad + 1))
done
[ $bad -eq 0 ]
ok $? "8 joins of an open meeting: 302 to Jitsi each time ($bad not)"
q "UPDATE meetings SET status = 'cancelled' WHERE room = '$room'" >/dev/null
fetch -b "$J" "$BASE/j/$room"
[ "$STATUS" != 302 ]
ok $? "cancelled: the next join is refused at once (status $STATUS)"

# A restart: every worker's connection and its statements are gone.
"$ROOT/tools/dev" service "$STATE" postgres stop
"$ROOT/tools/dev" service "$STATE" postgres start
listed() { [ "$(names "$BASE/reuniones?q=alfa")" = "stmt-alfa stmt-alfa-bis " ]; }
wait_for listed
ok $? "after a PostgreSQL restart the lists are right again"
bad=0
i=0
while [ $i -lt 6 ]; do
	i=$((i + 1))
	listed || bad=$((bad + 1))
done
[ $bad -eq 0 ]
ok $? "and stay right on every worker ($bad wrong)"

# A migration changing a column's type under the kept plans ("cached plan must not change
# result type"): the statement is prepared again, the page does not fail.
q "ALTER TABLE meetings ALTER COLUMN name TYPE varchar(200)" >/dev/null
bad=0
i=0
while [ $i -lt 6 ]; do
	i=$((i + 1))
	listed || bad=$((bad + 1))
done
q "ALTER TABLE meetings ALTER COLUMN name TYPE text" >/dev/null
[ $bad -eq 0 ]
ok $? "a column type changed under the statements: 6 lists still right ($bad wrong)"
grep -q '0A000: .*preparing again' "$STATE/log/reuniones.log"
ok $? "the operator log says the statement was prepared again"

q "DELETE FROM meetings WHERE owner_id = $uid AND name LIKE 'stmt-%'" >/dev/null
echo "1..$T_N"

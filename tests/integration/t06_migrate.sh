#!/bin/sh
# t06_migrate.sh: sekkanctl migrate: in order, recorded, one transaction each, safe to re-run.
. "$(dirname "$0")/lib.sh"
CTL="$ROOT/tools/sekkanctl -c $STATE/conf/sekkan.hdf"
q() { runuser -u sekkan -- psql -X -tA -h "$STATE/run" -d sekkan -c "$1"; }

out=$($CTL migrate 2>&1)
echo "$out" | grep -q '^0 migration(s) applied, database is current$'
ok $? "re-running migrate applies nothing"
$CTL status | grep -q '^applied  001_core.sql$'
ok $? "status lists 001_core.sql as applied"
[ "$(q "SELECT count(*) FROM schema_migrations WHERE version = 1")" = 1 ]
ok $? "recorded once"
for t in units directory users audit_log; do
	[ "$(q "SELECT to_regclass('public.$t') IS NOT NULL")" = t ]
	ok $? "table $t exists"
done

# A broken migration leaves nothing behind, and the next good one still applies later.
d=$T_TMP/sql
mkdir -p "$d"
cp "$ROOT"/sql/*.sql "$d/"
cat >"$d/900_test_broken.sql" <<'SQL'
CREATE TABLE t900_partial (id int);
SELECT no_such_function();
SQL
! $CTL migrate -d "$d" >"$T_TMP/out" 2>&1
ok $? "a failing migration makes migrate fail"
grep -q '900_test_broken.sql not applied; nothing of it was kept' "$T_TMP/out"
ok $? "and says which one"
[ "$(q "SELECT to_regclass('public.t900_partial') IS NULL")" = t ]
ok $? "its first statement was rolled back"
[ "$(q "SELECT count(*) FROM schema_migrations WHERE version = 900")" = 0 ]
ok $? "it is not recorded"
printf 'CREATE TABLE t900_ok (id int);\n' >"$d/900_test_broken.sql"
$CTL migrate -d "$d" >/dev/null 2>&1
ok $? "once fixed, it applies"
q "DROP TABLE t900_ok; DELETE FROM schema_migrations WHERE version = 900" >/dev/null
cp "$d/001_core.sql" "$d/001_dup.sql"
! $CTL migrate -d "$d" >"$T_TMP/out" 2>&1
ok $? "two files with one number are refused"

# Two nodes migrating at once: the advisory lock serialises them.
rm -f "$d/001_dup.sql"
printf 'CREATE TABLE t901 (id int);\n' >"$d/901_test_race.sql"
$CTL migrate -d "$d" >"$T_TMP/a" 2>&1 & a=$!
$CTL migrate -d "$d" >"$T_TMP/b" 2>&1 & b=$!
wait $a; ra=$?
wait $b; rb=$?
[ $ra -eq 0 ] && [ $rb -eq 0 ]
ok $? "two concurrent runs both succeed"
[ "$(q "SELECT count(*) FROM schema_migrations WHERE version = 901")" = 1 ]
ok $? "and apply the migration once"
q "DROP TABLE t901; DELETE FROM schema_migrations WHERE version = 901" >/dev/null

# The schema refuses what the validators refuse.
! q "INSERT INTO directory (employee_no, rfc, name) VALUES ('9', 'bad', 'X')" >/dev/null 2>&1
ok $? "the directory refuses a malformed RFC"

echo "1..$T_N"

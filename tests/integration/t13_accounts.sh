#!/bin/sh
# t13_accounts.sh: administrators and accounts: the admin page is invisible to others, approving,
# disabling (which ends sessions at once), signed cartas for download, roles and the directory import.
. "$(dirname "$0")/lib.sh"
CTL="$ROOT/tools/sekkanctl -c $STATE/conf/sekkan.hdf"
redis-cli -s "$STATE/run/redis.sock" --scan --pattern 'sekkan:fail-*' | xargs -r redis-cli -s "$STATE/run/redis.sock" del >/dev/null
A=$T_TMP/admin.jar
E=$T_TMP/employee.jar

signin demo1 "$A"
ok $? "demo1 signs in and signs the carta"
fetch -b "$A" "$BASE/admin/cuentas"
is_status 404 "the admin page does not exist for an employee"
$CTL grant-admin NOPE800101AB1 >/dev/null 2>"$T_TMP/err"
[ $? -ne 0 ] && grep -q 'no account with RFC NOPE800101AB1' "$T_TMP/err"
ok $? "grant-admin names an RFC without an account"
$CTL grant-admin GOMA800101AB1 >/dev/null
ok $? "grant-admin GOMA800101AB1"
fetch -b "$A" "$BASE/admin/cuentas?estado=active"
is_status 200 "the admin page for an administrator"
body_has 'GOMA800101AB1' "lists active accounts"
fetch -b "$A" "$BASE/admin/cuentas?estado=bogus"
is_status 400 "an unknown state is a 400"
fetch -b "$A" "$BASE/admin/cuentas?estado=active&desde=-1"
is_status 400 "a bad page cursor is a 400"

# The signed carta downloads and verifies.
cid=$(q "SELECT max(c.id) FROM cartas c JOIN users u ON u.id = c.user_id WHERE u.rfc = 'GOMA800101AB1'")
fetch -b "$A" "$BASE/admin/cuentas/carta?id=$cid&f=p7s"
is_status 200 "the .p7s downloads"
head_has '^content-disposition: attachment; filename="carta-GOMA800101AB1.p7s"' "as an attachment named after the RFC"
cp "$T_TMP/body" "$T_TMP/c.p7s"
fetch -b "$A" "$BASE/admin/cuentas/carta?id=$cid&f=txt"
cp "$T_TMP/body" "$T_TMP/c.txt"
openssl cms -verify -binary -inform DER -in "$T_TMP/c.p7s" -content "$T_TMP/c.txt" \
	-CAfile "$STATE/pki/trust.pem" -purpose any -out /dev/null 2>/dev/null
ok $? "the downloaded carta verifies against the CA with openssl alone"
fetch -b "$A" "$BASE/admin/cuentas/carta?id=999999&f=p7s"
is_status 404 "an unknown carta is a 404"

# Approval: an account waiting for an administrator.
signin demo3 "$E"
ok $? "demo3 signs in"
uid=$(q "SELECT id FROM users WHERE rfc = 'HERL851130GH4'")
q "UPDATE users SET status = 'awaiting' WHERE id = $uid" >/dev/null
fetch -b "$E" "$BASE/tablero"
[ "$STATUS" = 303 ] && [ "$(loc)" = /carta ]
ok $? "an account waiting for approval cannot reach the dashboard"
fetch -b "$E" "$BASE/carta"
body_has 'debe aprobar su cuenta' "and is told it waits for an administrator"
fetch -b "$A" "$BASE/admin/cuentas?estado=awaiting"
body_has 'HERL851130GH4' "the administrator sees it waiting"
tok=$(field csrf)
fetch -b "$A" -X POST -d "csrf=$tok&id=$uid&accion=aprobar" "$BASE/admin/cuentas"
is_status 303 "approve"
fetch -b "$E" "$BASE/tablero"
is_status 200 "the approved employee reaches the dashboard"
fetch -b "$A" -X POST -d "id=$uid&accion=deshabilitar" "$BASE/admin/cuentas"
is_status 403 "an action without the CSRF token is refused"
fetch -b "$E" "$BASE/tablero"
fetch -b "$E" -X POST -d "csrf=$(field csrf)&id=$uid&accion=aprobar" "$BASE/admin/cuentas"
is_status 404 "an employee posting to the admin page gets 404"

# Disabling ends the account's sessions now and refuses its next sign-in.
fetch -b "$A" -X POST -d "csrf=$tok&id=$uid&accion=deshabilitar" "$BASE/admin/cuentas"
is_status 303 "disable"
fetch -b "$E" "$BASE/tablero"
[ "$STATUS" = 303 ] && loc | grep -q '^/auth/login'
ok $? "the disabled employee's open session has ended"
! signin demo3 "$E"
grep -q 'cuenta está deshabilitada' "$T_TMP/body"
ok $? "a disabled account cannot sign in, and is told why"
[ "$(q "SELECT count(*) FROM audit_log WHERE action IN ('account_aprobar', 'account_deshabilitar') AND object_id = '$uid'")" = 2 ]
ok $? "approval and disabling are in the audit log"
fetch -b "$A" -X POST -d "csrf=$tok&id=$(q "SELECT id FROM users WHERE rfc = 'GOMA800101AB1'")&accion=deshabilitar" "$BASE/admin/cuentas"
is_status 400 "an administrator cannot disable themselves"
$CTL revoke-admin GOMA800101AB1 >/dev/null
fetch -b "$A" "$BASE/admin/cuentas"
is_status 404 "revoke-admin takes the page away at once"

# The language chosen before signing in follows the account; a later choice is stored too.
L=$T_TMP/lang2.jar
rm -f "$L"
fetch -c "$L" "$BASE/"
fetch -b "$L" -c "$L" -X POST -d "csrf=$(field csrf)&lang=en&volver=/" "$BASE/idioma"
fetch -b "$T_TMP/lang2.jar" -c "$T_TMP/lang2.jar" "$BASE/auth/login"
fetch -b "$T_TMP/lang2.jar" -c "$T_TMP/lang2.jar" "$(loc)"
fetch -b "$T_TMP/lang2.jar" -c "$T_TMP/lang2.jar" -F "csrf=$(field csrf)" -F "challenge=$(field challenge)" \
	-F "cer=@$STATE/pki/demo1.cer" -F "key=@$STATE/pki/demo1.key" -F password=12345678a "$BASE/idp/authorize"
fetch -b "$T_TMP/lang2.jar" -c "$T_TMP/lang2.jar" "$(loc)"
fetch -b "$T_TMP/lang2.jar" "$BASE/tablero"
body_has 'My details' "English chosen before signing in stays after"
[ "$(q "SELECT lang FROM users WHERE rfc = 'GOMA800101AB1'")" = en ]
ok $? "and is stored in the account"
fetch -b "$T_TMP/lang2.jar" -c "$T_TMP/lang2.jar" -X POST -d "csrf=$(field csrf)&lang=es&volver=/tablero" "$BASE/idioma"
[ "$(q "SELECT lang FROM users WHERE rfc = 'GOMA800101AB1'")" = es ]
ok $? "switching while signed in updates the account"

# The directory import: idempotent upsert by RFC, rejected rows named by line.
cat >"$T_TMP/dir.csv" <<'CSV'
employee_no,rfc,curp,name,email,unit_code,unit_name
200001,ROCA700101AA1,ROCA700101HDFXXR01,"Roberto Carrasco, Jr.",roberto.carrasco@institucion.gob.mx,DGTI,
200002,bad-rfc,,Nadie,,DGTI,
200003,LUNA910203BB2,,"Lucía ""Lu"" Navarro",lucia.navarro@institucion.gob.mx,DRNE,Delegación Regional Noreste
200004,SOTO880808CC3,,Ana Soto,not-an-email,DGTI,
"200005,SOTO880808CC4
CSV
$CTL import-directory "$T_TMP/dir.csv" >"$T_TMP/out" 2>&1
[ $? -eq 3 ]
ok $? "import with rejected rows exits 3"
grep -q '^line 3: rejected: bad RFC' "$T_TMP/out" && grep -q '^line 5: rejected: bad e-mail' "$T_TMP/out" &&
	grep -q '^line 6: rejected: malformed CSV' "$T_TMP/out"
ok $? "rejected rows are named by line and reason"
grep -q '^2 row(s) imported, 3 rejected$' "$T_TMP/out"
ok $? "and the good ones are imported"
[ "$(q "SELECT name FROM directory WHERE rfc = 'LUNA910203BB2'")" = 'Lucía "Lu" Navarro' ]
ok $? "quoted fields with quotes and commas are read right"
[ "$(q "SELECT u.name FROM directory d JOIN units u ON u.id = d.unit_id WHERE d.rfc = 'LUNA910203BB2'")" = 'Delegación Regional Noreste' ]
ok $? "a new unit is created with its name"
[ "$(q "SELECT name FROM units WHERE code = 'DGTI'")" = 'Dirección General de Tecnologías de la Información' ]
ok $? "a row without a unit name leaves the unit's name alone"
sed -i 's/^200001,/200011,/' "$T_TMP/dir.csv"
$CTL import-directory "$T_TMP/dir.csv" >/dev/null 2>&1
[ "$(q "SELECT employee_no FROM directory WHERE rfc = 'ROCA700101AA1'")" = 200011 ] &&
	[ "$(q "SELECT count(*) FROM directory WHERE rfc = 'ROCA700101AA1'")" = 1 ]
ok $? "re-importing updates by RFC (a renumbered employee), never duplicates"
printf 'rfc\n' >"$T_TMP/bad.csv"
! $CTL import-directory "$T_TMP/bad.csv" >/dev/null 2>&1
ok $? "a file without the header is refused"

echo "1..$T_N"

#!/bin/sh
# t10_signin.sh: e.firma sign-in through nginx: the OAuth code flow with the built-in provider,
# both signing paths, the carta responsiva, and every refusal (each without a session).
. "$(dirname "$0")/lib.sh"
PKI=$STATE/pki
PASS=12345678a

# start JAR: a fresh browser at the provider's form; sets AUTHZ (the form's URL).
start() {
	JAR=$T_TMP/$1.jar
	rm -f "$JAR"
	fetch -b "$JAR" -c "$JAR" "$BASE/auth/login"
	AUTHZ=$(loc)
	fetch -b "$JAR" -c "$JAR" "$AUTHZ"
}

# post_nojs NAME [password] [keyname] [path]: the no-JavaScript path with NAME.cer and a key.
post_nojs() {
	fetch -b "$JAR" -c "$JAR" -F "csrf=$(field csrf)" -F "challenge=$(field challenge)" \
		-F "cer=@$PKI/$1.cer" -F "key=@$PKI/${3:-$1}.key" -F "password=${2:-$PASS}" \
		"$BASE/${4:-idp/authorize}"
}

# post_js NAME: what static/js/efirma.js sends: the certificate and a signature of the nonce.
post_js() {
	field nonce >"$T_TMP/nonce"
	openssl pkcs8 -inform DER -in "$PKI/$1.key" -passin "pass:$PASS" -out "$T_TMP/k.pem" 2>/dev/null
	openssl dgst -sha256 -sign "$T_TMP/k.pem" -binary "$T_TMP/nonce" >"$T_TMP/sig"
	sig=$(base64 -w0 <"$T_TMP/sig" | tr '+/' '-_' | tr -d '=')
	rm -f "$T_TMP/k.pem"
	fetch -b "$JAR" -c "$JAR" -F "csrf=$(field csrf)" -F "challenge=$(field challenge)" \
		-F "cer=@$PKI/$1.cer" -F mode=js -F "signature=$sig" "$BASE/$2"
}

no_session() { ! grep -q 'sk_sid' "$JAR" 2>/dev/null; }

# --- The whole flow, no JavaScript: sign in, sign the carta, land on the dashboard. ---
start fisica
is_status 200 "the provider's sign-in form"
body_has 'name="cer"' "asks for the certificate"
body_has 'enctype="multipart/form-data"' "as a file upload that works without JavaScript"
body_has 'src="/static/js/efirma.js' "and offers the in-browser signing script"
post_nojs fisica
is_status 303 "a good e.firma is accepted"
cb=$(loc)
echo "$cb" | grep -q "^$BASE/auth/callback?code=[A-Za-z0-9_-]\{43\}&state="
ok $? "the provider sends the browser back with a code and the state"
fetch -b "$JAR" -c "$JAR" "$cb"
is_status 303 "the callback opens a session"
[ "$(loc)" = /carta ]
ok $? "a new account goes to the carta responsiva"
grep -q 'sk_sid' "$JAR"
ok $? "with a session cookie"
[ "$(q "SELECT status FROM users WHERE rfc = 'NUPM800101AB1'")" = pending ]
ok $? "the account exists, pending"
fetch -b "$JAR" -c "$JAR" "$BASE/tablero"
[ "$STATUS" = 303 ] && [ "$(loc)" = /carta ]
ok $? "the dashboard waits until the carta is signed"
fetch -b "$JAR" -c "$JAR" "$BASE/carta"
is_status 200 "the carta"
body_has 'MARÍA JOSÉ NÚÑEZ PEÑA' "names the employee (T61String name converted to UTF-8)"
body_has 'NUPM800101AB1' "with the RFC"
post_nojs demo1 "$PASS" demo1 carta
is_status 403 "a carta signed with someone else's e.firma is refused"
body_has 'misma persona' "and says why"
fetch -b "$JAR" -c "$JAR" "$BASE/carta"
post_nojs fisica "$PASS" fisica carta
is_status 303 "the carta signed with the employee's own e.firma"
[ "$(loc)" = /tablero ]
ok $? "opens the account"
fetch -b "$JAR" -c "$JAR" "$BASE/tablero"
is_status 200 "the dashboard"
body_has 'MARÍA JOSÉ NÚÑEZ PEÑA' "shows the employee"
[ "$(q "SELECT status FROM users WHERE rfc = 'NUPM800101AB1'")" = active ]
ok $? "the account is active"

# The stored carta verifies with openssl alone, against the CA.
id=$(q "SELECT max(c.id) FROM cartas c JOIN users u ON u.id = c.user_id WHERE u.rfc = 'NUPM800101AB1'")
q "SELECT encode(cms, 'base64') FROM cartas WHERE id = $id" | base64 -d >"$T_TMP/carta.p7s"
q "SELECT encode(convert_to(signed_text, 'UTF8'), 'base64') FROM cartas WHERE id = $id" | base64 -d >"$T_TMP/carta.txt"
openssl cms -verify -binary -inform DER -in "$T_TMP/carta.p7s" -content "$T_TMP/carta.txt" \
	-CAfile "$PKI/trust.pem" -purpose any -out /dev/null 2>"$T_TMP/cms.err"
ok $? "the stored carta verifies with openssl cms -verify"
printf 'X' >>"$T_TMP/carta.txt"
! openssl cms -verify -binary -inform DER -in "$T_TMP/carta.p7s" -content "$T_TMP/carta.txt" \
	-CAfile "$PKI/trust.pem" -purpose any -out /dev/null 2>/dev/null
ok $? "and fails for an altered text"
grep -q 'Folio: ' "$T_TMP/carta.txt"
ok $? "the signed text names its single-use folio"

# Sign out ends the session server-side.
fetch -b "$JAR" -c "$JAR" "$BASE/tablero"
tok=$(sed -n 's/.*action="\/auth\/logout".*name="csrf" value="\([^"]*\)".*/\1/p' "$T_TMP/body" | head -n 1)
old=$(sed -n 's/.*sk_sid\t//p' "$JAR")
fetch -b "$JAR" -c "$JAR" -X POST -d "csrf=$tok" "$BASE/auth/logout"
is_status 303 "sign out"
fetch -b "sk_sid=$old" "$BASE/tablero"
[ "$STATUS" = 303 ] && loc | grep -q '^/auth/login'
ok $? "the old session id no longer works"

# --- The JavaScript path: only the certificate and a signature are sent. ---
start demo2
post_js demo2 idp/authorize
is_status 303 "a signature made in the browser is accepted"
fetch -b "$JAR" -c "$JAR" "$(loc)"
[ "$(loc)" = /carta ]
ok $? "and signs in"
fetch -b "$JAR" -c "$JAR" "$BASE/carta"
post_js demo2 carta
[ "$STATUS" = 303 ] && [ "$(loc)" = /tablero ]
ok $? "the carta signed in the browser opens the account"
fetch -b "$JAR" "$BASE/tablero"
body_has 'Juan Pérez López' "the directory's name for the employee"
body_has '100002' "and their employee number"

# --- Refusals: each with its message and no session. ---
refuse() {	# refuse NAME STATUS MESSAGE DESCRIPTION [password] [key]
	start "r-$1"
	post_nojs "$1" "${5:-$PASS}" "${6:-$1}"
	[ "$STATUS" = "$2" ] && grep -qF -- "$3" "$T_TMP/body" && no_session
	ok $? "$4 (status $STATUS)"
}
refuse moral 403 'persona moral' "a company's FIEL is refused"
refuse csd 403 'sello digital' "a CSD seal is refused"
refuse revocada 403 'fue revocado' "a revoked certificate is refused (OCSP)"
refuse expirada 403 'ya venció' "an expired certificate is refused"
refuse futura 403 'todavía no es válido' "a not-yet-valid certificate is refused"
refuse ajena 403 'no fue emitido por el SAT' "a certificate from an unknown CA is refused"
refuse demo3 400 'contraseña de la llave privada no es correcta' "a wrong password says so" wrong
refuse demo3 400 'no corresponde al certificado' "a key of another certificate is refused" "$PASS" demo1

start junk
printf 'not a certificate' >"$T_TMP/junk.cer"
fetch -b "$JAR" -c "$JAR" -F "csrf=$(field csrf)" -F "challenge=$(field challenge)" \
	-F "cer=@$T_TMP/junk.cer" -F "key=@$PKI/demo3.key" -F "password=$PASS" "$BASE/idp/authorize"
[ "$STATUS" = 400 ] && grep -q 'no es un certificado válido' "$T_TMP/body"
ok $? "a file that is not a certificate is refused"

start replay
c=$(field challenge); t=$(field csrf)
fetch -b "$JAR" -c "$JAR" -F "csrf=$t" -F "challenge=$c" -F "cer=@$PKI/demo3.cer" \
	-F "key=@$PKI/demo3.key" -F "password=$PASS" "$BASE/idp/authorize"
is_status 303 "a good sign-in"
fetch -b "$JAR" -c "$JAR" -F "csrf=$t" -F "challenge=$c" -F "cer=@$PKI/demo3.cer" \
	-F "key=@$PKI/demo3.key" -F "password=$PASS" "$BASE/idp/authorize"
[ "$STATUS" = 400 ] && grep -q 'caducó o ya se usó' "$T_TMP/body"
ok $? "the same challenge a second time fails"

# A forged JavaScript-path signature.
start forged
fetch -b "$JAR" -c "$JAR" -F "csrf=$(field csrf)" -F "challenge=$(field challenge)" \
	-F "cer=@$PKI/demo3.cer" -F mode=js -F "signature=AAAA" "$BASE/idp/authorize"
[ "$STATUS" = 400 ] && grep -q 'firma no es válida' "$T_TMP/body" && no_session
ok $? "a signature that does not verify is refused"

# Nothing of the uploaded key or password reaches the logs.
! grep -rq "$PASS" "$STATE"/log/*.log
ok $? "the password appears in no log"

# Failed attempts are limited per RFC: the sixth within the window gets 429.
i=0
while [ $i -lt 5 ]; do
	start "limit$i"
	post_nojs demo3 wrong
	i=$((i + 1))
done
start limit5
post_nojs demo3 "$PASS"
[ "$STATUS" = 429 ] && grep -q 'Demasiados intentos' "$T_TMP/body"
ok $? "after 5 failures for one RFC, even the right password waits (429)"
[ "$(q "SELECT count(*) FROM audit_log WHERE action = 'sign_in_failed' AND object_id = 'HERL851130GH4'")" -ge 5 ]
ok $? "every failure is in the audit log with its RFC"
redis-cli -s "$STATE/run/redis.sock" --scan --pattern 'sekkan:fail-*' | xargs -r redis-cli -s "$STATE/run/redis.sock" del >/dev/null

echo "1..$T_N"

#!/bin/sh
# t12_browser_signin.sh: e.firma sign-in in real headless Chromium, as a person does it: from
# the landing page's "Ingresar con e.firma", through the provider's form and the carta
# responsiva, to the dashboard. With JavaScript (the key is opened and used in the page: the
# password and the .key never leave it) and without (the same form, signed by the server).
# browser_signin.mjs drives Chromium over the DevTools protocol and records every request,
# through CDP and on the wire; see there. Also leaves log/tablero-390.png for a person to see.
. "$(dirname "$0")/lib.sh"
PKI=$STATE/pki
rfc_of() { openssl x509 -inform DER -in "$PKI/$1.cer" -noout -subject -nameopt sep_multiline,utf8 |
	sed -n 's/^ *x500UniqueIdentifier=//p'; }
# first USER: where the provider should send this account: the carta until it is active.
first() {
	case $(q "SELECT status FROM users WHERE rfc = '$(rfc_of "$1")'") in
	active) echo tablero ;;
	*) echo carta ;;
	esac
}

if ! command -v node >/dev/null 2>&1 || ! command -v chromium >/dev/null 2>&1; then
	ok 1 "node or chromium missing: tools/dev installs both"
	echo "1..$T_N"
	exit 0
fi

# t10 leaves demo3 with no account (its sign-ins there stop at the provider) and fisica active;
# either way the expected path comes from the database. A clean slate for the failure limits.
redis-cli -s "$STATE/run/redis.sock" --scan --pattern 'sekkan:fail-*' |
	xargs -r redis-cli -s "$STATE/run/redis.sock" del >/dev/null
JS_USER=demo3 NOJS_USER=fisica
JS_FIRST=$(first $JS_USER) NOJS_FIRST=$(first $NOJS_USER)
echo "# $JS_USER (JavaScript) expects /$JS_FIRST, $NOJS_USER (no JavaScript) expects /$NOJS_FIRST"

mkdir -p "$T_TMP/chrome"
rm -f "$STATE/log/tablero-390.png"
BASE=$BASE PKI=$PKI WORK=$T_TMP/chrome SHOT=$STATE/log/tablero-390.png \
	JS_USER=$JS_USER JS_NAME='Luis Hernández Ríos' JS_FIRST=$JS_FIRST \
	NOJS_USER=$NOJS_USER NOJS_NAME='MARÍA JOSÉ NÚÑEZ PEÑA' NOJS_FIRST=$NOJS_FIRST \
	timeout -k 5 180 node "$ROOT/tests/integration/browser_signin.mjs" >"$T_TMP/browser.out" 2>&1
rc=$?
cat "$T_TMP/browser.out"
T_N=$(grep -cE '^(not )?ok [0-9]+ ' "$T_TMP/browser.out")
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

# What the server recorded.
for u in $JS_USER $NOJS_USER; do
	[ "$(q "SELECT status FROM users WHERE rfc = '$(rfc_of $u)'")" = active ]
	ok $? "$u's account is active"
done
if [ "$JS_FIRST" = carta ]; then
	# The carta signed in the browser, as stored, verifies with openssl alone against the CA.
	id=$(q "SELECT max(c.id) FROM cartas c JOIN users u ON u.id = c.user_id WHERE u.rfc = '$(rfc_of $JS_USER)'")
	q "SELECT encode(cms, 'base64') FROM cartas WHERE id = ${id:-0}" | base64 -d >"$T_TMP/carta.p7s"
	q "SELECT encode(convert_to(signed_text, 'UTF8'), 'base64') FROM cartas WHERE id = ${id:-0}" |
		base64 -d >"$T_TMP/carta.txt"
	[ -n "$id" ] && openssl cms -verify -binary -inform DER -in "$T_TMP/carta.p7s" -content "$T_TMP/carta.txt" \
		-CAfile "$PKI/trust.pem" -purpose any -out /dev/null 2>/dev/null
	ok $? "$JS_USER's carta, signed in the browser, is stored and verifies with openssl cms -verify"
fi
! grep -rqF 12345678a "$STATE"/log/*.log
ok $? "the password appears in no log"

echo "1..$T_N"

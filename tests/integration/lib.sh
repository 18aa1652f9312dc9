# lib.sh: helpers for the integration tests (sourced). They speak TAP: "ok N - …" / "not ok N - …".
# Environment from tools/dev test: ROOT (the tree), STATE (the instance), BIN (its programs),
# BASE (http://127.0.0.1:PORT).
: "${ROOT:?}" "${STATE:?}" "${BASE:?}" "${BIN:?}"
T_N=0
T_TMP=$(mktemp -d)
trap 'rm -rf "$T_TMP"' EXIT
JAR=$T_TMP/cookies

ok() {	# ok CONDITION-EXIT-STATUS DESCRIPTION
	T_N=$((T_N + 1))
	if [ "$1" -eq 0 ]; then echo "ok $T_N - $2"; else echo "not ok $T_N - $2"; fi
}

# fetch [curl args…]: body in $T_TMP/body, headers in $T_TMP/head, status in $STATUS.
fetch() {
	STATUS=$(curl -s -o "$T_TMP/body" -D "$T_TMP/head.raw" -w '%{http_code}' --max-time 10 "$@") || STATUS=000
	tr -d '\r' <"$T_TMP/head.raw" >"$T_TMP/head"
}

is_status() {	# is_status WANT DESCRIPTION
	[ "$STATUS" = "$1" ]
	rc=$?
	ok $rc "$2 (status $STATUS, want $1)"
}

body_has() {	# body_has FIXED-STRING DESCRIPTION
	grep -qF -- "$1" "$T_TMP/body"
	ok $? "$2"
}

body_lacks() {
	! grep -qF -- "$1" "$T_TMP/body"
	ok $? "$2"
}

head_has() {	# head_has REGEX DESCRIPTION (case-insensitive, per line)
	grep -qiE -- "$1" "$T_TMP/head"
	ok $? "$2"
}

head_lacks() {
	! grep -qiE -- "$1" "$T_TMP/head"
	ok $? "$2"
}

# A CSRF cookie and token as a browser gets them from any page with a form.
csrf_from_page() {
	rm -f "$JAR"
	fetch -c "$JAR" "$BASE/"
	TOKEN=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$T_TMP/body" | head -n 1)
}

# wait_for CMD…: up to 10 s for a command to succeed.
wait_for() {
	i=0
	until "$@" >/dev/null 2>&1; do
		i=$((i + 1))
		[ $i -lt 100 ] || return 1
		sleep 0.1
	done
}

children_of() { ps -o pid= --ppid "$1" | tr -d ' '; }

# loc: the Location of the last response.
loc() { sed -n 's/^location: //Ip' "$T_TMP/head" | head -n 1; }

# field NAME: the value of the first input NAME in the last page, unescaped (may span lines).
field() {
	python3 -c 'import sys, html.parser
class P(html.parser.HTMLParser):
    v = None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("name") == sys.argv[1] and P.v is None:
            P.v = a.get("value") or ""
P().feed(open(sys.argv[2], encoding="utf-8").read())
sys.stdout.write(P.v or "")' "$1" "$T_TMP/body"
}

# q SQL: one query on the instance's database, unaligned.
q() { runuser -u sekkan -- psql -X -tA -h "$STATE/run" -d sekkan -c "$1"; }

# signin NAME JAR: a whole sign-in without JavaScript with the test PKI's NAME.cer/.key,
# signing the carta when the account is new. Leaves the last page in $T_TMP/body.
signin() {
	rm -f "$2"
	fetch -b "$2" -c "$2" "$BASE/auth/login"
	fetch -b "$2" -c "$2" "$(loc)"
	fetch -b "$2" -c "$2" -F "csrf=$(field csrf)" -F "challenge=$(field challenge)" \
		-F "cer=@$STATE/pki/$1.cer" -F "key=@$STATE/pki/$1.key" -F password=12345678a \
		"$BASE/idp/authorize"
	[ "$STATUS" = 303 ] || return 1
	fetch -b "$2" -c "$2" "$(loc)"
	if [ "$(loc)" = /carta ]; then
		fetch -b "$2" -c "$2" "$BASE/carta"
		fetch -b "$2" -c "$2" -F "csrf=$(field csrf)" -F "challenge=$(field challenge)" \
			-F "cer=@$STATE/pki/$1.cer" -F "key=@$STATE/pki/$1.key" -F password=12345678a \
			"$BASE/carta"
	fi
	[ "$STATUS" = 303 ]
}

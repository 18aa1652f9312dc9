#!/bin/sh
# t09_browser.sh: the pages in a real browser (headless Chromium): language, layout, and that
# the Content-Security-Policy blocks none of our own stylesheets or images.
. "$(dirname "$0")/lib.sh"

chrome() {	# chrome OUT-FILE URL [flags]: DOM to OUT-FILE, browser log to OUT-FILE.log
	out=$1 url=$2
	shift 2
	timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$T_TMP/profile" --enable-logging=stderr --v=0 "$@" \
		--dump-dom "$url" >"$out" 2>"$out.log"
}

chrome "$T_TMP/es.html" "$BASE/" --accept-lang=es-MX
grep -q 'Ingresar con e.firma' "$T_TMP/es.html"
ok $? "Chromium with es-MX gets the Spanish landing page"
! grep -qiE 'Refused to (load|apply|execute)|Content Security Policy' "$T_TMP/es.html.log"
ok $? "no CSP violation while loading the page and its assets"

chrome "$T_TMP/en.html" "$BASE/" --accept-lang=en-US
grep -q 'Sign in with e.firma' "$T_TMP/en.html"
ok $? "Chromium with en-US gets English"

chrome "$T_TMP/bad.html" "$BASE/?reunion=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E" --accept-lang=es-MX
grep -q 'No reconocemos ese enlace o código' "$T_TMP/bad.html"
ok $? "a bad code shows the Spanish message"
! grep -q '<img src="x"' "$T_TMP/bad.html"
ok $? "the hostile input did not become an element"

chrome "$T_TMP/404.html" "$BASE/nada" --accept-lang=es-MX
grep -q 'Página no encontrada' "$T_TMP/404.html"
ok $? "the 404 page renders in the browser"

# A phone-sized screenshot, kept with the logs for a person to look at.
timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	--disable-background-networking --disable-component-update --disable-sync \
	--user-data-dir="$T_TMP/profile" --hide-scrollbars --window-size=360,1200 --accept-lang=es-MX \
	--screenshot="$STATE/log/landing-360.png" "$BASE/" >/dev/null 2>&1
[ -s "$STATE/log/landing-360.png" ]
ok $? "screenshot at 360 px wide (log/landing-360.png)"

echo "1..$T_N"

#!/bin/sh
# t02_forms.sh: POST handling: CSRF, the language switch, body limits, content types.
. "$(dirname "$0")/lib.sh"

fetch -X POST -d 'lang=en&volver=/' "$BASE/idioma"
is_status 403 "POST without a CSRF cookie or token"
body_has 'Acceso denegado' "403 page in Spanish"

csrf_from_page
[ -n "$TOKEN" ]
ok $? "the landing page carries a CSRF token"

fetch -b "$JAR" -X POST -d 'lang=en&volver=/&csrf=wrong' "$BASE/idioma"
is_status 403 "POST with a wrong token"
fetch -X POST -d "lang=en&volver=/&csrf=$TOKEN" "$BASE/idioma"
is_status 403 "a token without its cookie is refused"
fetch -b 'sk_csrf=AAAAAAAAAAAAAAAAAAAAAA' -X POST -d "lang=en&volver=/&csrf=$TOKEN" "$BASE/idioma"
is_status 403 "a token with another browser's cookie is refused"

fetch -b "$JAR" -c "$JAR" -X POST -d "lang=en&volver=/&csrf=$TOKEN" "$BASE/idioma"
is_status 303 "language switch with a valid token"
head_has '^location: /$' "back to the page it came from"
head_has '^set-cookie: sk_lang=en; Path=/; HttpOnly; SameSite=Lax; Max-Age=' "the choice is remembered"
fetch -b "$JAR" "$BASE/"
body_has 'Sign in with e.firma' "the next page is English"
body_has '<html lang="en">' "and says so"
fetch -b "$JAR" "$BASE/nothing-here"
body_has 'Page not found' "error pages follow the choice"

fetch -b "$JAR" -c "$JAR" -X POST -d "lang=es&volver=%2F%3Freunion%3Dx&csrf=$TOKEN" "$BASE/idioma"
head_has '^location: /\?reunion=x' "a local path with a query is kept"
fetch -b "$JAR" -X POST -d "lang=es&volver=%2F%2Fevil.example&csrf=$TOKEN" "$BASE/idioma"
head_has '^location: /$' "a protocol-relative URL is not followed"
fetch -b "$JAR" -X POST -d "lang=es&volver=https%3A%2F%2Fevil.example%2F&csrf=$TOKEN" "$BASE/idioma"
head_has '^location: /$' "an absolute URL is not followed"
fetch -b "$JAR" -X POST -d "lang=es&volver=%2F%0D%0ASet-Cookie%3A%20x%3D1&csrf=$TOKEN" "$BASE/idioma"
head_lacks '^set-cookie: x=1' "no header injection through the return path"
fetch -b "$JAR" -X POST -d "lang=xx&volver=/&csrf=$TOKEN" "$BASE/idioma"
is_status 400 "an unknown language is a 400"
fetch -b "$JAR" -X POST -d "lang=en&csrf=$TOKEN&lang=%ff" "$BASE/idioma"
is_status 400 "invalid UTF-8 in a form is a 400"

# Multipart forms are parsed too (the e.firma upload will use them).
fetch -b "$JAR" -X POST -F lang=en -F volver=/ -F "csrf=$TOKEN" "$BASE/idioma"
is_status 303 "multipart form with a valid token"

fetch -b "$JAR" -X POST -H 'Content-Type: application/json' -d '{"lang":"en"}' "$BASE/idioma"
is_status 415 "a JSON body is not a form"
body_has 'Formato no admitido' "415 page in Spanish"

# Limits: the program's own (4 KiB for this form) and nginx's (1 MiB for any request).
head -c 10000 /dev/zero | tr '\0' 'a' >"$T_TMP/10k"
fetch -b "$JAR" -X POST --data-binary "@$T_TMP/10k" -H 'Content-Type: application/x-www-form-urlencoded' "$BASE/idioma"
is_status 413 "a body over the program's limit"
body_has 'Envío demasiado grande' "413 page in Spanish, from the program"
head -c 2000000 /dev/zero | tr '\0' 'a' >"$T_TMP/2m"
fetch -b "$JAR" -X POST --data-binary "@$T_TMP/2m" -H 'Content-Type: application/x-www-form-urlencoded' "$BASE/idioma"
is_status 413 "a body over nginx's limit"
body_has 'Envío demasiado grande' "413 page in Spanish, from nginx through the layout"
body_has '<footer class="bottom">' "nginx's 413 inside the layout"

fetch "$BASE/idioma"
is_status 405 "GET on a POST-only page"
head_has '^allow: POST' "405 says POST"

echo "1..$T_N"

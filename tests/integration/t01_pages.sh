#!/bin/sh
# t01_pages.sh: the landing page, error pages, headers and the join form, through nginx.
. "$(dirname "$0")/lib.sh"

fetch "$BASE/"
is_status 200 "landing page answers"
body_has '<html lang="es-MX">' "landing page is Spanish by default"
body_has 'Ingresar con e.firma' "landing page offers e.firma sign-in"
body_has 'Unirse a una reunión' "landing page offers joining by link or code"
head_has '^content-type: text/html; charset=utf-8' "HTML with charset"
head_has "^content-security-policy: default-src 'self'; script-src 'self';" "CSP without inline script"
head_has "frame-ancestors 'none'" "CSP forbids framing"
head_has '^x-content-type-options: nosniff' "nosniff"
head_has '^referrer-policy: same-origin' "Referrer-Policy"
head_has '^set-cookie: sk_csrf=[A-Za-z0-9_-]{22}; Path=/; HttpOnly; SameSite=Lax' "CSRF cookie is HttpOnly and SameSite=Lax"
head_lacks '^set-cookie: sk_sid=' "no session is opened for an anonymous visit"
# Every stylesheet and script is external: nothing inline that the CSP would have to allow.
body_lacks '<script>' "no inline script"
body_lacks 'style="' "no inline style"

fetch -H 'Accept-Language: en-US,en;q=0.9,es;q=0.5' "$BASE/"
body_has 'Sign in with e.firma' "English for a browser that prefers it"
fetch -H 'Accept-Language: fr, es-MX;q=0.8, en;q=0.5' "$BASE/"
body_has 'Ingresar con e.firma' "Spanish when it outranks English"
fetch -H 'Accept-Language: fr' "$BASE/"
body_has 'Ingresar con e.firma' "Spanish when neither is asked for"

fetch -I "$BASE/"
is_status 200 "HEAD on the landing page"

fetch "$BASE/no/such/page"
is_status 404 "unknown path"
body_has 'Página no encontrada' "404 page in Spanish"
body_has '<footer class="bottom">' "404 page inside the layout"
head_has '^content-security-policy:' "security headers on error pages"
body_lacks 'no/such/page' "404 page does not echo the path"

fetch "$BASE/%3Cscript%3Ealert(1)%3C/script%3E"
is_status 404 "hostile path is a plain 404"
body_lacks '<script>alert' "hostile path is not echoed"

fetch -X DELETE "$BASE/"
is_status 405 "DELETE on the landing page"
head_has '^allow: GET, HEAD' "405 names the allowed methods"
body_has 'Método no permitido' "405 page in Spanish"
fetch -X POST -d x=1 "$BASE/"
is_status 405 "POST on the landing page"
fetch -X PUT "$BASE/healthz"
is_status 405 "PUT on /healthz"

# Joining by link or code.
fetch "$BASE/?reunion=AbC-123_x"
is_status 303 "a bare code is accepted"
head_has '^location: /j/AbC-123_x' "a code leads to /j/<code>"
fetch "$BASE/?reunion=https%3A%2F%2Freuniones.example.gob.mx%2Fj%2Fq7Xk2p%3Ffoo%3D1"
head_has '^location: /j/q7Xk2p' "a pasted meeting link leads to its room"
fetch "$BASE/?reunion=https%3A%2F%2Fx.mx%2Fs%2Fmi-sala"
head_has '^location: /s/mi-sala' "a personal-room link leads to /s/<slug>"
fetch "$BASE/?reunion=%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E"
is_status 400 "a hostile code is refused"
body_has 'No reconocemos ese enlace o código' "with a Spanish message"
body_has '&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;' "what was typed is kept, escaped"
body_lacks '"><script>alert(1)</script>' "and never echoed raw"
fetch "$BASE/?reunion=a%2Fb%2Fc%2Fd"
is_status 400 "a path that is not one of our links is refused"
fetch "$BASE/?reunion=%C0%80"
is_status 400 "invalid UTF-8 in the query is a 400"
fetch "$BASE/?reunion=%zz"
is_status 400 "a broken escape in the query is a 400"
body_has 'Solicitud no válida' "400 page in Spanish"

# Static files: long cache, right types.
fetch "$BASE/static/css/sekkan.css"
is_status 200 "stylesheet is served"
head_has '^cache-control: public, max-age=31536000, immutable' "static files are cached for a year"
head_has '^content-type: text/css' "stylesheet type"
fetch "$BASE/"
v=$(sed -n 's|.*href="/static/css/sekkan.css?v=\([0-9]*\)".*|\1|p' "$T_TMP/body")
[ -n "$v" ]
ok $? "pages link the stylesheet with a content version"

# Behind HTTPS (nginx's `fastcgi_param HTTPS $https`) every cookie is Secure; over plain HTTP it
# is not, or the browser would drop it. Straight to the program's socket, as nginx sends it.
direct() { env -i REQUEST_METHOD=GET DOCUMENT_URI=/ REMOTE_ADDR=127.0.0.1 "$@" \
	cgi-fcgi -bind -connect "$STATE/run/index.sock" 2>/dev/null | tr -d '\r'; }
direct HTTPS=on | grep -qE '^Set-Cookie: sk_csrf=[^;]+; Path=/; HttpOnly; SameSite=Lax; Secure'
ok $? "behind HTTPS the CSRF cookie is Secure"
direct | grep -q '^Set-Cookie: sk_csrf=' && ! direct | grep -q '; Secure'
ok $? "over plain HTTP it is not"

echo "1..$T_N"

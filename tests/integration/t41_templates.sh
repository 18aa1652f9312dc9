#!/bin/sh
# t41_templates.sh: each worker parses a template once and renders it for many requests
# (lib/tpl.c): nothing of one request shows in the next, escaping holds on every render.
. "$(dirname "$0")/lib.sh"

# index runs 2 workers: 8 rounds give each worker several renders of every case.
bad_lang=0 bad_esc=0 bad_leak=0 bad_err=0
i=0
while [ $i -lt 8 ]; do
	i=$((i + 1))
	fetch -H 'Accept-Language: en' "$BASE/"
	{ grep -qF '<html lang="en">' "$T_TMP/body" && grep -qF 'Sign in with e.firma' "$T_TMP/body" &&
		! grep -qF 'Ingresar con e.firma' "$T_TMP/body"; } || bad_lang=$((bad_lang + 1))
	fetch -H 'Accept-Language: es' "$BASE/"
	{ grep -qF '<html lang="es-MX">' "$T_TMP/body" && grep -qF 'Ingresar con e.firma' "$T_TMP/body" &&
		! grep -qF 'Sign in with e.firma' "$T_TMP/body"; } || bad_lang=$((bad_lang + 1))

	fetch "$BASE/?reunion=%22%3E%3Cscript%3Ealert($i)%3C%2Fscript%3E"
	{ [ "$STATUS" = 400 ] && grep -qF "&quot;&gt;&lt;script&gt;alert($i)&lt;/script&gt;" "$T_TMP/body" &&
		! grep -qF '<script>alert' "$T_TMP/body"; } || bad_esc=$((bad_esc + 1))
	fetch "$BASE/"
	{ [ "$STATUS" = 200 ] && ! grep -qF 'alert(' "$T_TMP/body" &&
		! grep -qF 'No reconocemos ese enlace' "$T_TMP/body"; } || bad_leak=$((bad_leak + 1))

	fetch "$BASE/no-such-page-$i"
	{ [ "$STATUS" = 404 ] && grep -qF 'Página no encontrada' "$T_TMP/body"; } || bad_err=$((bad_err + 1))
	fetch "$BASE/"
	! grep -qF 'Página no encontrada' "$T_TMP/body" || bad_err=$((bad_err + 1))
done
[ $bad_lang -eq 0 ]
ok $? "16 renders alternating English and Spanish: each wholly in its language ($bad_lang not)"
[ $bad_esc -eq 0 ]
ok $? "8 renders of a hostile code: escaped every time ($bad_esc not)"
[ $bad_leak -eq 0 ]
ok $? "the render after each one shows nothing of it ($bad_leak did)"
[ $bad_err -eq 0 ]
ok $? "error pages and the landing page from the same workers stay apart ($bad_err mixed)"
! grep -q 'template ' "$STATE/log/index.log"
ok $? "index logged no template error"

# ClearSilver's alt: prints its value unescaped whatever Config.VarEscapeMode says (unlike
# var:), so a name that came from a person would be HTML: templates use if/var/else instead.
! grep -n '<?cs alt:' "$ROOT"/templates/*.cs
ok $? "no template uses alt: (it does not escape)"

echo "1..$T_N"

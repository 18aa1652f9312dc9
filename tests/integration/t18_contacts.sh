#!/bin/sh
# t18_contacts.sh: /contactos: the directory search (accents, word order, RFC, e-mail, employee
# number, unit; hostile text; keyset pages), favourites, frequent contacts, and meetings started
# or scheduled with a contact in one step.
. "$(dirname "$0")/lib.sh"
redis-cli -s "$STATE/run/redis.sock" --scan --pattern 'sekkan:fail-*' | xargs -r redis-cli -s "$STATE/run/redis.sock" del >/dev/null
O=$T_TMP/owner.jar I=$T_TMP/invitee.jar F=$T_TMP/fisica.jar
signin demo1 "$O"; ok $? "demo1 signs in"
signin demo2 "$I"; ok $? "demo2 signs in"
signin fisica "$F"; ok $? "fisica signs in"
TOMORROW=$(TZ=America/Mexico_City date -d tomorrow +%F)
LUIS=HERL851130GH4 OLGA=MUÑO900620EF3

# names ID: the names listed in <ul id=ID> of the last page, one a line, with the
# "N reuniones" of each when the list shows it ("Name|N").
names() {
	python3 -c 'import sys, re, html.parser
class P(html.parser.HTMLParser):
    depth = 0; inside = False; strong = False; out = []; cur = None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "ul" and a.get("id") == sys.argv[1]: P.inside = True
        elif P.inside and tag == "li": P.cur = ["", ""]
        elif P.inside and tag == "strong": P.strong = True
    def handle_endtag(self, tag):
        if tag == "ul" and P.inside: P.inside = False
        elif P.inside and tag == "li" and P.cur:
            m = re.search(r"· (\d+) reuni", P.cur[1])
            P.out.append(P.cur[0] + ("|" + m.group(1) if m else "")); P.cur = None
        elif tag == "strong": P.strong = False
    def handle_data(self, d):
        if P.cur is not None:
            if P.strong: P.cur[0] += d
            else: P.cur[1] += d
P().feed(open(sys.argv[2], encoding="utf-8").read())
print("\n".join(P.out))' "$1" "$T_TMP/body"
}
# found Q NAME: GET /contactos?q=Q as demo1 and look for NAME among the results.
found() {
	fetch -b "$O" -G --data-urlencode "q=$1" "$BASE/contactos"
	[ "$STATUS" = 200 ] && names results | grep -qxF "$2"
}

# --- Signed in only. ---
fetch "$BASE/contactos"
[ "$STATUS" = 303 ] && loc | grep -q '/auth/login'
ok $? "without a session, to sign-in"
fetch -b "$O" "$BASE/contactos"
is_status 200 "the contacts page"
body_has '<a href="/contactos">Contactos</a>' "in the navigation"
body_lacks 'id="results"' "no results before a search"

# --- Searching the directory. ---
[ "$(q "SELECT count(*) FROM pg_indexes WHERE indexname IN ('directory_name_trgm', 'directory_email_trgm')")" = 2 ]
ok $? "the migration made the trigram indexes (pg_trgm is there)"
found 'hernández' 'Luis Hernández Ríos'; ok $? "a name fragment with its accent"
found 'hernandez' 'Luis Hernández Ríos'; ok $? "the same without the accent"
found 'HERNÁNDEZ' 'Luis Hernández Ríos'; ok $? "in capitals"
found 'ríos luis' 'Luis Hernández Ríos'; ok $? "name words in any order"
found 'munoz' 'Olga Muñoz Ortiz'; ok $? "n finds ñ"
found 'HERL85' 'Luis Hernández Ríos'; ok $? "an RFC prefix"
found 'herl851130gh4' 'Luis Hernández Ríos'; ok $? "a whole RFC, lower case"
found 'luis.hernandez@institucion' 'Luis Hernández Ríos'; ok $? "part of an e-mail"
found '100004' 'Luis Hernández Ríos'; ok $? "an employee number"
found ' 100004 ' 'Luis Hernández Ríos'; ok $? "spaces around the text do not matter"
found 'DGRH' 'Luis Hernández Ríos'; ok $? "a unit code"
names results | grep -qxF 'Juan Pérez López'
[ $? -ne 0 ]; ok $? "and only that unit's people"
found 'recursos humanos' 'Luis Hernández Ríos'; ok $? "words of a unit's name"
body_has 'luis.hernandez@institucion.gob.mx' "a result shows the e-mail"
body_has 'Dirección General de Recursos Humanos' "and the unit"
found 'zzzz nadie' 'x'
body_has 'No encontramos a nadie' "no match says so"

fetch -b "$O" -G --data-urlencode 'q=<script>alert(1)</script>' "$BASE/contactos"
is_status 200 "hostile text is just text"
body_lacks '<script>alert' "never echoed raw"
body_has 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' "kept in the box, escaped"
fetch -b "$O" -G --data-urlencode 'q=%' "$BASE/contactos"
[ "$STATUS" = 200 ] && [ -z "$(names results)" ]
ok $? "% is a literal, not a wildcard"
fetch -b "$O" -G --data-urlencode 'q=_' "$BASE/contactos"
[ "$STATUS" = 200 ] && [ -z "$(names results)" ]
ok $? "_ is a literal, not a wildcard"
fetch -b "$O" -G --data-urlencode "q=\\" "$BASE/contactos"
is_status 200 "a lone backslash"
fetch -b "$O" -G --data-urlencode "q=$(printf 'x%.0s' $(seq 1 101))" "$BASE/contactos"
is_status 400 "a search over 100 characters"
body_has 'No pudimos leer la búsqueda' "is named"
fetch -b "$O" "$BASE/contactos?q=%FF%FE"
is_status 400 "a search that is not UTF-8"
fetch -b "$O" "$BASE/contactos?q=luis&tras=%27%3B--"
[ "$STATUS" = 200 ] && names results | grep -qxF 'Luis Hernández Ríos'
ok $? "a bad page cursor is ignored"

# Active employees only.
q "UPDATE directory SET active = false WHERE rfc = 'ROCA700101AA1'" >/dev/null
found 'carrasco' 'Roberto Carrasco, Jr.'
[ $? -ne 0 ]; ok $? "an employee no longer active is not found"
q "UPDATE directory SET active = true WHERE rfc = 'ROCA700101AA1'" >/dev/null
found 'carrasco' 'Roberto Carrasco, Jr.'; ok $? "and is found again once active"

# Keyset pages of 25 by (name, RFC): 30 namesakes, every one reached once.
q "INSERT INTO directory (employee_no, rfc, name, email)
   SELECT 'T18-' || i, 'PAGA8001' || lpad(i::text, 2, '0') || 'AA1', 'Paginado Prueba', 'paginado' || i || '@institucion.gob.mx'
   FROM generate_series(1, 30) i" >/dev/null
seen=$T_TMP/seen
: >"$seen"
url="$BASE/contactos?q=paginado"
pages=0
while [ -n "$url" ] && [ $pages -lt 5 ]; do
	fetch -b "$O" "$url"
	grep -o 'PAGA[0-9]*AA1' "$T_TMP/body" | sort -u >>"$seen"
	next=$(sed -n 's/.*href="\(\/contactos?q=paginado[^"]*tras=[^"]*\)".*/\1/p' "$T_TMP/body" | sed 's/&amp;/\&/g')
	url=${next:+$BASE$next}
	pages=$((pages + 1))
done
[ "$(wc -l <"$seen")" = 30 ] && [ "$(sort -u "$seen" | wc -l)" = 30 ] && [ $pages = 2 ]
ok $? "30 namesakes over 2 pages, none twice (got $(wc -l <"$seen") in $pages pages)"
q "DELETE FROM directory WHERE employee_no LIKE 'T18-%'" >/dev/null

# --- Favourites. ---
fetch -b "$O" -G --data-urlencode 'q=hernández' "$BASE/contactos"
tok=$(field csrf)
body_has "name=\"rfc\" value=\"$LUIS\"" "each result has a favourite button"
fetch -b "$O" -X POST --data-urlencode "csrf=$tok" -d accion=favorito -d "rfc=$LUIS" --data-urlencode 'q=hernández' "$BASE/contactos"
is_status 303 "marking a favourite"
[ "$(loc)" = '/contactos?q=hern%C3%A1ndez' ]
ok $? "back to the same search ($(loc))"
fetch -b "$O" -X POST --data-urlencode "csrf=$tok" -d accion=favorito -d "rfc=$LUIS" "$BASE/contactos"
[ "$STATUS" = 303 ] && [ "$(loc)" = /contactos ]
ok $? "twice is once, and without a search back to the plain page"
[ "$(q "SELECT count(*) FROM favourite_contacts f JOIN users u ON u.id = f.user_id WHERE u.rfc = 'GOMA800101AB1' AND f.rfc = '$LUIS'")" = 1 ]
ok $? "stored once"
signin demo1 "$O"
fetch -b "$O" "$BASE/contactos"
names favourites | grep -qxF 'Luis Hernández Ríos'
ok $? "favourites are listed without a search, and outlast the session"
body_has 'value="quitar_favorito"' "with a button to remove"
fetch -b "$I" "$BASE/contactos"
! names favourites | grep -qxF 'Luis Hernández Ríos'
ok $? "another user's favourites are their own"
fetch -b "$O" "$BASE/contactos"
tok=$(field csrf)
fetch -b "$O" -X POST --data-urlencode "csrf=$tok" -d accion=favorito -d rfc=ZZZZ010101ZZ9 "$BASE/contactos"
is_status 400 "an RFC not in the directory"
body_has 'Esa persona no está activa en el directorio' "is named"
fetch -b "$O" -X POST --data-urlencode "csrf=$tok" -d accion=favorito --data-urlencode 'rfc=<b>x' "$BASE/contactos"
is_status 400 "a value that is no RFC"
body_lacks '<b>x' "is not echoed"
fetch -b "$O" -X POST -d accion=favorito -d "rfc=$OLGA" "$BASE/contactos"
is_status 403 "no CSRF token, no change"
fetch -b "$O" -X POST --data-urlencode "csrf=$tok" -d accion=otra "$BASE/contactos"
is_status 400 "an unknown action"
fetch -b "$O" -X POST --data-urlencode "csrf=$tok" -d accion=quitar_favorito -d "rfc=$LUIS" "$BASE/contactos"
is_status 303 "removing a favourite"
fetch -b "$O" "$BASE/contactos"
! names favourites | grep -qxF 'Luis Hernández Ríos'
ok $? "it is gone"
[ "$(q "SELECT count(*) FROM favourite_contacts f JOIN users u ON u.id = f.user_id WHERE u.rfc = 'GOMA800101AB1'")" = 0 ]
ok $? "and so is its row"

# --- An instant meeting with a contact, in one step. ---
fetch -b "$O" -G --data-urlencode 'q=hernández' "$BASE/contactos"
body_has "name=\"con\" value=\"$LUIS\"" "each result has an instant-meeting button"
body_has "href=\"/reuniones/nueva?internos=$LUIS\"" "and a link to schedule one"
tok=$(field csrf)
fetch -b "$O" -X POST --data-urlencode "csrf=$tok" -d tipo=instantanea -d "con=$LUIS" "$BASE/reuniones/nueva"
is_status 303 "the contact's instant-meeting button"
inst=$(loc)
echo "$inst" | grep -q '^/reuniones/[0-9]*$'
ok $? "to the new meeting's details ($inst)"
fetch -b "$O" "$BASE$inst"
body_has 'Luis Hernández Ríos — participante' "which lists the contact as participant"
[ "$(q "SELECT kind FROM meetings WHERE id = ${inst##*/}")" = instant ]
ok $? "an instant meeting"
before=$(q "SELECT count(*) FROM meetings")
fetch -b "$O" -X POST --data-urlencode "csrf=$tok" -d tipo=instantanea -d con=ZZZZ010101ZZ9 "$BASE/reuniones/nueva"
is_status 400 "an instant meeting with an RFC not in the directory"
body_has 'Esa persona no está activa en el directorio' "says why"
fetch -b "$O" -X POST --data-urlencode "csrf=$tok" -d tipo=instantanea --data-urlencode 'con=<i>x' "$BASE/reuniones/nueva"
is_status 400 "with something that is no RFC"
body_lacks '<i>x' "not echoed"
[ "$(q "SELECT count(*) FROM meetings")" = "$before" ]
ok $? "neither made a meeting"
fetch -b "$O" -X POST --data-urlencode "csrf=$tok" -d tipo=instantanea -d con=GOMA800101AB1 "$BASE/reuniones/nueva"
[ "$STATUS" = 303 ] && [ "$(q "SELECT count(*) FROM meeting_participants WHERE meeting_id = $(loc | sed 's,.*/,,')")" = 0 ]
ok $? "naming oneself invites nobody (the owner is there already)"

# --- "Programar": the scheduled form with the contact already among the participants. ---
fetch -b "$O" "$BASE/reuniones/nueva?internos=$LUIS"
is_status 200 "the schedule link"
body_has "$LUIS</textarea>" "pre-fills the participants"
fetch -b "$O" -G --data-urlencode "internos=$OLGA" "$BASE/reuniones/nueva"
body_has "$OLGA</textarea>" "an RFC with Ñ too"
fetch -b "$O" -G --data-urlencode 'internos=<script>x</script>' "$BASE/reuniones/nueva"
is_status 400 "a pre-fill that is no RFC"
body_lacks '<script>x' "is not echoed"

# --- Frequent contacts: the most meetings together in the last 90 days. ---
fetch -b "$F" "$BASE/reuniones/nueva"
ftok=$(field csrf)
mk() {	# mk NAME INTERNOS: a scheduled meeting owned by fisica; prints its id
	fetch -b "$F" -X POST --data-urlencode "csrf=$ftok" -d tipo=programada --data-urlencode "nombre=$1" \
		-d "fecha=$TOMORROW" -d hora=10:00 -d duracion=30 -d zona=America/Mexico_City \
		--data-urlencode "internos=$2" "$BASE/reuniones/nueva"
	[ "$STATUS" = 303 ] && loc | sed 's,.*/,,'
}
a=$(mk 'Contactos A' "$(printf '%s\n%s' "$OLGA" "$LUIS")") && b=$(mk 'Contactos B' "$OLGA") &&
	c=$(mk 'Contactos C' "$LUIS") && d=$(mk 'Contactos D' "$LUIS") && e=$(mk 'Contactos E' "$LUIS")
ok $? "five meetings with participants"
# Two held last week, one cancelled, one 100 days ago, one still to come.
q "UPDATE meetings SET starts_at = now() - interval '7 days', ends_at = now() - interval '7 days' + interval '30 minutes' WHERE id IN ($a, $b)" >/dev/null
q "UPDATE meetings SET starts_at = now() - interval '1 day', ends_at = now() - interval '1 day' + interval '30 minutes', status = 'cancelled' WHERE id = $c" >/dev/null
q "UPDATE meetings SET starts_at = now() - interval '100 days', ends_at = now() - interval '100 days' + interval '30 minutes' WHERE id = $d" >/dev/null
fetch -b "$F" -X POST --data-urlencode "csrf=$ftok" -d tipo=instantanea -d "con=$OLGA" "$BASE/reuniones/nueva"
is_status 303 "and an instant one with a contact"
fetch -b "$F" "$BASE/contactos"
names frequent >"$T_TMP/freq"
[ "$(sed -n 1p "$T_TMP/freq")" = 'Olga Muñoz Ortiz|3' ]
ok $? "the contact met most comes first, with the count ($(tr '\n' ';' <"$T_TMP/freq"))"
[ "$(sed -n 2p "$T_TMP/freq")" = 'Luis Hernández Ríos|1' ]
ok $? "cancelled, older than 90 days and future meetings do not count"
body_has '1 reunión<' "one meeting in the singular"
fetch -b "$O" -X POST --data-urlencode "csrf=$tok" -d tipo=instantanea -d con=PELJ750315CD2 "$BASE/reuniones/nueva"
fetch -b "$I" "$BASE/contactos"
names frequent | grep -q '^Ana Gómez Martínez|'
ok $? "an invitee counts the meeting's owner among their contacts"
fetch -b "$O" "$BASE/contactos"
names frequent | grep -q '^Juan Pérez López|' && ! names frequent | grep -q '^Ana Gómez Martínez'
ok $? "the owner counts the invitee, never themselves"
body_has "name=\"con\" value=\"PELJ750315CD2\"" "frequent contacts have the meeting buttons too"

echo "1..$T_N"

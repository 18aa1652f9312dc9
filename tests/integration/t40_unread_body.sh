#!/bin/sh
# t40_unread_body.sh: answers sent without reading a large request body (413, 405) arrive whole,
# now that libfcgi closes without waiting for nginx (lib/srv.c: srv_drain, the close timeout).
. "$(dirname "$0")/lib.sh"

# Only this test's part of nginx's error log is looked at below.
LOGSTART=$(wc -c <"$STATE/log/nginx-error.log" 2>/dev/null || echo 0)

# The setting under test must be in effect, or the rest proves nothing.
# (setenv does not show in /proc/PID/environ: srv.c logs the value libfcgi read.)
grep -q 'libfcgi close wait 0 ms' "$STATE/log/idioma.log"
ok $? "idioma runs with libfcgi's close wait off"

# Above idioma's 4 KiB and far above a unix socket's buffer, under nginx's 1 MiB: nginx is
# still sending it when the program answers. Without srv_drain this failed about every other
# time as a 503 (nginx: "Broken pipe while sending request to upstream").
head -c 900000 /dev/zero | tr '\0' 'a' >"$T_TMP/900k"
: >"$T_TMP/seen"
csrf_from_page
bad=0
i=0
while [ $i -lt 20 ]; do
	i=$((i + 1))
	fetch -b "$JAR" -X POST --data-binary "@$T_TMP/900k" \
		-H 'Content-Type: application/x-www-form-urlencoded' "$BASE/idioma"
	if [ "$STATUS" != 413 ] || ! grep -qF 'Envío demasiado grande' "$T_TMP/body" ||
		! grep -qF '</html>' "$T_TMP/body"; then
		bad=$((bad + 1))
		echo "# try $i: status $STATUS, $(wc -c <"$T_TMP/body") bytes" >>"$T_TMP/seen"
	fi
done
cat "$T_TMP/seen"
[ $bad -eq 0 ]
ok $? "20 bodies of 900 kB over the program's limit: 20 whole 413 pages ($bad not)"

# A wrong method is refused before the body is looked at: the same case through another path.
bad=0
i=0
while [ $i -lt 10 ]; do
	i=$((i + 1))
	fetch -X POST --data-binary "@$T_TMP/900k" -H 'Content-Type: application/x-www-form-urlencoded' "$BASE/"
	{ [ "$STATUS" = 405 ] && grep -qF '</html>' "$T_TMP/body"; } || bad=$((bad + 1))
done
[ $bad -eq 0 ]
ok $? "10 large POSTs to the landing page: 10 whole 405 pages ($bad not)"

# A body the program does read still reaches it whole (multipart, within the limit).
fetch -b "$JAR" -X POST -F lang=es -F volver=/ -F "csrf=$TOKEN" "$BASE/idioma"
is_status 303 "a form that is read is still handled"

tail -c +$((LOGSTART + 1)) "$STATE/log/nginx-error.log" >"$T_TMP/nginx-error"
! grep -E 'Broken pipe|reset by peer|prematurely closed' "$T_TMP/nginx-error"
ok $? "nginx logged no broken pipe or reset from the programs"

echo "1..$T_N"

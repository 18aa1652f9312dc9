#!/bin/sh
# t07_sockets.sh: the three ways a program gets its socket: -s (tools/dev uses it),
# fd 0 from spawn-fcgi, and LISTEN_FDS from systemd socket activation.
. "$(dirname "$0")/lib.sh"
CONF=$STATE/conf/sekkan.hdf

# fcgi_get SOCKET PATH: one GET straight over FastCGI, no nginx.
fcgi_get() {
	env -i REQUEST_METHOD=GET DOCUMENT_URI="$2" REQUEST_URI="$2" REMOTE_ADDR=127.0.0.1 \
		QUERY_STRING= cgi-fcgi -bind -connect "$1" 2>/dev/null
}

# fd 0: spawn-fcgi binds the socket and execs the program with it as stdin.
sock=$T_TMP/spawn.sock
spawn-fcgi -s "$sock" -U www-data -u sekkan -g sekkan -P "$T_TMP/spawn.pid" -- \
	"$BIN/healthz" -c "$CONF" -n 1 >/dev/null 2>>"$STATE/log/healthz.log"
wait_for test -S "$sock"
fcgi_get "$sock" /healthz >"$T_TMP/out"
grep -q '"status":"ok"' "$T_TMP/out"
ok $? "listening socket on fd 0 (spawn-fcgi)"
grep -q '^Content-Security-Policy:' "$T_TMP/out"
ok $? "security headers straight from the program"
kill -TERM "$(cat "$T_TMP/spawn.pid")"
gone() { ! kill -0 "$(cat "$T_TMP/spawn.pid")" 2>/dev/null; }
wait_for gone
ok $? "stops on SIGTERM"

# LISTEN_FDS: systemd's socket activation passes the socket as fd 3.
sock=$T_TMP/sd.sock
systemd-socket-activate -l "$sock" "$BIN/healthz" -c "$CONF" -n 1 \
	>/dev/null 2>>"$STATE/log/healthz.log" &
sd=$!
wait_for test -S "$sock"
fcgi_get "$sock" /healthz >"$T_TMP/out"
grep -q '"status":"ok"' "$T_TMP/out"
ok $? "listening socket from LISTEN_FDS (systemd socket activation)"
fcgi_get "$sock" /nothing >"$T_TMP/out"
grep -q '^Status: 404' "$T_TMP/out"
ok $? "the front gate answers 404 for another path"
kill -TERM $sd
wait $sd 2>/dev/null
ok 0 "socket-activated program stopped"

# A second server on a live socket is refused instead of stealing it.
"$BIN/index" -c "$CONF" -s "$STATE/run/index.sock" -n 1 </dev/null 2>"$T_TMP/err"
[ $? -ne 0 ] && grep -q 'in use by another running server' "$T_TMP/err"
ok $? "a second server on a live socket is refused"
fetch "$BASE/"
is_status 200 "and the first one still serves"

# SIGHUP (a closed terminal) leaves the master and its workers in place.
master=$(cat "$STATE/run/idioma.pid")
kill -HUP "$master"
sleep 0.3
kill -0 "$master" 2>/dev/null && [ "$(children_of "$master" | wc -w)" -eq 2 ]
ok $? "SIGHUP does not stop the master or orphan its workers"

# No socket at all: a clear message, not a hang.
out=$("$BIN/healthz" -c "$CONF" </dev/null 2>&1 >/dev/null)
echo "$out" | grep -q 'no listening socket'
ok $? "without a socket it says so and exits"
"$BIN/healthz" -c /nonexistent.hdf -s "$T_TMP/x.sock" 2>"$T_TMP/err" </dev/null
[ $? -ne 0 ] && grep -q '/nonexistent.hdf' "$T_TMP/err"
ok $? "a missing config file is named and fatal"
"$BIN/healthz" -x 2>"$T_TMP/err" </dev/null
[ $? -eq 2 ] && grep -q '^usage:' "$T_TMP/err"
ok $? "a bad option prints usage"

echo "1..$T_N"

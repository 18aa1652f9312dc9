#!/bin/sh
# t24b_collector_tls.sh: the collector over wss:// to a remote-style prosody, certificates
# checked. A throwaway PKI made here (in the instance's state, never committed): a CA, a
# certificate for localhost from it, one for another host name from it, and an unrelated CA.
# The instance's prosody serves its WebSocket over TLS on PORT+6 (the right name) and PORT+7
# (the wrong name) for the length of the test; a second collector (own config, pid file, log
# and Redis prefix) then: signs in with the right CA and stores what a simulated bridge
# publishes; is refused with the unknown CA and with the wrong name (one log line naming the
# problem, nothing stored, retries with back-off, still running). First, over plain ws:// to
# a peer offering only PLAIN, it never sends the password. The instance's own collector is
# stopped meanwhile, so whatever is stored came over TLS; prosody's config, the collector and
# the database are put back at the end whatever happens.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/collector_lib.sh"

collector_setup
rk() { redis-cli -s "$STATE/run/redis.sock" "$@"; }
dev() { "$ROOT/tools/dev" service "$STATE" "$@" >>"$STATE/log/t24b-services.log" 2>&1; }
PORT=${BASE##*:}
TLS_OK=$((PORT + 6)) TLS_BAD=$((PORT + 7))
PKI=$STATE/tls
PCFG=$STATE/conf/prosody.cfg.lua
BRIDGE=jvb-tls-$(room_name | cut -c1-8)
XC=$STATE/run/collector-tls.pid
SIMPID= FAKE= XCW=
chmod 0755 "$T_TMP"

# Whatever happens (the trap), and at the end on purpose: the extra collector and the helpers
# stop, prosody gets its config back, the bridge this test made leaves the database, and the
# instance's collector runs again.
restore() {
	[ -n "$XCW" ] && { kill -TERM "$(cat "$XC")" 2>/dev/null; wait "$XCW" 2>/dev/null; XCW=; }
	[ -n "$FAKE" ] && { kill "$FAKE" 2>/dev/null; wait "$FAKE" 2>/dev/null; FAKE=; }
	[ -n "$SIMPID" ] && { touch "$T_TMP/sim.done"; wait_for sh -c "! kill -0 $SIMPID"; kill "$SIMPID" 2>/dev/null;
		wait "$SIMPID" 2>/dev/null; SIMPID=; }
	if [ -f "$PKI/prosody.cfg.lua.orig" ]; then
		cp "$PKI/prosody.cfg.lua.orig" "$PCFG"
		rm -f "$PKI/prosody.cfg.lua.orig"
		dev prosody stop
		dev prosody start
	fi
	q "DELETE FROM bridge_minutes WHERE bridge_id IN (SELECT id FROM bridges WHERE name = '$BRIDGE');
	   DELETE FROM stat_bridge_hours WHERE bridge_id IN (SELECT id FROM bridges WHERE name = '$BRIDGE');
	   DELETE FROM stat_bridge_days WHERE bridge_id IN (SELECT id FROM bridges WHERE name = '$BRIDGE');
	   DELETE FROM bridge_transitions WHERE bridge_id IN (SELECT id FROM bridges WHERE name = '$BRIDGE');
	   DELETE FROM bridges WHERE name = '$BRIDGE'" >/dev/null 2>&1
	for k in $(rk --scan --pattern 'wss*:*'); do rk DEL "$k" >/dev/null; done
	dev collector start
}
cleanup() {
	restore
	rm -rf "$T_TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
dev collector stop

# xconf NAME URL [KEY = VALUE…]: a config for the extra collector, from the instance's.
xconf() {
	f=$T_TMP/$1.hdf url=$2
	shift 2
	sed -e '/^Collector\.URL/d' -e '/^Collector\.Secure/d' -e '/^Redis\.Prefix/d' "$STATE/conf/sekkan.hdf" >"$f"
	printf 'Collector.URL = %s\nRedis.Prefix = %s:\n' "$url" "$(basename "$f" .hdf)" >>"$f"
	for kv in "$@"; do printf '%s\n' "$kv" >>"$f"; done
	chmod 0644 "$f"
}
# xstart NAME: the extra collector as the instance's runs (user sekkan), its log in the state.
xstart() {
	XLOG=$STATE/log/collector-$1.log
	: >"$XLOG"
	runuser -u sekkan -- "$ROOT/tools/collector/sekkan-collector" -c "$T_TMP/$1.hdf" -p "$XC" \
		>>"$XLOG" 2>&1 &
	XCW=$!
	wait_for test -s "$XC"
}
# xstop: SIGTERM to the collector (not to runuser); the status it exits with.
xstop() {
	kill -TERM "$(cat "$XC")" 2>/dev/null
	wait "$XCW"
	rc=$?
	XCW=
	return $rc
}
# attempts PATTERN N: wait up to 20 s for N log lines matching PATTERN, noting when each came.
attempts() {
	: >"$T_TMP/times"
	seen=0 i=0
	while [ $i -lt 200 ]; do
		n=$(grep -c "$1" "$XLOG")
		while [ "$seen" -lt "$n" ]; do date +%s.%N >>"$T_TMP/times"; seen=$((seen + 1)); done
		[ "$n" -ge "$2" ] && return 0
		i=$((i + 1))
		sleep 0.1
	done
	return 1
}
# backoff: each wait between attempts longer than the one before (1 s, 2 s, 4 s ± a quarter).
backoff() { awk 'NR > 1 { g = $1 - p; if (NR > 2 && g <= pg) bad = 1; pg = g } { p = $1 } END { exit bad || NR < 3 }' "$T_TMP/times"; }

# 1. Plain ws:// not marked secure, to a peer that offers only PLAIN: no <auth> at all.
FPW=fake-$(room_name)
/usr/bin/python3 "$ROOT/tests/integration/collector_fakeprosody.py" "$TLS_BAD" "$FPW" "$T_TMP/fake.json" \
	>"$T_TMP/fake.out" 2>&1 &
FAKE=$!
wait_for sh -c "ss -ltn | grep -q ':$TLS_BAD '"
xconf wssplain "ws://127.0.0.1:$TLS_BAD/xmpp-websocket"
xstart wssplain
attempts 'offers neither SCRAM-SHA-1 nor PLAIN over a secure link' 2
ok $? "ws:// not marked secure, PLAIN only offered: the collector refuses to sign in, and says why"
grep -q '"connections": [1-9]' "$T_TMP/fake.json" && grep -q '"auths": 0' "$T_TMP/fake.json"
ok $? "the peer saw connections but no authentication attempt (no password sent)"
xstop
ok $? "that collector stops cleanly"
kill "$FAKE"
wait "$FAKE" 2>/dev/null
FAKE=

# 2. The PKI: two CAs, a certificate for localhost (and 127.0.0.1) and one for another name.
mkdir -p "$PKI"
chmod 0755 "$PKI"
ca() {
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=$2" \
		-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
		-keyout "$PKI/$1.key" -out "$PKI/$1.pem" 2>>"$T_TMP/openssl.err"
}
leaf() {
	printf 'subjectAltName = %s\nextendedKeyUsage = serverAuth\nbasicConstraints = CA:FALSE\n' "$3" >"$T_TMP/$1.ext"
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$2" \
		-keyout "$PKI/$1.key" -out "$T_TMP/$1.csr" 2>>"$T_TMP/openssl.err" &&
	openssl x509 -req -in "$T_TMP/$1.csr" -CA "$PKI/ca.pem" -CAkey "$PKI/ca.key" -CAcreateserial \
		-days 2 -extfile "$T_TMP/$1.ext" -out "$PKI/$1.pem" 2>>"$T_TMP/openssl.err"
}
ca ca "Sekkan t24b CA" && ca otra-ca "Otra CA t24b" &&
	leaf localhost localhost "DNS:localhost, IP:127.0.0.1" && leaf otro otro.example "DNS:otro.example"
ok $? "a throwaway PKI: two CAs, a certificate for localhost, one for otro.example"
chown prosody "$PKI/localhost.key" "$PKI/otro.key"
chmod 0600 "$PKI"/*.key
chmod 0644 "$PKI"/*.pem

# 3. prosody: HTTPS on PORT+6 (localhost's certificate) and PORT+7 (otro.example's). prosody
# answers only the TLS server names (SNI) and HTTP hosts of its virtual hosts, as a Jitsi
# deployment's prosody serves meet.example.gob.mx: here a virtual host "localhost", which the
# collector names because the URL does (its default Host over wss://).
cp "$PCFG" "$PKI/prosody.cfg.lua.orig"
cat >"$T_TMP/https.lua" <<LUA
https_ssl = {
	[$TLS_OK] = { certificate = "$PKI/localhost.pem", key = "$PKI/localhost.key" };
	[$TLS_BAD] = { certificate = "$PKI/otro.pem", key = "$PKI/otro.key" };
}
LUA
sed -e "s|^https_ports = { }\$|https_ports = { $TLS_OK, $TLS_BAD }|" \
	-e "s|^https_interfaces = { }\$|https_interfaces = { \"127.0.0.1\" }|" \
	-e "/^https_interfaces/r $T_TMP/https.lua" "$PKI/prosody.cfg.lua.orig" >"$PCFG"
printf '\n-- t24b_collector_tls.sh, while it runs\nVirtualHost "localhost"\n' >>"$PCFG"
dev prosody stop
dev prosody start
listening() { ss -ltn | grep -q ":$TLS_OK " && ss -ltn | grep -q ":$TLS_BAD "; }
wait_for listening
ok $? "prosody serves its WebSocket over TLS on $TLS_OK and $TLS_BAD"

# A videobridge publishing all along, through prosody's plain c2s port.
/usr/bin/python3 - >"$T_TMP/sim.out" 2>&1 <<PYEOF &
import asyncio, os, sys
sys.path.insert(0, "$ROOT/tests/integration")
from jitsi_sim import Bridge, Sim
async def main():
    b = Bridge(Sim("$T_TMP/tls.truth", $C2S, "$JVBPW"), "$BRIDGE")
    await b.join()
    while not os.path.exists("$T_TMP/sim.done"):
        await asyncio.sleep(0.2)
    await b.leave()
asyncio.run(main())
PYEOF
SIMPID=$!
wait_for test -s "$T_TMP/tls.truth"
ok $? "a simulated bridge ($BRIDGE) publishes its stats in the brewery"

# 4. The right CA and the right name: signed in (SCRAM, though PLAIN is offered), stored.
xconf wssok "wss://localhost:$TLS_OK/xmpp-websocket" "Collector.CAFile = $PKI/ca.pem"
xstart wssok
attempts 'collector: connected to prosody as collector@auth' 1
ok $? "wss:// with the right CA and name: signed in"
grep -q "mechanism='SCRAM-SHA-1'" "$XLOG" && ! grep -q "mechanism='PLAIN'" "$XLOG"
ok $? "it signed in with SCRAM-SHA-1, never PLAIN"
stored() {
	[ "$(rk HGET "wssok:tel:bridge:$BRIDGE" available)" = 1 ] &&
		[ "$(q "SELECT coalesce(sum(m.samples), 0) FROM bridge_minutes m JOIN bridges b ON b.id = m.bridge_id
			WHERE b.name = '$BRIDGE'")" -ge 2 ]
}
wait_for stored
ok $? "the bridge's samples are in PostgreSQL and Redis (the instance's collector is stopped)"
stress=$(rk HGET "wssok:tel:bridge:$BRIDGE" stress)
[ -n "$stress" ] && grep -q "\"stress_level\": $stress," "$T_TMP/tls.truth"
ok $? "Redis: its stress ($stress) is one the bridge published"
# (The collector publishes its state once a second and at once on connecting: wait for it.)
wait_for sh -c "[ \"\$(redis-cli -s '$STATE/run/redis.sock' HGET wssok:tel:collector connected)\" = 1 ]" &&
	grep -q "jvbbrewery@internal.auth.$JDOMAIN/sekkan-collector-" "$XLOG"
ok $? "Redis: the collector is connected; it joined the brewery"
xstop
ok $? "and stops cleanly on SIGTERM"
samples=$(q "SELECT sum(m.samples) FROM bridge_minutes m JOIN bridges b ON b.id = m.bridge_id WHERE b.name = '$BRIDGE'")

# 5. and 6. Refused: an unknown CA, then the right CA but a certificate for another name.
refused() {	# refused NAME URL CAFILE REASON
	xconf "$1" "$2" "Collector.CAFile = $3"
	xstart "$1"
	attempts 'cannot connect to prosody: TLS certificate refused' 3
	ok $? "$1: refused three times in a row"
	grep -q "cannot connect to prosody: TLS certificate refused: $4 " "$XLOG"
	ok $? "$1: the log line names the problem ($4)"
	! grep -v ': info: ' "$XLOG" | grep -qv 'cannot connect to prosody: TLS certificate refused'
	ok $? "$1: one line per attempt, nothing else logged as an error"
	backoff
	ok $? "$1: it retries with back-off ($(awk 'NR > 1 { printf "%.1f s ", $1 - p } { p = $1 }' "$T_TMP/times"))"
	# (It may write the bridge down: the database had it up and it cannot see it now.)
	! grep -q 'connected to prosody as' "$XLOG" && [ "$(rk HGET "$1:tel:collector" connected)" = 0 ] &&
		[ "$(rk HGET "$1:tel:collector" events)" = 0 ] && [ "$(rk HGET "$1:tel:bridge:$BRIDGE" available)" != 1 ] &&
		[ "$(q "SELECT sum(m.samples) FROM bridge_minutes m JOIN bridges b ON b.id = m.bridge_id
			WHERE b.name = '$BRIDGE'")" = "$samples" ]
	ok $? "$1: never signed in, received and stored nothing (still $samples samples)"
	kill -0 "$XCW" 2>/dev/null
	ok $? "$1: the collector is still running"
	xstop
	ok $? "$1: and stops cleanly"
}
refused wssca "wss://localhost:$TLS_OK/xmpp-websocket" "$PKI/otra-ca.pem" "unable to get local issuer certificate"
refused wssname "wss://localhost:$TLS_BAD/xmpp-websocket" "$PKI/ca.pem" "hostname mismatch"

# 7. A CA file that is not one: a config error at start, not a silent trust-nothing.
printf 'no es un certificado\n' >"$T_TMP/basura.pem"
chmod 0644 "$T_TMP/basura.pem"
xconf wssbad "wss://localhost:$TLS_OK/xmpp-websocket" "Collector.CAFile = $T_TMP/basura.pem"
runuser -u sekkan -- "$ROOT/tools/collector/sekkan-collector" -c "$T_TMP/wssbad.hdf" >"$T_TMP/bad.log" 2>&1
rc=$?
[ $rc = 1 ] && grep -q "config: Collector.CAFile $T_TMP/basura.pem holds no PEM certificate" "$T_TMP/bad.log"
ok $? "a Collector.CAFile without certificates stops the collector at start with a config error"

# 8. Everything as it was, for the tests after this one.
cp "$PCFG" "$T_TMP/with-tls.lua"
restore
! cmp -s "$PCFG" "$T_TMP/with-tls.lua" && ! grep -q 'localhost' "$PCFG" && ! ss -ltn | grep -q ":$TLS_OK "
ok $? "prosody runs with its own config again (no HTTPS ports)"
back() { [ "$(rk HGET sekkan:tel:collector connected)" = 1 ] &&
	[ "$(rk HGET sekkan:tel:collector pid)" = "$(cat "$STATE/run/collector.pid")" ]; }
wait_for back
ok $? "the instance's collector is back and connected"
[ "$(q "SELECT count(*) FROM bridges WHERE name = '$BRIDGE'")" = 0 ] && [ -z "$(rk --scan --pattern 'wss*:*')" ]
ok $? "this test's bridge and Redis keys are gone"

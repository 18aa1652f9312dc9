#!/bin/sh
# t04_workers.sh: the pre-forked workers: a killed worker is replaced, SIGTERM stops cleanly.
. "$(dirname "$0")/lib.sh"

master=$(cat "$STATE/run/index.pid")
kids=$(children_of "$master")
n=$(echo "$kids" | wc -w)
[ "$n" -eq 2 ]
ok $? "index runs 2 workers (got $n)"
ps -o user= -p "$(echo "$kids" | head -n 1)" | grep -qx sekkan
ok $? "workers run as the sekkan user, not root"
stat -c '%G %a' "$STATE/run/index.sock" | grep -qx 'www-data 660'
ok $? "the socket belongs to nginx's group, mode 660"

victim=$(echo "$kids" | head -n 1)
kill -KILL "$victim"
two_new() { k=$(children_of "$master"); [ "$(echo "$k" | wc -w)" -eq 2 ] && ! echo "$k" | grep -qx "$victim"; }
wait_for two_new
ok $? "a worker killed with SIGKILL is replaced"
grep -q "worker $victim ended (signal 9)" "$STATE/log/index.log"
ok $? "the operator log says a worker died"
fetch "$BASE/"
is_status 200 "pages still answer"

# Many requests in a row land on the workers without error.
fails=0
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
	c=$(curl -s -o /dev/null -w '%{http_code}' "$BASE/?i=$i")
	[ "$c" = 200 ] || fails=$((fails + 1))
done
[ $fails -eq 0 ]
ok $? "20 requests in a row all answer 200"

# SIGTERM: the master stops its workers and removes its socket; then it is started again.
kids=$(children_of "$master")
kill -TERM "$master"
gone() { ! kill -0 "$master" 2>/dev/null; }
wait_for gone
ok $? "SIGTERM stops the master"
still=0
for k in $kids; do kill -0 "$k" 2>/dev/null && still=1; done
[ $still -eq 0 ]
ok $? "and its workers"
[ ! -e "$STATE/run/index.sock" ]
ok $? "and removes its socket"
fetch "$BASE/"
is_status 503 "nginx says the service is away while it is stopped"
body_has 'Servicio no disponible' "with the static Spanish page"

setsid $WRAP "$BIN/index" -c "$STATE/conf/sekkan.hdf" -s "$STATE/run/index.sock" \
	-p "$STATE/run/index.pid" </dev/null >>"$STATE/log/index.log" 2>&1 &
wait_for test -S "$STATE/run/index.sock"
fetch "$BASE/"
is_status 200 "started again, it serves"

echo "1..$T_N"

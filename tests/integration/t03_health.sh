#!/bin/sh
# t03_health.sh: /healthz, and pages answering 503 while PostgreSQL or Redis is away, then recovering.
. "$(dirname "$0")/lib.sh"
svc() { "$ROOT/tools/dev" service "$STATE" "$@"; }
healthy() { [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/healthz")" = 200 ]; }

fetch "$BASE/healthz"
is_status 200 "healthy stack"
head_has '^content-type: application/json' "JSON"
head_has '^cache-control: no-store' "never cached"
body_has '{"status":"ok","postgresql":"ok","redis":"ok"}' "both services reported"

svc redis stop
fetch "$BASE/healthz"
is_status 503 "Redis stopped"
body_has '"redis":"down"' "says Redis is down"
body_has '"postgresql":"ok"' "and PostgreSQL is fine"
# A page that needs Redis (a session cookie must be looked up) answers 503 in the layout.
fetch -b 'sk_sid=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' "$BASE/"
is_status 503 "a signed-in page while Redis is down"
body_has 'Servicio no disponible por el momento' "503 page in Spanish"
head_has '^retry-after: ' "503 says when to retry"
grep -q 'redis: ' "$STATE/log/healthz.log"
ok $? "the operator log names Redis"
svc redis start
wait_for healthy
ok $? "healthy again once Redis is back (workers reconnect by themselves)"

svc postgres stop
fetch "$BASE/healthz"
is_status 503 "PostgreSQL stopped"
body_has '"postgresql":"down"' "says PostgreSQL is down"
svc postgres start
wait_for healthy
ok $? "healthy again once PostgreSQL is back"
fetch "$BASE/healthz"
body_has '{"status":"ok","postgresql":"ok","redis":"ok"}' "both services reported again"

echo "1..$T_N"

# collector_lib.sh: helpers for the collector's tests (sourced after lib.sh).
C2S=$(( ${BASE##*:} + 3 ))
JDOMAIN=meet.jitsi.example
TRUTH=$T_TMP/truth.jsonl
export STATE C2S TRUTH

room_name() { head -c 20 /dev/urandom | od -An -tx1 | tr -d ' \n' | cut -c1-32; }

pctl() { runuser -u prosody -- prosodyctl --config "$STATE/conf/prosody.cfg.lua" "$@" >/dev/null 2>&1; }

# Sessions this test made (started since collector_setup) go at its end, and the admin roll-ups
# are rebuilt without them (subtracting would leave zero rows a rebuild does not have): a
# scenario's dozens of people in the current hour would otherwise be the instance's busiest
# hour, which t31 checks against its own data set.
collector_forget() {
	q "DELETE FROM jitsi_sessions WHERE started_at >= '$T_SINCE'" >/dev/null
	q "SELECT stat_rebuild()" >/dev/null
	[ "$(q "SELECT count(*) FROM jitsi_sessions WHERE started_at >= '$T_SINCE'")" = 0 ]
	ok $? "this test's sessions are removed, the admin roll-ups rebuilt"
}

# Accounts for the bridges and three members with a token context (the test fixture module).
collector_setup() {
	T_SINCE=$(q "SELECT now()")
	JVBPW=jvb-$(room_name)
	export JVBPW
	pctl register jvb "auth.$JDOMAIN" "$JVBPW"
	for n in 1 2 3; do
		rfc=$(printf 'COLL80010%dAB1' "$n")
		id=$(q "INSERT INTO users (rfc, name, email, status) VALUES ('$rfc', 'Miembro $n', 'm$n@example.mx', 'active')
			ON CONFLICT (rfc) DO UPDATE SET name = excluded.name RETURNING id" | head -n 1)
		eval "U$n=$id"
		pctl register "member-$id" "$JDOMAIN" "pw-$id"
	done
	export U1 U2 U3
	cat >"$STATE/conf/test-context.json" <<JSON
{"member-$U1": {"id": "$U1", "name": "Ana Gómez", "email": "ana@example.mx", "moderator": "true", "affiliation": "owner"},
 "member-$U2": {"id": "$U2", "name": "Juan Pérez", "email": "juan@example.mx", "moderator": "false", "affiliation": "member"},
 "member-$U3": {"id": "$U3", "name": "Luis Hernández", "email": "luis@example.mx", "moderator": "true", "affiliation": "owner"}}
JSON
	chmod 0644 "$STATE/conf/test-context.json"
}

# run_sim SCRIPT: the python scenario prints TAP numbered after ours.
run_sim() {
	TAP_START=$T_N /usr/bin/python3 "$ROOT/tests/integration/$1" >"$T_TMP/sim.out" 2>"$T_TMP/sim.err"
	rc=$?
	cat "$T_TMP/sim.out"
	SIM_N=$(sed -n 's/^# tap_count //p' "$T_TMP/sim.out")
	if [ "$rc" -ne 0 ] || [ -z "$SIM_N" ]; then
		SIM_N=${SIM_N:-$T_N}
		T_N=$SIM_N
		ok 1 "$1 ran to the end (status $rc)"
		sed 's/^/#   /' "$T_TMP/sim.err" | tail -n 30
		SIM_N=$T_N
	fi
}

collector_alive() {
	kill -0 "$(cat "$STATE/run/collector.pid")" 2>/dev/null
	ok $? "the collector is still running"
}

# What the collector stored, kept in the log directory for a failed run's post-mortem.
collector_dump() {
	runuser -u sekkan -- psql -X -h "$STATE/run" -d sekkan -c "SELECT * FROM jitsi_sessions ORDER BY id" \
		-c "SELECT a.session_id, a.person, i.* FROM attendance_intervals i JOIN attendance a ON a.id = i.attendance_id ORDER BY 1, 4" \
		-c "SELECT b.name, t.* FROM bridge_transitions t JOIN bridges b ON b.id = t.bridge_id ORDER BY 1, 3" \
		>"$STATE/log/$1-dump.txt" 2>&1
	cp "$TRUTH" "$STATE/log/$1-truth.jsonl" 2>/dev/null
}

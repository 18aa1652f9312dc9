#!/bin/sh
# run.sh: the JavaScript tests (node --test, TAP reporter) of static/js/. Prints one
# "ok N - …" / "not ok N - …" line per test, the TAP diagnostics of failures, and
# "N passed, N failed" last, like tests/run-unit.sh. Needs node >= 20 and openssl;
# the browser tests skip themselves without Chromium.
cd "$(dirname "$0")/../.." || exit 1
if ! command -v node >/dev/null 2>&1; then
	echo "not ok - node not found"
	echo "0 passed, 1 failed"
	exit 1
fi
out=$(node --test --test-reporter=tap tests/js/ 2>&1); rc=$?
# Top-level results only (subtests would be indented); skips count as passes, as in TAP.
printf '%s\n' "$out" | grep -E '^(not )?ok [0-9]+ - '
pass=$(printf '%s\n' "$out" | grep -cE '^ok [0-9]+ - ')
fail=$(printf '%s\n' "$out" | grep -cE '^not ok [0-9]+ - ')
if [ "$fail" -gt 0 ]; then
	echo "# diagnostics:"
	printf '%s\n' "$out" | awk '/^not ok [0-9]+ - /{p=1} p{print "# " $0} /^  \.\.\.$/{p=0}'
fi
# node failing without a failing line (a syntax error in a test file) is a failure too.
if [ "$rc" -ne 0 ] && [ "$fail" -eq 0 ]; then
	fail=1
	echo "not ok - node --test exited with status $rc"
	printf '%s\n' "$out" | tail -20 | sed 's/^/# /'
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

#!/bin/sh
# t05_sessions.sh: sessions and CSRF tokens in the library, against this instance's Redis.
. "$(dirname "$0")/lib.sh"
"$ROOT/tests/integration/sess_check" "$STATE/conf/sekkan.hdf"

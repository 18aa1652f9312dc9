#!/bin/sh
# ocsp.sh: serve OCSP for the test PKI in the foreground (callers background it and kill it).
#
#   sh tests/pki/ocsp.sh OUTDIR PORT [openssl ocsp options, e.g. -nmin 10]
#
# OpenSSL 3.0's `ocsp -port` takes only a number and listens on every interface: query it on
# 127.0.0.1 only. exec, so the pid the caller holds is the responder's own. Do not probe it
# with a bare TCP connect: after a connection that closes without a request, 3.0 spins at
# full CPU and answers nothing more (wait for the port in /proc/net/tcp6 instead).
set -eu
[ $# -ge 2 ] || { echo "usage: sh ocsp.sh OUTDIR PORT [openssl ocsp options]" >&2; exit 2; }
dir=${1%/} port=$2
shift 2
case $port in ''|*[!0-9]*) echo "ocsp.sh: PORT must be a number" >&2; exit 2 ;; esac
[ -f "$dir/db/index.txt" ] || { echo "ocsp.sh: $dir has no test PKI (run gen-pki.sh)" >&2; exit 1; }
exec openssl ocsp -index "$dir/db/index.txt" -port "$port" -rsigner "$dir/ocsp.pem" \
    -rkey "$dir/ocsp.key" -CA "$dir/ac.pem" -ignore_err "$@"

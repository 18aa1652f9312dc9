#!/bin/sh
# gen-pki.sh: a throw-away SAT-like PKI for the e.firma tests (root → issuing CA → FIEL, CSD, OCSP).
#
#   sh tests/pki/gen-pki.sh OUTDIR [OCSP_PORT]
#
# Writes into OUTDIR, for each NAME in fisica demo1 demo2 demo3 moral csd revocada expirada
# futura ajena: NAME.cer (DER certificate), NAME.key (encrypted DER PKCS#8 as SAT makes them:
# PBES2, PBKDF2-HMAC-SHA1 with 2048 iterations, des-ede3-cbc; password 12345678a) and NAME.pem;
# plus root.pem, ac.pem, trust.pem (root + issuing CA), ocsp.pem/ocsp.key (the responder), the
# CA database db/index.txt, which tests/pki/ocsp.sh serves, and ac.key in the clear for tests
# that mint certificates of their own (test keys only: OUTDIR is never committed). The OCSP
# AIA points at http://127.0.0.1:OCSP_PORT/ (default 8888). Idempotent: a finished OUTDIR
# (OUTDIR/.done) is left alone, so `make check` makes the keys once.
set -eu

usage() { echo "usage: sh gen-pki.sh OUTDIR [OCSP_PORT]" >&2; exit 2; }
die() { echo "gen-pki.sh: $*" >&2; exit 1; }

if [ $# -lt 1 ] || [ $# -gt 2 ]; then usage; fi
OUT=${1%/}
PORT=${2:-8888}
case $PORT in ''|*[!0-9]*) usage ;; esac
PASS=12345678a

[ -f "$OUT/.done" ] && exit 0
command -v openssl >/dev/null 2>&1 || die "openssl not found"
# Absolute paths: the work below runs inside OUT, and the lock is removed from there.
parent=$(dirname -- "$OUT")
mkdir -p -- "$parent"
OUT=$(cd -- "$parent" && pwd)/$(basename -- "$OUT")

# Two test runs may start at once (make check in two shells): the first makes the PKI, the
# other waits for it. mkdir is atomic, so it serves as the lock.
LOCK=$OUT.lock
tries=0
until mkdir "$LOCK" 2>/dev/null; do
	# A holder killed outright (SIGKILL) leaves its lock behind: its pid tells.
	holder=$(cat "$LOCK/pid" 2>/dev/null || :)
	if [ -n "$holder" ] && ! kill -0 "$holder" 2>/dev/null; then
		rm -rf "$LOCK"
		continue
	fi
	tries=$((tries + 1))
	[ "$tries" -lt 300 ] || die "$LOCK stayed locked for 5 minutes; remove it if no run is alive"
	sleep 1
done
trap 'rm -rf "$LOCK"' EXIT
echo $$ >"$LOCK/pid"
trap 'exit 1' HUP INT TERM
[ -f "$OUT/.done" ] && exit 0

# A run that died half-way left our marker: start over. Anything else is not ours to delete.
if [ -d "$OUT" ] && [ -n "$(ls -A "$OUT")" ]; then
	[ -f "$OUT/.gen-pki" ] || die "$OUT exists, is not empty and was not made by gen-pki.sh"
	rm -rf "$OUT"
fi
mkdir -p "$OUT/db" "$OUT/ajena-ca/db"
: >"$OUT/.gen-pki"
cd "$OUT"
: >db/index.txt
: >ajena-ca/db/index.txt
# Several test holders share a CURP or a name with another certificate; the CA must not mind.
echo 'unique_subject = no' >db/index.txt.attr
echo 'unique_subject = no' >ajena-ca/db/index.txt.attr

# string_mask = default is what makes OpenSSL pick PrintableString, then T61String (Latin-1
# bytes) for names with accents or Ñ, then BMPString: the encodings SAT's certificates carry.
cat >ca.cnf <<CNF
# ca.cnf: written by gen-pki.sh.
[ca]
default_ca = ac

[ac]
dir = .
database = \$dir/db/index.txt
serial = \$dir/db/serial
new_certs_dir = \$dir/db
certificate = \$dir/ac.pem
private_key = \$dir/ac.key
default_md = sha256
default_days = 1460
policy = policy_any
preserve = yes
copy_extensions = none
string_mask = default
email_in_dn = yes

[ajena]
dir = ./ajena-ca
database = \$dir/db/index.txt
serial = \$dir/db/serial
new_certs_dir = \$dir/db
certificate = \$dir/ca.pem
private_key = \$dir/ca.key
default_md = sha256
default_days = 1460
policy = policy_any
preserve = yes
copy_extensions = none
string_mask = default
email_in_dn = yes

[policy_any]
commonName = optional
name = optional
organizationName = optional
organizationalUnitName = optional
countryName = optional
emailAddress = optional
x500UniqueIdentifier = optional
serialNumber = optional

[req]
distinguished_name = req_dn
string_mask = default
utf8 = yes
prompt = no

[req_dn]
CN = unused

[v3_root]
basicConstraints = critical,CA:TRUE,pathlen:1
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash

[v3_ac]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

# What SAT puts in a FIEL, plus the AIA of the test responder (SAT's FIELs have none).
[v3_fiel]
basicConstraints = critical,CA:FALSE
keyUsage = digitalSignature,nonRepudiation,dataEncipherment,keyAgreement
extendedKeyUsage = emailProtection,clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
authorityInfoAccess = OCSP;URI:http://127.0.0.1:$PORT/

# A CSD (invoice seal): only signing bits, no EKU.
[v3_csd]
basicConstraints = critical,CA:FALSE
keyUsage = digitalSignature,nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
authorityInfoAccess = OCSP;URI:http://127.0.0.1:$PORT/

[v3_ocsp]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = critical,OCSPSigning
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF

# quiet CMD...: run an openssl command, show its output only when it fails.
quiet() {
	if ! "$@" >.log 2>&1; then
		cat .log >&2
		die "failed: $*"
	fi
}

# serial CADIR NUMBER: SAT's "número de certificado" is the serial read as ASCII digits.
serial() {
	printf '%s' "$2" | od -An -tx1 | tr -d ' \n' >"$1/db/serial"
	echo >>"$1/db/serial"
}

# csr NAME SUBJECT: a fresh RSA 2048 key (kept in the clear only until wrapped) and its request.
csr() {
	quiet openssl req -config ca.cnf -new -newkey rsa:2048 -nodes -keyout "$1.plain" \
	    -out "$1.csr" -utf8 -subj "$2"
}

# wrap NAME: the key as SAT ships it, then the clear copy goes.
wrap() {
	quiet openssl pkcs8 -topk8 -in "$1.plain" -outform DER -out "$1.key" \
	    -v2 des3 -v2prf hmacWithSHA1 -iter 2048 -passout "pass:$PASS"
	rm -f "$1.plain" "$1.csr"
}

# leaf NAME NUMBER EXTENSIONS SUBJECT [openssl ca options]: a certificate from the issuing CA.
leaf() {
	name=$1 number=$2 ext=$3 subj=$4
	shift 4
	csr "$name" "$subj"
	serial . "$number"
	quiet openssl ca -config ca.cnf -batch -notext -preserveDN -utf8 -extensions "$ext" \
	    -in "$name.csr" -out "$name.pem" "$@"
	quiet openssl x509 -in "$name.pem" -outform DER -out "$name.cer"
	wrap "$name"
}

# 1. Root: plays Banco de México's "Agencia Registradora Central".
quiet openssl req -config ca.cnf -x509 -new -newkey rsa:2048 -nodes -keyout root.key \
    -out root.pem -days 7300 -sha256 -utf8 -extensions v3_root -set_serial 1 \
    -subj "/CN=Agencia Registradora Central de pruebas/O=Banco de México (pruebas)/C=MX"

# 2. Issuing CA: plays "A.C. del Servicio de Administración Tributaria".
quiet openssl req -config ca.cnf -new -newkey rsa:2048 -nodes -keyout ac.key -out ac.csr -utf8 \
    -subj "/CN=A.C. de pruebas del SAT/O=Servicio de Administración Tributaria/OU=SAT-IES Authority/C=MX/x500UniqueIdentifier=SAT970701NN3"
quiet openssl x509 -req -in ac.csr -CA root.pem -CAkey root.key -set_serial 2 -days 3650 \
    -sha256 -extfile ca.cnf -extensions v3_ac -out ac.pem
rm -f ac.csr
cat root.pem ac.pem >trust.pem

# 3. The OCSP responder: a delegated signer issued by the CA, as SAT's "OCSP SAT".
csr ocsp "/CN=OCSP SAT de pruebas/O=Servicio de Administración Tributaria/C=MX"
serial . 30001000000700000099
quiet openssl ca -config ca.cnf -batch -notext -extensions v3_ocsp -in ocsp.csr -out ocsp.pem
mv ocsp.plain ocsp.key
rm -f ocsp.csr

# fiel NAME NUMBER HOLDER EMAIL RFC CURP [openssl ca options]: a natural person's FIEL.
fiel() {
	name=$1 number=$2 holder=$3 email=$4 rfc=$5 curp=$6
	shift 6
	leaf "$name" "$number" v3_fiel \
	    "/CN=$holder/name=$holder/O=$holder/C=MX/emailAddress=$email/x500UniqueIdentifier=$rfc/serialNumber=$curp" "$@"
}

# 4. The holders.
fiel fisica 30001000000700000001 "MARÍA JOSÉ NÚÑEZ PEÑA" maria.nunez@example.com \
    NUPM800101AB1 NUPM800101MDFXXR09
# The demo directory's people (tools/demo-data.sql), for tools/dev up.
fiel demo1 30001000000700000011 "ANA GÓMEZ MARTÍNEZ" ana.gomez@institucion.gob.mx \
    GOMA800101AB1 GOMA800101HDFMRN01
fiel demo2 30001000000700000012 "JUAN PÉREZ LÓPEZ" juan.perez@institucion.gob.mx \
    PELJ750315CD2 PELJ750315HSRRPN02
fiel demo3 30001000000700000013 "LUIS HERNÁNDEZ RÍOS" luis.hernandez@institucion.gob.mx \
    HERL851130GH4 HERL851130HDFRRS04
# A company's FIEL: "company RFC / representative's RFC" and " / representative's CURP".
leaf moral 30001000000700000002 v3_fiel \
    "/CN=EMPRESA DE PRUEBAS SA DE CV/name=EMPRESA DE PRUEBAS SA DE CV/O=EMPRESA DE PRUEBAS SA DE CV/C=MX/emailAddress=contacto@example.com/x500UniqueIdentifier=EPR010101AB1 \/ NUPM800101AB1/serialNumber= \/ NUPM800101MDFXXR09"
# An invoice seal (CSD) of the same person: the OU (branch) is what tells it apart.
leaf csd 30001000000700000003 v3_csd \
    "/CN=MARÍA JOSÉ NÚÑEZ PEÑA/name=MARÍA JOSÉ NÚÑEZ PEÑA/O=MARÍA JOSÉ NÚÑEZ PEÑA/OU=SUCURSAL CENTRO/C=MX/x500UniqueIdentifier=NUPM800101AB1/serialNumber=NUPM800101MDFXXR09"
fiel revocada 30001000000700000004 "PEDRO RAMÍREZ SOTO" pedro.ramirez@example.com \
    RASP700505QR1 RASP700505HDFMTD04
quiet openssl ca -config ca.cnf -revoke revocada.pem -crl_reason keyCompromise
fiel expirada 30001000000700000005 "ROSA ORTIZ VEGA" rosa.ortiz@example.com \
    OIVR650202ST2 OIVR650202MDFRGS05 -startdate 20200101000000Z -enddate 20210101000000Z
next=$(($(date -u +%Y) + 1))
fiel futura 30001000000700000006 "JORGE DÍAZ LUNA" jorge.diaz@example.com \
    DILJ820909UV3 DILJ820909HDFZNR06 -startdate "${next}0101000000Z" -enddate "$((next + 4))0101000000Z"

# 5. A holder of a CA nobody trusts (same names as the real ones, different keys).
quiet openssl req -config ca.cnf -x509 -new -newkey rsa:2048 -nodes -keyout ajena-ca/ca.key \
    -out ajena-ca/ca.pem -days 3650 -sha256 -utf8 -extensions v3_root -set_serial 1 \
    -subj "/CN=A.C. de pruebas del SAT/O=Servicio de Administración Tributaria/C=MX"
csr ajena "/CN=CARLOS MENDOZA RUIZ/name=CARLOS MENDOZA RUIZ/O=CARLOS MENDOZA RUIZ/C=MX/emailAddress=carlos.mendoza@example.com/x500UniqueIdentifier=MERC780707WX4/serialNumber=MERC780707HDFNZR07"
serial ajena-ca 30001000000700000007
quiet openssl ca -config ca.cnf -name ajena -batch -notext -preserveDN -utf8 -extensions v3_fiel \
    -in ajena.csr -out ajena.pem
quiet openssl x509 -in ajena.pem -outform DER -out ajena.cer
wrap ajena

rm -f .log
: >.done

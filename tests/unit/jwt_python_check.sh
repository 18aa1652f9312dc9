#!/bin/sh
# jwt_python_check.sh: cross-check lib/jwt.c against PyJWT (Debian python3-jwt), both ways:
# PyJWT verifies our RS256 tokens with our JWK and our HS256 tokens; we verify PyJWT's RS256.
# Prints TAP; skips (1..0) when python3 with jwt and cryptography, or openssl, is missing.
# Run from the top of the tree after make; JWT_TOOL overrides the path of tests/unit/jwt_tool.
set -u
tool=${JWT_TOOL:-tests/unit/jwt_tool}

# pyenv or a venv may shadow the Debian interpreter that has python3-jwt installed.
py=
for p in python3 /usr/bin/python3; do
	if "$p" -c 'import jwt, jwt.algorithms; jwt.algorithms.RSAAlgorithm' >/dev/null 2>&1; then
		py=$p
		break
	fi
done
if [ -z "$py" ]; then
	echo "1..0 # SKIP no python3 with PyJWT (apt-get install python3-jwt)"
	exit 0
fi
if ! command -v openssl >/dev/null 2>&1; then
	echo "1..0 # SKIP no openssl command"
	exit 0
fi
if [ ! -x "$tool" ]; then
	echo "not ok 1 - $tool is not built"
	echo "1..1"
	exit 1
fi

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
if ! openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$tmp/key.pem" 2>/dev/null; then
	echo "not ok 1 - openssl genpkey"
	echo "1..1"
	exit 1
fi

now=$(date +%s)
# Non-ASCII, an HTML-hostile string and an aud array: the parts most likely to disagree.
claims="{\"iss\":\"https://idp.example.mx\",\"aud\":[\"other\",\"sekkan-client\"],\"sub\":\"ABCD800101XYZ\",\"nonce\":\"n-0S6\",\"iat\":$now,\"nbf\":$now,\"exp\":$((now + 300)),\"name\":\"Jos\\u00e9 \\u00d1\\u00fa\\u00f1ez </script>\",\"n\":[1,2.5,null,true]}"
"$tool" sign-rs256 "$tmp/key.pem" k1 "$claims" >"$tmp/rs.tok" 2>"$tmp/err" &&
    "$tool" jwk "$tmp/key.pem" k1 >"$tmp/jwk.json" 2>>"$tmp/err" &&
    "$tool" sign-hs256 "sekkan-jitsi-secret" "$claims" >"$tmp/hs.tok" 2>>"$tmp/err"
rc=$?
if [ "$rc" -ne 0 ]; then
	echo "not ok 1 - jwt_tool: $(cat "$tmp/err")"
	echo "1..1"
	exit 1
fi
printf '%s' "$claims" >"$tmp/claims.json"

# The Python side prints the TAP lines; it calls jwt_tool back for the reverse direction.
"$py" - "$tmp" "$tool" <<'PY'
import json, subprocess, sys
import jwt
from jwt.algorithms import RSAAlgorithm
from cryptography.hazmat.primitives import serialization

tmp, tool = sys.argv[1], sys.argv[2]
n = 0
failed = 0

def ok(cond, name, diag=None):
    global n, failed
    n += 1
    print(("ok %d - %s" if cond else "not ok %d - %s") % (n, name))
    if not cond:
        failed += 1
        if diag:
            print("# " + str(diag).replace("\n", "\n# "))

def read(name):
    with open(tmp + "/" + name) as f:
        return f.read().strip()

claims = json.loads(read("claims.json"))
tok = read("rs.tok")
jwk_text = read("jwk.json")
aud, iss = "sekkan-client", "https://idp.example.mx"

try:
    jwk = json.loads(jwk_text)
    pub = RSAAlgorithm.from_jwk(jwk_text)
    ok(True, "PyJWT reads our JWK")
except Exception as e:
    ok(False, "PyJWT reads our JWK", e)
    pub = None

with open(tmp + "/key.pem", "rb") as f:
    priv = serialization.load_pem_private_key(f.read(), password=None)
pn = priv.public_key().public_numbers()
ok(pub is not None and pub.public_numbers() == pn, "our JWK n and e are the key's")
ok(jwk.get("kty") == "RSA" and jwk.get("alg") == "RS256" and jwk.get("use") == "sig"
   and jwk.get("kid") == "k1", "our JWK members kty, alg, use, kid")

try:
    hdr = jwt.get_unverified_header(tok)
    ok(hdr == {"alg": "RS256", "typ": "JWT", "kid": "k1"}, "our RS256 header", hdr)
except Exception as e:
    ok(False, "our RS256 header", e)

try:
    got = jwt.decode(tok, pub, algorithms=["RS256"], audience=aud, issuer=iss)
    ok(got == claims, "PyJWT verifies our RS256 token (aud array, iss, exp, nbf, iat)",
       got)
except Exception as e:
    ok(False, "PyJWT verifies our RS256 token (aud array, iss, exp, nbf, iat)", repr(e))

try:
    jwt.decode(tok, pub, algorithms=["RS256"], audience="someone-else", issuer=iss)
    ok(False, "PyJWT refuses our token for another audience")
except jwt.InvalidAudienceError:
    ok(True, "PyJWT refuses our token for another audience")

h, p, s = tok.split(".")
bad = h + "." + p + "." + ("B" if s[0] == "A" else "A") + s[1:]
try:
    jwt.decode(bad, pub, algorithms=["RS256"], audience=aud, issuer=iss)
    ok(False, "PyJWT refuses our token with a changed signature")
except jwt.InvalidSignatureError:
    ok(True, "PyJWT refuses our token with a changed signature")

try:
    got = jwt.decode(read("hs.tok"), "sekkan-jitsi-secret", algorithms=["HS256"],
                     audience=aud, issuer=iss)
    ok(got == claims and jwt.get_unverified_header(read("hs.tok")) ==
       {"alg": "HS256", "typ": "JWT"}, "PyJWT verifies our HS256 token")
except Exception as e:
    ok(False, "PyJWT verifies our HS256 token", repr(e))

# The other way: PyJWT signs, jwt_tool verifies against our JWKS.
with open(tmp + "/jwks.json", "w") as f:
    f.write('{"keys":[%s]}' % jwk_text)
pem = open(tmp + "/key.pem", "rb").read()

def ours(token, nonce=None):
    args = [tool, "verify-rs256", tmp + "/jwks.json", iss, aud, token]
    if nonce is not None:
        args.append(nonce)
    r = subprocess.run(args, capture_output=True, text=True)
    return r.returncode, (r.stdout + r.stderr).strip()

ptok = jwt.encode(claims, pem, algorithm="RS256", headers={"kid": "k1"})
rc, out = ours(ptok, "n-0S6")
ok(rc == 0, "jwt_tool verifies PyJWT's RS256 token", out)
rc, out = ours(jwt.encode(claims, pem, algorithm="RS256"), "n-0S6")
ok(rc == 0, "jwt_tool verifies PyJWT's RS256 token without kid (single key)", out)
rc, out = ours(ptok, "wrong")
ok(rc != 0 and "claim" in out, "jwt_tool refuses PyJWT's token for another nonce", out)
rc, out = ours(jwt.encode(claims, pem, algorithm="RS512", headers={"kid": "k1"}))
ok(rc != 0 and "algorithm" in out, "jwt_tool refuses PyJWT's RS512 token", out)
rc, out = ours(jwt.encode(claims, pem, algorithm="PS256", headers={"kid": "k1"}))
ok(rc != 0 and "algorithm" in out, "jwt_tool refuses PyJWT's PS256 token", out)
rc, out = ours(jwt.encode(claims, jwk_text, algorithm="HS256", headers={"kid": "k1"}))
ok(rc != 0 and "algorithm" in out, "jwt_tool refuses HS256 keyed with our JWK", out)
expired = dict(claims, exp=claims["iat"] - 3600, nbf=claims["iat"] - 7200,
               iat=claims["iat"] - 7200)
rc, out = ours(jwt.encode(expired, pem, algorithm="RS256", headers={"kid": "k1"}))
ok(rc != 0 and "expired" in out, "jwt_tool refuses PyJWT's expired token", out)

print("1..%d" % n)
sys.exit(1 if failed else 0)
PY

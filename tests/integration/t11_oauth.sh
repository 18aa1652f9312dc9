#!/bin/sh
# t11_oauth.sh: the built-in OpenID Connect provider as a client sees it: discovery, JWKS,
# the code flow with PKCE, single-use codes, exact redirect URIs, and ID tokens that an
# independent library (PyJWT, from Debian) verifies.
. "$(dirname "$0")/lib.sh"
PKI=$STATE/pki
CONF=$STATE/conf/sekkan.hdf
SECRET=$(cat "$STATE/conf/client-secret")
CB="$BASE/auth/callback"
urlenc() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }

fetch "$BASE/.well-known/openid-configuration"
is_status 200 "discovery document"
python3 -c 'import json, sys; d = json.load(open(sys.argv[1]))
assert d["issuer"] == sys.argv[2]
assert d["authorization_endpoint"] == sys.argv[2] + "/idp/authorize"
assert d["code_challenge_methods_supported"] == ["S256"]
assert d["id_token_signing_alg_values_supported"] == ["RS256"]' "$T_TMP/body" "$BASE"
ok $? "names the issuer, the endpoints, S256 and RS256"
fetch "$BASE/idp/jwks"
is_status 200 "JWKS"
python3 -c 'import json, sys; k = json.load(open(sys.argv[1]))["keys"]
assert len(k) >= 1 and k[0]["kty"] == "RSA" and k[0]["alg"] == "RS256" and k[0]["kid"] == "dev-1"
assert "d" not in k[0] and "p" not in k[0]' "$T_TMP/body"
ok $? "an RSA public key with its kid, and nothing private"

# A client of our own making: PKCE verifier, challenge, nonce.
VERIFIER=$(head -c 32 /dev/urandom | base64 -w0 | tr '+/' '-_' | tr -d '=')
CHALLENGE=$(printf '%s' "$VERIFIER" | openssl dgst -sha256 -binary | base64 -w0 | tr '+/' '-_' | tr -d '=')
NONCE=n-$$-$(date +%s)
AUTHZ="$BASE/idp/authorize?response_type=code&client_id=sekkan&redirect_uri=$(urlenc "$CB")&scope=openid&state=st1&nonce=$NONCE&code_challenge=$CHALLENGE&code_challenge_method=S256"

fetch "$BASE/idp/authorize?response_type=code&client_id=sekkan&redirect_uri=$(urlenc "https://evil.example/cb")&scope=openid&state=x&code_challenge=$CHALLENGE&code_challenge_method=S256"
is_status 400 "a foreign redirect URI is refused"
head_lacks '^location:' "and never redirected to"
fetch "$BASE/idp/authorize?response_type=code&client_id=nobody&redirect_uri=$(urlenc "$CB")&scope=openid&code_challenge=$CHALLENGE&code_challenge_method=S256"
is_status 400 "an unknown client is refused"
fetch "$BASE/idp/authorize?response_type=code&client_id=sekkan&redirect_uri=$(urlenc "$CB")&scope=openid&state=s9&code_challenge=$CHALLENGE&code_challenge_method=plain"
is_status 303 "PKCE plain is refused"
loc | grep -q "^$CB?error=invalid_request&state=s9$"
ok $? "back to the client with error=invalid_request and the state"
fetch "$BASE/idp/authorize?response_type=token&client_id=sekkan&redirect_uri=$(urlenc "$CB")&scope=openid&code_challenge=$CHALLENGE&code_challenge_method=S256"
loc | grep -q 'error=unsupported_response_type'
ok $? "the implicit flow is not offered"

# get_code: sign in as demo1 and return the code from the redirect.
get_code() {
	rm -f "$T_TMP/jar"
	fetch -b "$T_TMP/jar" -c "$T_TMP/jar" "$AUTHZ"
	fetch -b "$T_TMP/jar" -c "$T_TMP/jar" -F "csrf=$(field csrf)" -F "challenge=$(field challenge)" \
		-F "cer=@$PKI/demo1.cer" -F "key=@$PKI/demo1.key" -F password=12345678a "$BASE/idp/authorize"
	loc | sed -n 's/.*[?&]code=\([^&]*\).*/\1/p'
}
token() {	# token CODE VERIFIER [redirect] [secret]
	STATUS=$(curl -s -o "$T_TMP/tok" -w '%{http_code}' -u "sekkan:${4:-$SECRET}" \
		-d grant_type=authorization_code -d "code=$1" -d "code_verifier=$2" \
		--data-urlencode "redirect_uri=${3:-$CB}" "$BASE/idp/token")
}

code=$(get_code)
[ -n "$code" ]
ok $? "sign-in gives a code"
token "$code" "wrong-verifier-wrong-verifier-wrong-verifier-x"
[ "$STATUS" = 400 ] && grep -q '"error":"invalid_grant"' "$T_TMP/tok"
ok $? "a wrong PKCE verifier gets invalid_grant"
token "$code" "$VERIFIER"
[ "$STATUS" = 400 ]
ok $? "and the code is gone after that attempt (single use)"

code=$(get_code)
token "$code" "$VERIFIER" "" "not-the-secret"
[ "$STATUS" = 401 ] && grep -q '"error":"invalid_client"' "$T_TMP/tok"
ok $? "a wrong client secret gets invalid_client (401)"
code=$(get_code)
token "$code" "$VERIFIER" "$BASE/other"
[ "$STATUS" = 400 ]
ok $? "a different redirect URI at the token endpoint gets invalid_grant"

code=$(get_code)
token "$code" "$VERIFIER"
is_status 200 "the right verifier gets tokens"
grep -q '"token_type":"Bearer"' "$T_TMP/tok"
ok $? "a Bearer access token"
cp "$T_TMP/tok" "$T_TMP/tokens"
token "$code" "$VERIFIER"
[ "$STATUS" = 400 ] && grep -q invalid_grant "$T_TMP/tok"
ok $? "a code used twice is refused"

# The ID token, verified by PyJWT against the JWKS, with our issuer, audience and nonce.
curl -s "$BASE/idp/jwks" >"$T_TMP/jwks"
# Debian's python3 with python3-jwt, whatever python3 comes first in PATH.
/usr/bin/python3 - "$T_TMP/tokens" "$T_TMP/jwks" "$BASE" "$NONCE" <<'PY'
import json, sys, jwt
tok = json.load(open(sys.argv[1]))["id_token"]
keys = json.load(open(sys.argv[2]))["keys"]
kid = jwt.get_unverified_header(tok)["kid"]
key = jwt.algorithms.RSAAlgorithm.from_jwk(json.dumps([k for k in keys if k["kid"] == kid][0]))
c = jwt.decode(tok, key, algorithms=["RS256"], audience="sekkan", issuer=sys.argv[3])
assert c["nonce"] == sys.argv[4], c
assert c["rfc"] == "GOMA800101AB1" and c["sub"] == "GOMA800101AB1", c
assert c["acr"] == "urn:sekkan:acr:efirma" and "auth_time" in c and "curp" in c, c
assert c["exp"] > c["iat"], c
PY
ok $? "PyJWT verifies the ID token: RS256, iss, aud, exp, nonce, rfc, acr"
at=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["access_token"])' "$T_TMP/tokens")
fetch -H "Authorization: Bearer $at" "$BASE/idp/userinfo"
is_status 200 "userinfo with the access token"
body_has '"rfc":"GOMA800101AB1"' "returns the RFC"
fetch -H "Authorization: Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" "$BASE/idp/userinfo"
is_status 401 "an unknown access token gets 401"
head_has '^www-authenticate: Bearer' "with WWW-Authenticate"

# The portal's own callback: a state from another browser, and a replayed callback.
rm -f "$T_TMP/b1" "$T_TMP/b2"
fetch -b "$T_TMP/b1" -c "$T_TMP/b1" "$BASE/auth/login"
state=$(loc | sed -n 's/.*[?&]state=\([^&]*\).*/\1/p')
fetch -b "$T_TMP/b2" -c "$T_TMP/b2" "$BASE/auth/callback?code=x&state=$state"
[ "$STATUS" = 400 ] && ! grep -q sk_sid "$T_TMP/b2"
ok $? "a callback with another browser's state is refused"
fetch -b "$T_TMP/b1" "$BASE/auth/callback?code=x&state=$state"
is_status 400 "and that state cannot be used again, even by its own browser"
fetch "$BASE/auth/callback?code=x&state=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
is_status 400 "an unknown state is refused"
body_has 'caducó o ya se usó' "with a Spanish message"

echo "1..$T_N"

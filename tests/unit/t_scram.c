/* t_scram.c: the SCRAM-SHA-1 client against RFC 5802's worked example, and its refusals. */
#include <string.h>

#include "scram.h"
#include "tap.h"

int
main(void)
{
	struct scram	s;
	char		out[512];

	memset(&s, 0, sizeof(s));
	strcpy(s.nonce, "fyko+d2lbbFgONRv9qkxdawL");
	ok(scram_first(&s, "user", out, sizeof(out)) == 0, "client-first builds");
	is_str(out, "n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL", "client-first as in RFC 5802 section 5");
	ok(scram_final(&s, "pencil", "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,"
	    "i=4096", out, sizeof(out)) == 0, "client-final builds");
	is_str(out, "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=",
	    "client proof as in RFC 5802");
	ok(scram_verify(&s, "v=rmF9pqV8S7suAoZWja4dJRkFsKQ=") == 0, "server signature accepted");
	ok(scram_verify(&s, "v=smF9pqV8S7suAoZWja4dJRkFsKQ=") != 0, "wrong server signature refused");
	ok(scram_verify(&s, "e=other-error") != 0, "server error refused");

	ok(scram_final(&s, "pencil", "r=someoneelse123,s=QSXCR+Q6sek8bf92,i=4096", out, sizeof(out)) != 0,
	    "a server nonce that does not extend ours is refused");
	ok(scram_final(&s, "pencil", "r=fyko+d2lbbFgONRv9qkxdawL,s=QSXCR+Q6sek8bf92,i=4096", out,
	    sizeof(out)) != 0, "a server nonce equal to ours is refused");
	ok(scram_final(&s, "pencil", "r=fyko+d2lbbFgONRv9qkxdawLx,s=QSXCR+Q6sek8bf92,i=1", out,
	    sizeof(out)) != 0, "too few iterations refused");
	ok(scram_final(&s, "pencil", "r=fyko+d2lbbFgONRv9qkxdawLx,s=QSXCR+Q6sek8bf92,i=99999999", out,
	    sizeof(out)) != 0, "absurd iteration counts refused");
	ok(scram_final(&s, "pencil", "r=fyko+d2lbbFgONRv9qkxdawLx,s=!!!,i=4096", out, sizeof(out)) != 0,
	    "bad salt refused");
	ok(scram_final(&s, "pencil", "m=ext,r=fyko+d2lbbFgONRv9qkxdawLx,s=QSXCR+Q6sek8bf92,i=4096", out,
	    sizeof(out)) != 0, "mandatory extension refused");
	ok(scram_final(&s, "pencil", "s=QSXCR+Q6sek8bf92,i=4096", out, sizeof(out)) != 0,
	    "missing nonce refused");

	memset(&s, 0, sizeof(s));
	ok(scram_first(&s, "a=b,c", out, sizeof(out)) == 0 && strncmp(out, "n,,n=a=3Db=2Cc,r=", 17) == 0,
	    "user names escape = and ,");
	ok(strlen(s.nonce) >= 24, "a random nonce of at least 18 bytes");
	return tap_done();
}

/*
 * mksession.c: a signed-in session for the benchmarks without the e.firma sign-in: prints the
 * session cookie ("sk_sid=…") for a user id, made by lib/sess.c in the instance's Redis as the
 * sign-in would. Usage: mksession CONFIG USER-ID. Benchmark instances only.
 */
#include <stdio.h>
#include <string.h>

#include "sekkan.h"

int
main(int argc, char **argv)
{
	struct req	 r;
	const char	*p, *e;
	int		 rc = 1;

	if (argc != 3 || cfg_load(argv[1]) != 0 || cfg_load_secret() != 0) {
		fprintf(stderr, "usage: mksession CONFIG USER-ID (the config and its secret must load)\n");
		return 2;
	}
	memset(&r, 0, sizeof(r));
	ar_init(&r.r_ar);
	r.r_path = "/";
	r.r_remote = "127.0.0.1";
	r.r_lang = "es";
	if (sess_create(&r, argv[2], "es") != 200 || r.r_hdrs == NULL ||
	    (p = strstr(r.r_hdrs, "Set-Cookie: sk_sid=")) == NULL) {
		fprintf(stderr, "mksession: could not create a session (is Redis up?)\n");
		goto out;
	}
	p += strlen("Set-Cookie: ");
	e = strchr(p, ';');
	printf("%.*s\n", (int)(e != NULL ? e - p : (long)strlen(p)), p);
	rc = 0;
out:
	ar_free(&r.r_ar);
	rd_close();
	cfg_free();
	return rc;
}

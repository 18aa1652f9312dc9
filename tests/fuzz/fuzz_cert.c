/* fuzz_cert.c: libFuzzer driver for efirma_check_cert (lib/efirma.c): the bytes are an uploaded .cer. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/x509.h>

#include "efirma.h"
#include "valid.h"

/* Invariants hold even when built with NDEBUG, and say which one broke. */
#define CHECK(c) do {							\
	if (!(c)) {							\
		fprintf(stderr, "fuzz_cert: invariant failed: %s (line %d)\n", #c, __LINE__); \
		abort();						\
	}								\
} while (0)

static struct efirma_trust	trust;

/*
 * Loaded once: SEKKAN_FUZZ_TRUST names a PEM file (tests/fuzz/cert-trust.pem signed the
 * seeds, so mutated seeds get past the chain now and then and reach the subject checks);
 * without it the store is empty and every input stops at EF_CHAIN at best.
 */
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char	*path = getenv("SEKKAN_FUZZ_TRUST");

	(void)argc;
	(void)argv;
	if (path != NULL && *path != '\0') {
		if (efirma_trust_load(&trust, path) != 0) {
			fprintf(stderr, "fuzz_cert: cannot load %s\n", path);
			exit(1);
		}
	} else {
		trust.et_store = X509_STORE_new();
		trust.et_untrusted = sk_X509_new_null();
		CHECK(trust.et_store != NULL && trust.et_untrusted != NULL);
	}
	return 0;
}

/* A field is a NUL-terminated string inside its array. */
#define TERMINATED(a)	(memchr((a), '\0', sizeof(a)) != NULL)

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct efirma_id	 id;
	X509			*cert = (X509 *)&trust;
	enum efirma_status	 st;
	unsigned char		*copy;
	int			 natural = 0;

	/* An exact-size copy, so ASan sees any read past the end. */
	if ((copy = malloc(size > 0 ? size : 1)) == NULL)
		abort();
	if (size > 0)
		memcpy(copy, data, size);
	memset(&id, 0xa5, sizeof(id));
	st = efirma_check_cert(copy, size, &trust, time(NULL), &id, &cert);
	CHECK((unsigned)st < EF__MAX);
	if (st != EF_OK) {
		CHECK(cert == NULL);
		goto out;
	}
	/* What efirma.h promises for an accepted certificate. */
	CHECK(cert != NULL);
	CHECK(TERMINATED(id.ef_rfc) && TERMINATED(id.ef_curp) && TERMINATED(id.ef_name) &&
	    TERMINATED(id.ef_email) && TERMINATED(id.ef_certno));
	CHECK(val_rfc(id.ef_rfc, &natural) == VAL_OK && natural);
	CHECK(id.ef_curp[0] == '\0' || strlen(id.ef_curp) == 18);
	CHECK(val_text(id.ef_name, 1, sizeof(id.ef_name), 0) == VAL_OK);
	CHECK(id.ef_email[0] == '\0' || val_email(id.ef_email) == VAL_OK);
	CHECK(id.ef_certno[0] != '\0');
	CHECK(id.ef_not_before <= id.ef_not_after);
	/* The certificate handed back must be usable for the next steps. */
	CHECK(efirma_verify(cert, copy, size, copy, size) == EF_BAD_SIGNATURE);
out:
	X509_free(cert);
	free(copy);
	return 0;
}

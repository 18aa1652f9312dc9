/* t_efirma.c: unit tests for lib/efirma.c against the test PKI of tests/pki/gen-pki.sh. */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "efirma.h"
#include "tap.h"

/* "MARÍA JOSÉ NÚÑEZ PEÑA" in UTF-8, spelled out so the test does not trust the editor. */
#define MARIA_UTF8	"MAR\xc3\x8d" "A JOS\xc3\x89 N\xc3\x9a\xc3\x91" "EZ PE\xc3\x91" "A"
#define MARIA_LATIN1	"MAR\xcd" "A JOS\xc9 N\xda\xd1" "EZ PE\xd1" "A"
#define PASSWORD	"12345678a"

/* A pointer no function returns, to see that a result pointer was written. */
#define NOT_SET		((X509 *)&pki)

static const char	*pki;
static char		 tmpdir[64];
static pid_t		 children[4];
static struct efirma_trust trust;

/* Children (responders) never outlive the test, whatever path it leaves by. */
static void
kill_children(void)
{
	size_t	i;

	for (i = 0; i < sizeof(children) / sizeof(children[0]); i++)
		if (children[i] > 0) {
			kill(children[i], SIGTERM);
			waitpid(children[i], NULL, 0);
			children[i] = 0;
		}
}

static void
cleanup(void)
{
	char	cmd[128];

	kill_children();
	if (tmpdir[0] != '\0') {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
		if (system(cmd) != 0)
			fprintf(stderr, "t_efirma: could not remove %s\n", tmpdir);
	}
}

static void	die(const char *, ...) __attribute__((noreturn, format(printf, 1, 2)));
static int	run(const char *, ...) __attribute__((format(printf, 1, 2)));

static void
die(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	printf("Bail out! ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	exit(1);
}

/* "DIR/name" in a rotating set of buffers, enough for one call's arguments. */
static const char *
path(const char *dir, const char *name)
{
	static char	buf[16][512];
	static int	i;
	char		*p = buf[i++ % 16];

	snprintf(p, sizeof(buf[0]), "%s/%s", dir, name);
	return p;
}

static unsigned char *
slurp(const char *file, size_t *len)
{
	FILE		*f;
	unsigned char	*buf;
	long		 n;

	if ((f = fopen(file, "rb")) == NULL)
		die("cannot open %s: %s", file, strerror(errno));
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0)
		die("cannot size %s", file);
	if ((buf = malloc((size_t)n + 1)) == NULL)
		die("out of memory");
	if (fread(buf, 1, (size_t)n, f) != (size_t)n)
		die("cannot read %s", file);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void
spew(const char *file, const void *buf, size_t len)
{
	FILE	*f;

	if ((f = fopen(file, "wb")) == NULL || fwrite(buf, 1, len, f) != len || fclose(f) != 0)
		die("cannot write %s", file);
}

/* Run a shell command quietly; its exit status, or -1. */
static int
run(const char *fmt, ...)
{
	char	cmd[2048];
	va_list	ap;
	int	rc;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	rc = system(cmd);
	return rc == -1 || !WIFEXITED(rc) ? -1 : WEXITSTATUS(rc);
}

static enum efirma_status
check_file(const char *name, time_t now, struct efirma_id *id, X509 **cert)
{
	unsigned char		*der;
	size_t			 len;
	enum efirma_status	 st;

	der = slurp(path(pki, name), &len);
	st = efirma_check_cert(der, len, &trust, now, id, cert);
	free(der);
	return st;
}

static void
test_strerror(void)
{
	int	i, all = 1;

	for (i = 0; i < EF__MAX; i++)
		if (efirma_strerror(i) == NULL || strcmp(efirma_strerror(i), "unknown") == 0)
			all = 0;
	ok(all, "efirma_strerror: every status has a message");
	is_str(efirma_strerror(EF__MAX), "unknown", "efirma_strerror: out of range");
}

static void
test_trust(void)
{
	static const char	 broken[] =
	    "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
	struct efirma_trust	 t;

	memset(&t, 0, sizeof(t));
	ok(efirma_trust_load(&t, path(tmpdir, "missing.pem")) == -1 && t.et_store == NULL,
	    "trust_load: a missing file fails");
	spew(path(tmpdir, "empty.pem"), "", 0);
	ok(efirma_trust_load(&t, path(tmpdir, "empty.pem")) == -1 && t.et_store == NULL,
	    "trust_load: a file without certificates fails");
	spew(path(tmpdir, "broken.pem"), broken, strlen(broken));
	ok(efirma_trust_load(&t, path(tmpdir, "broken.pem")) == -1 && t.et_store == NULL,
	    "trust_load: a broken certificate fails");
	ok(efirma_trust_load(&t, path(pki, "trust.pem")) == 0 && t.et_store != NULL &&
	    sk_X509_num(t.et_untrusted) == 1,
	    "trust_load: trust.pem gives one anchor and one intermediate");
	efirma_trust_free(&t);
	ok(t.et_store == NULL && t.et_untrusted == NULL, "trust_free: clears the fields");
}

static void
test_fisica(void)
{
	struct efirma_id	 id;
	X509			*cert = NULL;
	X509_NAME_ENTRY		*e;
	time_t			 now = time(NULL);

	ok(check_file("fisica.cer", now, &id, &cert) == EF_OK, "fisica: accepted");
	is_str(id.ef_rfc, "NUPM800101AB1", "fisica: RFC");
	is_str(id.ef_curp, "NUPM800101MDFXXR09", "fisica: CURP");
	is_str(id.ef_name, MARIA_UTF8, "fisica: name in UTF-8");
	is_str(id.ef_email, "maria.nunez@example.com", "fisica: e-mail");
	is_str(id.ef_certno, "30001000000700000001", "fisica: certificate number");
	ok(id.ef_not_before <= now && id.ef_not_after > now + 86400 * 365 * 3,
	    "fisica: validity dates");
	ok(cert != NULL, "fisica: certificate returned");
	/* The name really arrived as Latin-1 T61String, as in SAT's certificates. */
	e = cert != NULL ? X509_NAME_get_entry(X509_get_subject_name(cert),
	    X509_NAME_get_index_by_NID(X509_get_subject_name(cert), NID_commonName, -1)) : NULL;
	ok(e != NULL && ASN1_STRING_type(X509_NAME_ENTRY_get_data(e)) == V_ASN1_T61STRING &&
	    ASN1_STRING_length(X509_NAME_ENTRY_get_data(e)) == (int)strlen(MARIA_LATIN1) &&
	    memcmp(ASN1_STRING_get0_data(X509_NAME_ENTRY_get_data(e)), MARIA_LATIN1,
	    strlen(MARIA_LATIN1)) == 0, "fisica: CN is a T61String of Latin-1 bytes");
	X509_free(cert);

	ok(check_file("fisica.cer", now, &id, NULL) == EF_OK, "fisica: cert pointer may be NULL");
	ok(check_file("fisica.pem", now, &id, NULL) == EF_OK && strcmp(id.ef_rfc, "NUPM800101AB1") == 0,
	    "fisica: PEM accepted as a courtesy");
	ok(check_file("fisica.cer", id.ef_not_after + 1, &id, NULL) == EF_EXPIRED,
	    "fisica: expired one second after notAfter");
	ok(check_file("fisica.cer", now, &id, NULL) == EF_OK &&
	    check_file("fisica.cer", id.ef_not_before - 1, &id, NULL) == EF_NOT_YET_VALID,
	    "fisica: not yet valid one second before notBefore");
}

static void
test_holders(void)
{
	static const struct {
		const char		*file, *rfc, *name;
		enum efirma_status	 want;
	} cases[] = {
		{ "demo1.cer", "GOMA800101AB1", "ANA G\xc3\x93MEZ MART\xc3\x8dNEZ", EF_OK },
		{ "demo2.cer", "PELJ750315CD2", "JUAN P\xc3\x89REZ L\xc3\x93PEZ", EF_OK },
		{ "demo3.cer", "HERL851130GH4", "LUIS HERN\xc3\x81NDEZ R\xc3\x8dOS", EF_OK },
		{ "revocada.cer", "RASP700505QR1", "PEDRO RAM\xc3\x8dREZ SOTO", EF_OK },
		{ "moral.cer", NULL, NULL, EF_COMPANY },
		{ "csd.cer", NULL, NULL, EF_SEAL },
		{ "expirada.cer", NULL, NULL, EF_EXPIRED },
		{ "futura.cer", NULL, NULL, EF_NOT_YET_VALID },
		{ "ajena.cer", NULL, NULL, EF_CHAIN },
		{ "ac.pem", NULL, NULL, EF_CHAIN },
		{ "root.pem", NULL, NULL, EF_CHAIN },
		{ "ocsp.pem", NULL, NULL, EF_NO_RFC },
	};
	struct efirma_id	 id;
	X509			*cert;
	enum efirma_status	 st;
	size_t			 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cert = NOT_SET;		/* must come back NULL on refusal */
		st = check_file(cases[i].file, time(NULL), &id, &cert);
		ok(st == cases[i].want, "%s: %s (got %s)", cases[i].file,
		    efirma_strerror(cases[i].want), efirma_strerror(st));
		if (cases[i].want == EF_OK) {
			is_str(id.ef_rfc, cases[i].rfc, "%s: RFC", cases[i].file);
			is_str(id.ef_name, cases[i].name, "%s: name", cases[i].file);
		} else
			ok(cert == NULL, "%s: no certificate returned", cases[i].file);
		if (cert != NOT_SET)
			X509_free(cert);
	}
}

static void
test_junk(void)
{
	unsigned char		*der, junk[256];
	size_t			 len, i;
	struct efirma_id	 id;
	X509			*cert = NOT_SET;
	int			 all = 1;

	ok(efirma_check_cert(NULL, 0, &trust, time(NULL), &id, &cert) == EF_CERT_PARSE &&
	    cert == NULL, "junk: NULL input");
	ok(efirma_check_cert((const unsigned char *)"", 0, &trust, time(NULL), &id, NULL) ==
	    EF_CERT_PARSE, "junk: empty input");
	ok(efirma_check_cert((const unsigned char *)"hello, world", 12, &trust, time(NULL), &id,
	    NULL) == EF_CERT_PARSE, "junk: text");
	ok(efirma_check_cert((const unsigned char *)"-----BEGIN CERTIFICATE-----\nMIIB\n", 32,
	    &trust, time(NULL), &id, NULL) == EF_CERT_PARSE, "junk: broken PEM");
	for (i = 0; i < sizeof(junk); i++)
		junk[i] = (unsigned char)(i * 37 + 11);
	ok(efirma_check_cert(junk, sizeof(junk), &trust, time(NULL), &id, NULL) == EF_CERT_PARSE,
	    "junk: binary noise");

	der = slurp(path(pki, "fisica.cer"), &len);
	for (i = 1; i < len; i += 97)
		if (efirma_check_cert(der, i, &trust, time(NULL), &id, NULL) != EF_CERT_PARSE)
			all = 0;
	ok(all, "junk: every truncation of fisica.cer is refused");
	ok(efirma_check_cert(der, len - 1, &trust, time(NULL), &id, NULL) == EF_CERT_PARSE,
	    "junk: fisica.cer one byte short");
	if ((der = realloc(der, len + 1)) == NULL)
		die("out of memory");
	der[len] = 0;
	ok(efirma_check_cert(der, len + 1, &trust, time(NULL), &id, NULL) == EF_CERT_PARSE,
	    "junk: trailing byte after the certificate");
	/* A flipped bit in the signature: parses, but the chain no longer verifies. */
	der[len - 10] ^= 1;
	ok(efirma_check_cert(der, len, &trust, time(NULL), &id, NULL) == EF_CHAIN,
	    "junk: tampered signature fails the chain");
	free(der);
}

/*
 * Certificates made here, signed by the test CA, with subject strings of exactly the ASN.1
 * types and bytes a case wants: what a real CA could send us beyond what openssl req makes.
 */
struct ent {
	int		 nid;
	int		 type;		/* V_ASN1_* */
	const char	*val;
	int		 len;		/* -1: strlen */
};

#define RFC_OK		{ NID_x500UniqueIdentifier, V_ASN1_PRINTABLESTRING, "NUPM800101AB1", -1 }
#define CURP_OK		{ NID_serialNumber, V_ASN1_PRINTABLESTRING, "NUPM800101MDFXXR09", -1 }
#define CN(t, s)	{ NID_commonName, (t), (s), sizeof(s) - 1 }

struct made {
	const char		*what;
	struct ent		 ents[5];
	const char		*serial;	/* raw serial bytes */
	int			 ca;
	enum efirma_status	 want;
	const char		*name, *rfc, *curp, *certno, *email;
	const char		*patch;		/* 4 bytes to put over PLACEHOLDER once signed */
};

/*
 * OpenSSL will not sign a name it cannot canonicalise (bad UTF-8, lone surrogates), so
 * such names are written after signing, over a placeholder: the bytes a hostile or broken
 * CA could send.
 */
#define PLACEHOLDER	"\x01\x23\x45\x67"

static const struct made made[] = {
	{ "PrintableString CN", { CN(V_ASN1_PRINTABLESTRING, "JUAN PEREZ"), RFC_OK, CURP_OK,
	    { NID_pkcs9_emailAddress, V_ASN1_IA5STRING, "juan@example.com", -1 } },
	    "30001000000799999901", 0, EF_OK, "JUAN PEREZ", "NUPM800101AB1", "NUPM800101MDFXXR09",
	    "30001000000799999901", "juan@example.com", NULL },
	{ "UTF8String CN", { CN(V_ASN1_UTF8STRING, MARIA_UTF8), RFC_OK, CURP_OK },
	    "30001000000799999902", 0, EF_OK, MARIA_UTF8, "NUPM800101AB1", NULL, NULL, NULL, NULL },
	{ "BMPString CN", { CN(V_ASN1_BMPSTRING, "\0M\0A\0R\0\xcd\0A\0 \0J\0O\0S\0\xc9\0 \0N\0\xda\0\xd1"
	    "\0E\0Z\0 \0P\0E\0\xd1\0A"), RFC_OK }, "30001000000799999903", 0, EF_OK, MARIA_UTF8,
	    NULL, "", NULL, NULL, NULL },
	{ "BMPString CN beyond Latin-1", { CN(V_ASN1_BMPSTRING, "\x20\xac\0 \0A"), RFC_OK },
	    "30001000000799999904", 0, EF_OK, "\xe2\x82\xac A", NULL, NULL, NULL, NULL, NULL },
	{ "T61String RFC with \xc3\x91", { CN(V_ASN1_PRINTABLESTRING, "OLGA MUNOZ"),
	    { NID_x500UniqueIdentifier, V_ASN1_T61STRING, "MU\xd1O900620EF3", -1 } },
	    "30001000000799999905", 0, EF_OK, NULL, "MU\xc3\x91O900620EF3", NULL, NULL, NULL, NULL },
	{ "UTF8String RFC", { CN(V_ASN1_PRINTABLESTRING, "JUAN PEREZ"),
	    { NID_x500UniqueIdentifier, V_ASN1_UTF8STRING, "NUPM800101AB1", -1 } },
	    "30001000000799999906", 0, EF_OK, NULL, "NUPM800101AB1", NULL, NULL, NULL, NULL },
	{ "RFC then more tokens", { CN(V_ASN1_PRINTABLESTRING, "JUAN PEREZ"),
	    { NID_x500UniqueIdentifier, V_ASN1_PRINTABLESTRING, " NUPM800101AB1 / X", -1 } },
	    "30001000000799999907", 0, EF_OK, NULL, "NUPM800101AB1", NULL, NULL, NULL, NULL },
	{ "serial that is not ASCII digits", { CN(V_ASN1_PRINTABLESTRING, "JUAN PEREZ"), RFC_OK },
	    "\x01\xab\xff", 0, EF_OK, NULL, NULL, NULL, "01ABFF", NULL, NULL },
	{ "odd CURP left empty", { CN(V_ASN1_PRINTABLESTRING, "JUAN PEREZ"), RFC_OK,
	    { NID_serialNumber, V_ASN1_PRINTABLESTRING, "NUPM800101", -1 } },
	    "30001000000799999909", 0, EF_OK, NULL, NULL, "", NULL, NULL, NULL },
	{ "BMPString lone surrogate", { CN(V_ASN1_BMPSTRING, PLACEHOLDER), RFC_OK },
	    "30001000000799999910", 0, EF_CERT_PARSE, NULL, NULL, NULL, NULL, NULL,
	    "\xd8\x00\0A" },
	{ "UTF8String not UTF-8", { CN(V_ASN1_UTF8STRING, PLACEHOLDER), RFC_OK },
	    "30001000000799999911", 0, EF_CERT_PARSE, NULL, NULL, NULL, NULL, NULL,
	    "MA\xcd" "A" },
	{ "NUL inside the CN", { CN(V_ASN1_UTF8STRING, "JUAN\0PEREZ"), RFC_OK },
	    "30001000000799999912", 0, EF_CERT_PARSE, NULL, NULL, NULL, NULL, NULL, NULL },
	{ "terminal escape in the CN", { CN(V_ASN1_UTF8STRING, "JUAN \x1b[31mPEREZ"), RFC_OK },
	    "30001000000799999913", 0, EF_CERT_PARSE, NULL, NULL, NULL, NULL, NULL, NULL },
	{ "C1 control in a T61String CN", { CN(V_ASN1_T61STRING, "JUAN \x9b" "PEREZ"), RFC_OK },
	    "30001000000799999914", 0, EF_CERT_PARSE, NULL, NULL, NULL, NULL, NULL, NULL },
	{ "no CN", { RFC_OK, CURP_OK }, "30001000000799999915", 0, EF_CERT_PARSE,
	    NULL, NULL, NULL, NULL, NULL, NULL },
	{ "no x500UniqueIdentifier", { CN(V_ASN1_PRINTABLESTRING, "JUAN PEREZ"), CURP_OK },
	    "30001000000799999916", 0, EF_NO_RFC, NULL, NULL, NULL, NULL, NULL, NULL },
	{ "two x500UniqueIdentifier", { CN(V_ASN1_PRINTABLESTRING, "JUAN PEREZ"), RFC_OK,
	    { NID_x500UniqueIdentifier, V_ASN1_PRINTABLESTRING, "GOMA800101AB1", -1 } },
	    "30001000000799999917", 0, EF_NO_RFC, NULL, NULL, NULL, NULL, NULL, NULL },
	{ "RFC with a date that does not exist", { CN(V_ASN1_PRINTABLESTRING, "JUAN PEREZ"),
	    { NID_x500UniqueIdentifier, V_ASN1_PRINTABLESTRING, "NUPM801301AB1", -1 } },
	    "30001000000799999918", 0, EF_NO_RFC, NULL, NULL, NULL, NULL, NULL, NULL },
	{ "RFC in lower case", { CN(V_ASN1_PRINTABLESTRING, "JUAN PEREZ"),
	    { NID_x500UniqueIdentifier, V_ASN1_PRINTABLESTRING, "nupm800101ab1", -1 } },
	    "30001000000799999919", 0, EF_NO_RFC, NULL, NULL, NULL, NULL, NULL, NULL },
	{ "x500UniqueIdentifier as a BIT STRING (X.520)", { CN(V_ASN1_PRINTABLESTRING, "JUAN"),
	    { NID_x500UniqueIdentifier, V_ASN1_BIT_STRING, "NUPM800101AB1", -1 } },
	    "30001000000799999920", 0, EF_NO_RFC, NULL, NULL, NULL, NULL, NULL, NULL },
	{ "company RFC", { CN(V_ASN1_PRINTABLESTRING, "EMPRESA"),
	    { NID_x500UniqueIdentifier, V_ASN1_PRINTABLESTRING, "EPR010101AB1", -1 } },
	    "30001000000799999921", 0, EF_COMPANY, NULL, NULL, NULL, NULL, NULL, NULL },
	{ "OU wins over a company RFC", { CN(V_ASN1_PRINTABLESTRING, "EMPRESA"),
	    { NID_x500UniqueIdentifier, V_ASN1_PRINTABLESTRING, "EPR010101AB1", -1 },
	    { NID_organizationalUnitName, V_ASN1_PRINTABLESTRING, "MATRIZ", -1 } },
	    "30001000000799999922", 0, EF_SEAL, NULL, NULL, NULL, NULL, NULL, NULL },
	{ "a CA certificate", { CN(V_ASN1_PRINTABLESTRING, "JUAN PEREZ"), RFC_OK },
	    "30001000000799999923", 1, EF_CHAIN, NULL, NULL, NULL, NULL, NULL, NULL },
	{ "bad e-mail left empty", { CN(V_ASN1_PRINTABLESTRING, "JUAN PEREZ"), RFC_OK,
	    { NID_pkcs9_emailAddress, V_ASN1_IA5STRING, "not an address", -1 } },
	    "30001000000799999924", 0, EF_OK, NULL, NULL, NULL, NULL, "", NULL },
};

static unsigned char *
make_cert(const struct made *m, X509 *ca, EVP_PKEY *cakey, EVP_PKEY *key, size_t *len)
{
	X509		*x;
	X509_NAME	*name;
	X509_EXTENSION	*ext;
	X509V3_CTX	 v3;
	ASN1_INTEGER	*serial;
	BIGNUM		*bn;
	unsigned char	*der = NULL, *p;
	size_t		 i;
	int		 n;

	if ((x = X509_new()) == NULL || X509_set_version(x, 2) != 1)
		die("X509_new");
	bn = BN_bin2bn((const unsigned char *)m->serial, (int)strlen(m->serial), NULL);
	serial = BN_to_ASN1_INTEGER(bn, NULL);
	if (serial == NULL || X509_set_serialNumber(x, serial) != 1)
		die("serial");
	ASN1_INTEGER_free(serial);
	BN_free(bn);
	name = X509_get_subject_name(x);
	for (i = 0; i < sizeof(m->ents) / sizeof(m->ents[0]) && m->ents[i].nid != 0; i++)
		if (X509_NAME_add_entry_by_NID(name, m->ents[i].nid, m->ents[i].type,
		    (const unsigned char *)m->ents[i].val, m->ents[i].len, -1, 0) != 1)
			die("%s: subject entry %zu", m->what, i);
	if (X509_set_issuer_name(x, X509_get_subject_name(ca)) != 1 ||
	    X509_gmtime_adj(X509_getm_notBefore(x), -86400) == NULL ||
	    X509_gmtime_adj(X509_getm_notAfter(x), 86400 * 365) == NULL ||
	    X509_set_pubkey(x, key) != 1)
		die("%s: fields", m->what);
	X509V3_set_ctx(&v3, ca, x, NULL, NULL, 0);
	if ((ext = X509V3_EXT_conf_nid(NULL, &v3, NID_basic_constraints,
	    m->ca ? "critical,CA:TRUE" : "critical,CA:FALSE")) == NULL ||
	    X509_add_ext(x, ext, -1) != 1)
		die("%s: extension", m->what);
	X509_EXTENSION_free(ext);
	if (X509_sign(x, cakey, EVP_sha256()) <= 0 || (n = i2d_X509(x, NULL)) <= 0 ||
	    (der = malloc((size_t)n)) == NULL)
		die("%s: sign", m->what);
	p = der;
	i2d_X509(x, &p);
	X509_free(x);
	*len = (size_t)n;
	if (m->patch != NULL) {
		if ((p = memmem(der, *len, PLACEHOLDER, 4)) == NULL)
			die("%s: no placeholder", m->what);
		memcpy(p, m->patch, 4);
	}
	return der;
}

static void
test_made(void)
{
	BIO			*bio;
	X509			*ca;
	EVP_PKEY		*cakey, *key;
	unsigned char		*der;
	size_t			 len, i;
	struct efirma_id	 id;
	enum efirma_status	 st;
	const struct made	*m;

	if ((bio = BIO_new_file(path(pki, "ac.pem"), "r")) == NULL ||
	    (ca = PEM_read_bio_X509(bio, NULL, NULL, NULL)) == NULL)
		die("cannot read ac.pem");
	BIO_free(bio);
	if ((bio = BIO_new_file(path(pki, "ac.key"), "r")) == NULL ||
	    (cakey = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL)) == NULL)
		die("cannot read ac.key");
	BIO_free(bio);
	if ((key = EVP_RSA_gen(2048)) == NULL)
		die("EVP_RSA_gen");
	for (i = 0; i < sizeof(made) / sizeof(made[0]); i++) {
		m = &made[i];
		der = make_cert(m, ca, cakey, key, &len);
		st = efirma_check_cert(der, len, &trust, time(NULL), &id, NULL);
		ok(st == m->want, "made: %s: %s (got %s)", m->what, efirma_strerror(m->want),
		    efirma_strerror(st));
		if (m->want == EF_OK) {
			if (m->name != NULL)
				is_str(id.ef_name, m->name, "made: %s: name", m->what);
			if (m->rfc != NULL)
				is_str(id.ef_rfc, m->rfc, "made: %s: RFC", m->what);
			if (m->curp != NULL)
				is_str(id.ef_curp, m->curp, "made: %s: CURP", m->what);
			if (m->certno != NULL)
				is_str(id.ef_certno, m->certno, "made: %s: certificate number", m->what);
			if (m->email != NULL)
				is_str(id.ef_email, m->email, "made: %s: e-mail", m->what);
		}
		free(der);
	}
	X509_free(ca);
	EVP_PKEY_free(cakey);
	EVP_PKEY_free(key);
}

static int
all_zero(const char *p, size_t n)
{
	while (n-- > 0)
		if (*p++ != '\0')
			return 0;
	return 1;
}

static X509 *
load_cert(const char *name)
{
	X509	*cert = NULL;

	if (check_file(name, time(NULL), &(struct efirma_id){ 0 }, &cert) != EF_OK)
		die("%s does not pass efirma_check_cert", name);
	return cert;
}

static void
test_sign(void)
{
	static const char	 msg[] = "sekkan-nonce:7f3a9c1e5b2d4f60";
	X509			*fisica = load_cert("fisica.cer"), *demo1 = load_cert("demo1.cer");
	unsigned char		*key, *other, *sig = NULL, *cms = NULL, *bad;
	size_t			 keylen, otherlen, siglen = 0, cmslen = 0, i;
	char			 pw[32], tampered[sizeof(msg)];
	int			 all;
	enum efirma_status	 st;
	CMS_ContentInfo		*ci;
	const unsigned char	*p;

	key = slurp(path(pki, "fisica.key"), &keylen);
	other = slurp(path(pki, "demo1.key"), &otherlen);

	memcpy(pw, PASSWORD, sizeof(PASSWORD));
	st = efirma_sign(key, keylen, pw, fisica, msg, sizeof(msg) - 1, &sig, &siglen);
	ok(st == EF_OK && sig != NULL && siglen == 256, "sign: right password signs (got %s)",
	    efirma_strerror(st));
	ok(all_zero(pw, sizeof(PASSWORD) - 1), "sign: password wiped after success");
	ok(efirma_verify(fisica, msg, sizeof(msg) - 1, sig, siglen) == EF_OK,
	    "verify: own signature");
	ok(efirma_verify(demo1, msg, sizeof(msg) - 1, sig, siglen) == EF_BAD_SIGNATURE,
	    "verify: another holder's certificate");
	memcpy(tampered, msg, sizeof(msg));
	tampered[0] ^= 0x20;
	ok(efirma_verify(fisica, tampered, sizeof(msg) - 1, sig, siglen) == EF_BAD_SIGNATURE,
	    "verify: tampered message");
	ok(efirma_verify(fisica, msg, sizeof(msg) - 2, sig, siglen) == EF_BAD_SIGNATURE,
	    "verify: shortened message");
	if ((bad = malloc(siglen)) == NULL)
		die("out of memory");
	memcpy(bad, sig, siglen);
	bad[siglen / 2] ^= 1;
	ok(efirma_verify(fisica, msg, sizeof(msg) - 1, bad, siglen) == EF_BAD_SIGNATURE,
	    "verify: tampered signature");
	ok(efirma_verify(fisica, msg, sizeof(msg) - 1, sig, siglen - 1) == EF_BAD_SIGNATURE,
	    "verify: truncated signature");
	ok(efirma_verify(fisica, msg, sizeof(msg) - 1, sig, 0) == EF_BAD_SIGNATURE,
	    "verify: empty signature");
	free(bad);

	/* The same check as `openssl dgst -sha256 -verify`: the command itself. */
	spew(path(tmpdir, "msg"), msg, sizeof(msg) - 1);
	spew(path(tmpdir, "msg.sig"), sig, siglen);
	ok(run("openssl x509 -in '%s' -pubkey -noout >'%s' && openssl dgst -sha256 -verify '%s' "
	    "-signature '%s' '%s' >/dev/null 2>&1", path(pki, "fisica.pem"),
	    path(tmpdir, "pub.pem"), path(tmpdir, "pub.pem"), path(tmpdir, "msg.sig"),
	    path(tmpdir, "msg")) == 0, "sign: openssl dgst -sha256 -verify accepts the signature");

	/* CMS: what `openssl cms -verify` makes of it, with the right and a changed content. */
	ok(efirma_cms_detached(fisica, msg, sizeof(msg) - 1, sig, siglen, &cms, &cmslen) == 0 &&
	    cms != NULL && cmslen > siglen, "cms: built");
	p = cms;
	ci = cms != NULL ? d2i_CMS_ContentInfo(NULL, &p, (long)cmslen) : NULL;
	ok(ci != NULL && CMS_is_detached(ci) == 1 && sk_CMS_SignerInfo_num(CMS_get0_SignerInfos(ci)) == 1 &&
	    CMS_signed_get_attr_count(sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(ci), 0)) < 0,
	    "cms: detached, one signer, no signed attributes");
	CMS_ContentInfo_free(ci);
	if (cms != NULL)
		spew(path(tmpdir, "msg.p7s"), cms, cmslen);
	ok(run("openssl cms -verify -binary -inform DER -in '%s' -content '%s' -CAfile '%s' "
	    "-purpose any -out /dev/null 2>/dev/null", path(tmpdir, "msg.p7s"), path(tmpdir, "msg"),
	    path(pki, "trust.pem")) == 0, "cms: openssl cms -verify accepts it");
	spew(path(tmpdir, "other"), tampered, sizeof(msg) - 1);
	ok(run("openssl cms -verify -binary -inform DER -in '%s' -content '%s' -CAfile '%s' "
	    "-purpose any -out /dev/null 2>/dev/null", path(tmpdir, "msg.p7s"), path(tmpdir, "other"),
	    path(pki, "trust.pem")) != 0, "cms: openssl cms -verify refuses altered content");
	ok(run("openssl cms -verify -binary -inform DER -in '%s' -content '%s' -CAfile '%s' "
	    "-purpose any -out /dev/null 2>/dev/null", path(tmpdir, "msg.p7s"), path(tmpdir, "msg"),
	    path(pki, "ajena-ca/ca.pem")) != 0, "cms: openssl cms -verify refuses another CA");
	free(cms);
	cms = NULL;
	ok(efirma_cms_detached(fisica, tampered, sizeof(msg) - 1, sig, siglen, &cms, &cmslen) == -1 &&
	    cms == NULL, "cms: refuses a signature that does not verify");
	free(sig);
	sig = NULL;

	memcpy(pw, "12345678b", 10);
	ok(efirma_sign(key, keylen, pw, fisica, msg, sizeof(msg) - 1, &sig, &siglen) ==
	    EF_BAD_PASSWORD && sig == NULL && siglen == 0, "sign: wrong password");
	ok(all_zero(pw, 9), "sign: password wiped after failure");
	/*
	 * One wrong password in 256 decrypts with valid padding to garbage: many tries make sure
	 * that case reads as a bad password too, not as a broken key.
	 */
	all = 1;
	for (i = 0; i < 600; i++) {
		snprintf(pw, sizeof(pw), "wrong-%zu", i);
		if (efirma_sign(key, keylen, pw, fisica, msg, 1, &sig, &siglen) != EF_BAD_PASSWORD)
			all = 0;
	}
	ok(all, "sign: 600 wrong passwords are all EF_BAD_PASSWORD");
	memcpy(pw, "", 1);
	ok(efirma_sign(key, keylen, pw, fisica, msg, 1, &sig, &siglen) == EF_BAD_PASSWORD,
	    "sign: empty password");
	ok(efirma_sign(key, keylen, NULL, fisica, msg, 1, &sig, &siglen) == EF_BAD_PASSWORD,
	    "sign: NULL password");

	memcpy(pw, PASSWORD, sizeof(PASSWORD));
	ok(efirma_sign(other, otherlen, pw, fisica, msg, 1, &sig, &siglen) == EF_KEY_MISMATCH &&
	    sig == NULL, "sign: another holder's key");
	ok(all_zero(pw, sizeof(PASSWORD) - 1), "sign: password wiped after a mismatch");

	memcpy(pw, PASSWORD, sizeof(PASSWORD));
	ok(efirma_sign((const unsigned char *)"not a key at all", 16, pw, fisica, msg, 1, &sig,
	    &siglen) == EF_KEY_PARSE, "sign: garbage key");
	ok(all_zero(pw, sizeof(PASSWORD) - 1), "sign: password wiped after a garbage key");
	memcpy(pw, PASSWORD, sizeof(PASSWORD));
	ok(efirma_sign(key, 0, pw, fisica, msg, 1, &sig, &siglen) == EF_KEY_PARSE,
	    "sign: empty key");
	memcpy(pw, PASSWORD, sizeof(PASSWORD));
	ok(efirma_sign(key, keylen - 1, pw, fisica, msg, 1, &sig, &siglen) == EF_KEY_PARSE,
	    "sign: truncated key");
	memcpy(pw, PASSWORD, sizeof(PASSWORD));
	p = slurp(path(pki, "fisica.cer"), &i);
	ok(efirma_sign(p, i, pw, fisica, msg, 1, &sig, &siglen) == EF_KEY_PARSE,
	    "sign: a certificate given as the key");
	free((void *)p);

	/* An empty message signs and verifies too (the signature is over SHA-256 of nothing). */
	memcpy(pw, PASSWORD, sizeof(PASSWORD));
	ok(efirma_sign(key, keylen, pw, fisica, NULL, 0, &sig, &siglen) == EF_OK &&
	    efirma_verify(fisica, NULL, 0, sig, siglen) == EF_OK, "sign: empty message");
	free(sig);

	free(key);
	free(other);
	X509_free(fisica);
	X509_free(demo1);
}

/* --- OCSP ------------------------------------------------------------------------------ */

/*
 * Is something listening on this TCP port? Read from /proc rather than by connecting:
 * OpenSSL 3.0's `ocsp -port` spins at full CPU and stops answering after a connection that
 * closes without a request, even with -ignore_err.
 */
static int
listening(int port)
{
	static const char *const files[] = { "/proc/net/tcp", "/proc/net/tcp6" };
	char		 line[512], local[128], want[16];
	unsigned	 st;
	size_t		 i;
	FILE		*f;
	int		 found = 0;

	snprintf(want, sizeof(want), ":%04X", (unsigned)port);
	for (i = 0; i < 2 && !found; i++) {
		if ((f = fopen(files[i], "r")) == NULL)
			continue;
		while (fgets(line, sizeof(line), f) != NULL)
			if (sscanf(line, "%*s %127s %*s %x", local, &st) == 2 && st == 0x0a &&
			    strlen(local) > 5 && strcmp(local + strlen(local) - 5, want) == 0)
				found = 1;
		fclose(f);
	}
	return found;
}

static int
port_free(int port)
{
	struct sockaddr_in	sin;
	int			fd, rc;

	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0)
		return 0;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((unsigned short)port);
	sin.sin_addr.s_addr = htonl(INADDR_ANY);
	rc = bind(fd, (struct sockaddr *)&sin, sizeof(sin));
	close(fd);
	return rc == 0;
}

/* Start tests/pki/ocsp.sh on a free port; its pid goes to children[0]. The port, or -1. */
static int
start_responder(void)
{
	char	sport[16];
	int	try, port, i, status;
	pid_t	pid;

	for (try = 0; try < 20; try++) {
		port = 18800 + (int)((getpid() + try) % 1000);
		if (!port_free(port))
			continue;
		snprintf(sport, sizeof(sport), "%d", port);
		if ((pid = fork()) < 0)
			return -1;
		if (pid == 0) {
			int	null = open("/dev/null", O_RDWR);

			if (null >= 0) {
				dup2(null, 1);
				dup2(null, 2);
			}
			execl("/bin/sh", "sh", "tests/pki/ocsp.sh", pki, sport, "-nmin", "10",
			    (char *)NULL);
			_exit(127);
		}
		children[0] = pid;
		for (i = 0; i < 100; i++) {
			if (listening(port))
				return port;
			if (waitpid(pid, &status, WNOHANG) == pid) {
				children[0] = 0;
				break;
			}
			usleep(100000);
		}
		if (children[0] != 0)
			kill_children();
	}
	return -1;
}

/* A fake responder on 127.0.0.1: answers every request with `body` (NULL: never answers). */
static int
start_fake(int slot, const unsigned char *body, size_t len, const char *ctype)
{
	struct sockaddr_in	 sin;
	socklen_t		 sl = sizeof(sin);
	char			 head[256], req[8192];
	int			 fd, c, one = 1;
	pid_t			 pid;

	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0)
		die("socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0 || listen(fd, 8) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sin, &sl) != 0)
		die("fake responder: %s", strerror(errno));
	if ((pid = fork()) < 0)
		die("fork");
	if (pid == 0) {
		for (;;) {
			if ((c = accept(fd, NULL, NULL)) < 0)
				_exit(0);
			if (body == NULL) {
				sleep(60);
				_exit(0);
			}
			/* One read takes the small request; the answer does not depend on it. */
			if (read(c, req, sizeof(req)) < 0)
				_exit(1);
			snprintf(head, sizeof(head), "HTTP/1.0 200 OK\r\nContent-Type: %s\r\n"
			    "Content-Length: %zu\r\n\r\n", ctype, len);
			if (write(c, head, strlen(head)) < 0 || write(c, body, len) < 0)
				_exit(1);
			close(c);
		}
	}
	close(fd);
	children[slot] = pid;
	return ntohs(sin.sin_port);
}

static void
stop_child(int slot)
{
	if (children[slot] > 0) {
		kill(children[slot], SIGTERM);
		waitpid(children[slot], NULL, 0);
		children[slot] = 0;
	}
}

/* An in-memory cache that counts its calls. */
struct cache {
	int			 gets, hits, puts;
	char			 certno[8][48];
	enum efirma_status	 st[8];
	time_t			 until[8];
	int			 n;
	time_t			 last_until;
};

static int
cache_get(void *ctx, const char *certno, enum efirma_status *st)
{
	struct cache	*c = ctx;
	int		 i;

	c->gets++;
	for (i = 0; i < c->n; i++)
		if (strcmp(c->certno[i], certno) == 0 && c->until[i] > time(NULL)) {
			c->hits++;
			*st = c->st[i];
			return 1;
		}
	return 0;
}

static void
cache_put(void *ctx, const char *certno, enum efirma_status st, time_t until)
{
	struct cache	*c = ctx;

	c->puts++;
	c->last_until = until;
	if (c->n < 8) {
		snprintf(c->certno[c->n], sizeof(c->certno[0]), "%s", certno);
		c->st[c->n] = st;
		c->until[c->n++] = until;
	}
}

/* A cache whose entries say something no OCSP answer says: they must be ignored. */
static int
cache_liar(void *ctx, const char *certno, enum efirma_status *st)
{
	(void)ctx;
	(void)certno;
	*st = EF_CHAIN;
	return 1;
}

static void
test_ocsp(void)
{
	X509				*fisica = load_cert("fisica.cer");
	X509				*revocada = load_cert("revocada.cer");
	struct efirma_trust		 t = trust;
	struct cache			 cache;
	struct efirma_ocsp_cache	 oc = { &cache, cache_get, cache_put };
	struct efirma_ocsp_cache	 liar = { NULL, cache_liar, NULL };
	unsigned char			*resp;
	size_t				 resplen;
	char				 url[64];
	int				 port;
	time_t				 t0;
	enum efirma_status		 st;

	memset(&cache, 0, sizeof(cache));
	t.et_ocsp_url = NULL;
	ok(efirma_ocsp(fisica, &t, NULL) == EF_OK, "ocsp: no URL, no check");

	if ((port = start_responder()) < 0) {
		ok(0, "ocsp: could not start openssl ocsp");
		goto out;
	}
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/", port);
	t.et_ocsp_url = url;
	t.et_ocsp_timeout = 5;
	t.et_ocsp_hard = 1;
	ok((st = efirma_ocsp(fisica, &t, NULL)) == EF_OK, "ocsp: fisica is good (got %s)",
	    efirma_strerror(st));
	ok((st = efirma_ocsp(revocada, &t, NULL)) == EF_REVOKED, "ocsp: revocada is revoked (got %s)",
	    efirma_strerror(st));

	ok(efirma_ocsp(fisica, &t, &oc) == EF_OK && cache.gets == 1 && cache.hits == 0 &&
	    cache.puts == 1 && cache.st[0] == EF_OK &&
	    strcmp(cache.certno[0], "30001000000700000001") == 0,
	    "ocsp cache: miss, then put of the live answer");
	/* The responder runs with -nmin 10: the answer holds ten minutes, not the default hour. */
	ok(cache.last_until > time(NULL) + 500 && cache.last_until <= time(NULL) + 610,
	    "ocsp cache: kept until nextUpdate (%lld s)", (long long)(cache.last_until - time(NULL)));
	ok(efirma_ocsp(revocada, &t, &oc) == EF_REVOKED && cache.puts == 2 &&
	    cache.st[1] == EF_REVOKED, "ocsp cache: revoked answer put too");
	ok(efirma_ocsp(fisica, &t, &liar) == EF_OK, "ocsp cache: a nonsense cached status is ignored");

	stop_child(0);
	/* OpenSSL retries a refused connection until the timeout: keep it short from here on. */
	t.et_ocsp_timeout = 1;
	ok(efirma_ocsp(fisica, &t, NULL) == EF_OCSP_UNAVAILABLE,
	    "ocsp: responder down, hard-fail refuses");
	t.et_ocsp_hard = 0;
	ok(efirma_ocsp(fisica, &t, NULL) == EF_OK, "ocsp: responder down, soft-fail allows");
	ok(efirma_ocsp(revocada, &t, NULL) == EF_OK, "ocsp: soft-fail cannot know about revocada");
	t.et_ocsp_hard = 1;
	ok(efirma_ocsp(fisica, &t, &oc) == EF_OK && cache.hits == 1 && cache.puts == 2,
	    "ocsp cache: hit answers with the responder down");
	ok(efirma_ocsp(revocada, &t, &oc) == EF_REVOKED && cache.hits == 2 && cache.puts == 2,
	    "ocsp cache: cached revocation holds with the responder down");

	/* A real, signed answer played back to a later request: its nonce is not ours. */
	if (run("openssl ocsp -issuer '%s' -cert '%s' -reqout '%s' >/dev/null 2>&1 && "
	    "openssl ocsp -index '%s' -rsigner '%s' -rkey '%s' -CA '%s' -reqin '%s' -respout '%s' "
	    "-nmin 10 >/dev/null 2>&1", path(pki, "ac.pem"), path(pki, "fisica.pem"),
	    path(tmpdir, "req.der"), path(pki, "db/index.txt"), path(pki, "ocsp.pem"),
	    path(pki, "ocsp.key"), path(pki, "ac.pem"), path(tmpdir, "req.der"),
	    path(tmpdir, "resp.der")) != 0)
		die("openssl ocsp could not make a response");
	resp = slurp(path(tmpdir, "resp.der"), &resplen);
	port = start_fake(1, resp, resplen, "application/ocsp-response");
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/", port);
	ok(efirma_ocsp(fisica, &t, NULL) == EF_OCSP_UNAVAILABLE, "ocsp: replayed answer refused (nonce)");
	stop_child(1);
	free(resp);

	/* The same without any nonce: refused as well, since we always ask for one. */
	if (run("openssl ocsp -issuer '%s' -cert '%s' -no_nonce -reqout '%s' >/dev/null 2>&1 && "
	    "openssl ocsp -index '%s' -rsigner '%s' -rkey '%s' -CA '%s' -reqin '%s' -respout '%s' "
	    "-nmin 10 >/dev/null 2>&1", path(pki, "ac.pem"), path(pki, "fisica.pem"),
	    path(tmpdir, "req.der"), path(pki, "db/index.txt"), path(pki, "ocsp.pem"),
	    path(pki, "ocsp.key"), path(pki, "ac.pem"), path(tmpdir, "req.der"),
	    path(tmpdir, "resp.der")) != 0)
		die("openssl ocsp could not make a response");
	resp = slurp(path(tmpdir, "resp.der"), &resplen);
	port = start_fake(1, resp, resplen, "application/ocsp-response");
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/", port);
	ok(efirma_ocsp(fisica, &t, NULL) == EF_OCSP_UNAVAILABLE, "ocsp: answer without nonce refused");
	stop_child(1);
	free(resp);

	port = start_fake(1, (const unsigned char *)"<html>hi</html>", 15, "text/html");
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/", port);
	ok(efirma_ocsp(fisica, &t, NULL) == EF_OCSP_UNAVAILABLE, "ocsp: an HTML page is no answer");
	stop_child(1);

	/* A responder that accepts and says nothing: the timeout must end the wait. */
	port = start_fake(1, NULL, 0, NULL);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/", port);
	t0 = time(NULL);
	ok(efirma_ocsp(fisica, &t, NULL) == EF_OCSP_UNAVAILABLE && time(NULL) - t0 <= 3,
	    "ocsp: silent responder times out (%lld s)", (long long)(time(NULL) - t0));
	stop_child(1);

	t.et_ocsp_url = "https://127.0.0.1:1/";
	ok(efirma_ocsp(fisica, &t, NULL) == EF_OCSP_UNAVAILABLE, "ocsp: https URL refused");
	t.et_ocsp_url = "not a url";
	ok(efirma_ocsp(fisica, &t, NULL) == EF_OCSP_UNAVAILABLE, "ocsp: malformed URL");
out:
	kill_children();
	X509_free(fisica);
	X509_free(revocada);
}

int
main(void)
{
	struct stat	sb;

	/* Proxies from the environment would carry our loopback queries elsewhere. */
	unsetenv("http_proxy");
	unsetenv("HTTP_PROXY");
	signal(SIGPIPE, SIG_IGN);
	/* Whole lines: the library's log lines on stderr must not split a TAP line. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	pki = getenv("SEKKAN_PKI");
	if (pki == NULL || *pki == '\0')
		pki = "tests/pki/out";
	if (strchr(pki, '\'') != NULL)
		die("SEKKAN_PKI must not contain a quote");
	if (stat(path(pki, ".done"), &sb) != 0 &&
	    run("sh tests/pki/gen-pki.sh '%s' >/dev/null", pki) != 0)
		die("tests/pki/gen-pki.sh %s failed", pki);
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/t_efirma.XXXXXX");
	if (mkdtemp(tmpdir) == NULL) {
		tmpdir[0] = '\0';
		die("mkdtemp: %s", strerror(errno));
	}
	atexit(cleanup);
	if (efirma_trust_load(&trust, path(pki, "trust.pem")) != 0)
		die("cannot load %s", path(pki, "trust.pem"));

	test_strerror();
	test_trust();
	test_fisica();
	test_holders();
	test_junk();
	test_made();
	test_sign();
	test_ocsp();

	efirma_trust_free(&trust);
	return tap_done();
}

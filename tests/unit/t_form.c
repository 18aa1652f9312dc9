/* t_form.c: unit and golden tests for the urlencoded, multipart and cookie parsers. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "form.h"
#include "tap.h"

#define CT_MP	"multipart/form-data; boundary=XyZ"

static struct arena	ar;	/* the parsers', reset before each parse */
static struct arena	gar;	/* the golden harness's files and names */
static struct kvlist	kl;

static const char *const status_names[FORM__MAX] = {
	"FORM_OK",		/* FORM_OK */
	"FORM_SYNTAX",		/* FORM_SYNTAX */
	"FORM_ENCODING",	/* FORM_ENCODING */
	"FORM_TOO_MANY",	/* FORM_TOO_MANY */
};

static void
fresh(void)
{
	ar_reset(&ar);
	memset(&kl, 0, sizeof(kl));
}

static enum form_status
url(const char *s)
{
	fresh();
	return form_urlencoded(&ar, s, strlen(s), &kl);
}

static enum form_status
mp(const char *ctype, const char *body, size_t len)
{
	fresh();
	return form_multipart(&ar, ctype, body, len, &kl);
}

/* For bodies without NULs. */
static enum form_status
mps(const char *body)
{
	return mp(CT_MP, body, strlen(body));
}

static enum form_status
cookies(const char *h)
{
	fresh();
	return form_cookies(&ar, h, &kl);
}

/* The i-th field, or NULL. */
static const struct kv *
nth(size_t i)
{
	const struct kv	*kv;

	for (kv = kl.kl_head; kv != NULL && i > 0; kv = kv->kv_next)
		i--;
	return kv;
}

/* Every field's value is NUL-terminated at kv_len and the list is consistent. */
static int
list_sane(void)
{
	const struct kv	*kv;
	size_t		 n = 0;

	for (kv = kl.kl_head; kv != NULL; kv = kv->kv_next) {
		if (kv->kv_key == NULL || kv->kv_val == NULL || kv->kv_val[kv->kv_len] != '\0')
			return 0;
		if (kv->kv_next == NULL && kv != kl.kl_tail)
			return 0;
		n++;
	}
	return n == kl.kl_n;
}

static void
test_urlencoded(void)
{
	char		 buf[8192];
	size_t		 i;
	const struct kv	*kv;

	ok(url("a=1&b=2") == FORM_OK && kl.kl_n == 2, "urlencoded: a=1&b=2");
	is_str(kv_get(&kl, "a"), "1", "urlencoded: a is 1");
	is_str(kv_get(&kl, "b"), "2", "urlencoded: b is 2");
	ok(kv_get(&kl, "c") == NULL, "urlencoded: absent key is NULL");
	ok(kv_find(&kl, "A") == NULL, "urlencoded: keys are case-sensitive");
	ok(list_sane(), "urlencoded: list is consistent");
	kv = kv_find(&kl, "b");
	ok(kv != NULL && kv->kv_len == 1 && kv->kv_file == NULL && kv->kv_type == NULL,
	    "urlencoded: kv_find gives length, no file, no type");

	ok(url("q=hola+mundo&a+b=c") == FORM_OK, "urlencoded: plus signs");
	is_str(kv_get(&kl, "q"), "hola mundo", "urlencoded: '+' in a value is a space");
	is_str(kv_get(&kl, "a b"), "c", "urlencoded: '+' in a name is a space");
	ok(url("%41%62%2B=%c3%b1%2b%25%26%3D") == FORM_OK, "urlencoded: %%XX, both cases");
	is_str(kv_get(&kl, "Ab+"), "\xc3\xb1+%&=", "urlencoded: escapes decoded");
	ok(url("nombre=Jos%C3%A9&t=%E2%82%AC%F0%9F%98%80") == FORM_OK, "urlencoded: UTF-8");
	is_str(kv_get(&kl, "nombre"), "Jos\xc3\xa9", "urlencoded: Jos\xc3\xa9");
	is_str(kv_get(&kl, "t"), "\xe2\x82\xac\xf0\x9f\x98\x80", "urlencoded: 3- and 4-byte");
	ok(url("a=%2") == FORM_SYNTAX, "urlencoded: %%2 at the end");
	ok(url("a=%4") == FORM_SYNTAX, "urlencoded: %%4");
	ok(url("a=%") == FORM_SYNTAX, "urlencoded: lone %%");
	ok(url("a=%zz") == FORM_SYNTAX, "urlencoded: %%zz");
	ok(url("a=%4g") == FORM_SYNTAX, "urlencoded: %%4g");
	ok(url("a=%g4") == FORM_SYNTAX, "urlencoded: %%g4");
	ok(url("a=%4&b=1") == FORM_SYNTAX, "urlencoded: %%4 before &");
	ok(url("%zz=1") == FORM_SYNTAX, "urlencoded: bad escape in a name");
	ok(url("=x") == FORM_SYNTAX, "urlencoded: =x has no name");
	ok(url("a=1&=x") == FORM_SYNTAX, "urlencoded: later empty name");
	ok(url("=") == FORM_SYNTAX, "urlencoded: lone =");
	ok(url("a=1&&b=2") == FORM_OK && kl.kl_n == 2, "urlencoded: a=1&&b=2 tolerated");
	is_str(kv_get(&kl, "b"), "2", "urlencoded: b after &&");
	ok(url("&a=1&") == FORM_OK && kl.kl_n == 1, "urlencoded: leading and trailing &");
	ok(url("&&&") == FORM_OK && kl.kl_n == 0, "urlencoded: only &");
	ok(url("") == FORM_OK && kl.kl_n == 0 && kl.kl_head == NULL, "urlencoded: empty body");
	ok(url("flag&b=2") == FORM_OK && kl.kl_n == 2, "urlencoded: key without =");
	kv = kv_find(&kl, "flag");
	ok(kv != NULL && strcmp(kv->kv_val, "") == 0 && kv->kv_len == 0,
	    "urlencoded: key without = has an empty value");
	ok(url("a=") == FORM_OK && kv_get(&kl, "a") != NULL && *kv_get(&kl, "a") == '\0',
	    "urlencoded: a= has an empty value");
	ok(url("a==b") == FORM_OK, "urlencoded: a==b");
	is_str(kv_get(&kl, "a"), "=b", "urlencoded: value keeps the second =");
	ok(url("a=x%00y") == FORM_ENCODING, "urlencoded: %%00 in a value");
	ok(url("a%00b=1") == FORM_ENCODING, "urlencoded: %%00 in a name");
	ok(url("a=%C0%80") == FORM_ENCODING, "urlencoded: overlong %%C0%%80");
	ok(url("a=%C0%AE%C0%AE%2F") == FORM_ENCODING, "urlencoded: overlong dots");
	ok(url("a=%ED%A0%80") == FORM_ENCODING, "urlencoded: surrogate");
	ok(url("a=%ff") == FORM_ENCODING, "urlencoded: %%ff");
	ok(url("a=%C3") == FORM_ENCODING, "urlencoded: truncated sequence");
	ok(url("a=\xff") == FORM_ENCODING, "urlencoded: raw FF byte");
	ok(url("%ff=1") == FORM_ENCODING, "urlencoded: bad UTF-8 in a name");
	ok(url("k=1&k=2&k=3") == FORM_OK && kl.kl_n == 3, "urlencoded: duplicate keys kept");
	is_str(kv_get(&kl, "k"), "1", "urlencoded: kv_get returns the first");
	ok(list_sane(), "urlencoded: list with duplicates is consistent");

	/* The length is honoured; the buffer need not be NUL-terminated. */
	fresh();
	memcpy(buf, "a=1&b=2", 7);
	ok(form_urlencoded(&ar, buf, 3, &kl) == FORM_OK && kl.kl_n == 1 &&
	    kv_get(&kl, "b") == NULL, "urlencoded: len stops the parse");
	fresh();
	memcpy(buf, "a=%41", 5);
	buf[5] = 'Z';
	ok(form_urlencoded(&ar, buf, 4, &kl) == FORM_SYNTAX,
	    "urlencoded: an escape cut by len is bad");

	/* Limits. */
	memset(buf, 'n', FORM_MAX_NAME);
	strcpy(buf + FORM_MAX_NAME, "=1");
	ok(url(buf) == FORM_OK, "urlencoded: name of FORM_MAX_NAME");
	memset(buf, 'n', FORM_MAX_NAME + 1);
	strcpy(buf + FORM_MAX_NAME + 1, "=1");
	ok(url(buf) == FORM_SYNTAX, "urlencoded: name of FORM_MAX_NAME + 1");
	for (i = 0; i < FORM_MAX_NAME + 1; i++)
		memcpy(buf + 3 * i, "%41", 3);
	strcpy(buf + 3 * i, "=1");
	ok(url(buf) == FORM_SYNTAX, "urlencoded: escaped name decoding to FORM_MAX_NAME + 1");
	buf[0] = '\0';
	for (i = 0; i < FORM_MAX_FIELDS; i++)
		strcat(buf, "a=1&");
	ok(url(buf) == FORM_OK && kl.kl_n == FORM_MAX_FIELDS, "urlencoded: FORM_MAX_FIELDS fields");
	strcat(buf, "z=1");
	ok(url(buf) == FORM_TOO_MANY, "urlencoded: FORM_MAX_FIELDS + 1 fields");
	ok(kl.kl_n <= FORM_MAX_FIELDS, "urlencoded: the list never grows past the limit");
}

static const char mp_body[] =
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"titulo\"\r\n"
    "\r\n"
    "Reuni\xc3\xb3n semanal\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"notas\"\r\n"
    "Content-Type: text/plain; charset=UTF-8\r\n"
    "\r\n"
    "l\xc3\xadnea 1\r\nl\xc3\xadnea 2\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"adjunto\"; filename=\"acta.bin\"\r\n"
    "Content-Type: application/octet-stream\r\n"
    "\r\n"
    "\x00\x01\xff\r\n\r\n--X\xfe\x00"
    "\r\n--XyZ--\r\n";
static const char mp_file[] = "\x00\x01\xff\r\n\r\n--X\xfe\x00";
static const char mp_nul[] =
    "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\na\0b\r\n--XyZ--";

static void
test_multipart(void)
{
	char		 buf[65536], bnd[80], ct[160], nm[FORM_MAX_NAME + 1];
	const struct kv	*kv;
	size_t		 i, n;

	ok(mp(CT_MP, mp_body, sizeof(mp_body) - 1) == FORM_OK && kl.kl_n == 3,
	    "multipart: two text fields and a file");
	ok(list_sane(), "multipart: list is consistent");
	is_str(kv_get(&kl, "titulo"), "Reuni\xc3\xb3n semanal", "multipart: first text field");
	kv = kv_find(&kl, "titulo");
	ok(kv != NULL && kv->kv_file == NULL && kv->kv_type == NULL && kv->kv_len == 16,
	    "multipart: text field has no file, no type");
	is_str(kv_get(&kl, "notas"), "l\xc3\xadnea 1\r\nl\xc3\xadnea 2", "multipart: CRLF inside text");
	kv = kv_find(&kl, "notas");
	ok(kv != NULL && kv->kv_file == NULL, "multipart: second text field has no file");
	is_str(kv != NULL ? kv->kv_type : NULL, "text/plain; charset=UTF-8",
	    "multipart: part Content-Type kept");
	kv = kv_find(&kl, "adjunto");
	ok(kv != NULL && kv->kv_len == sizeof(mp_file) - 1 &&
	    memcmp(kv->kv_val, mp_file, sizeof(mp_file) - 1) == 0,
	    "multipart: file bytes with NUL and CRLF intact");
	is_str(kv != NULL ? kv->kv_file : NULL, "acta.bin", "multipart: kv_file");
	is_str(kv != NULL ? kv->kv_type : NULL, "application/octet-stream", "multipart: kv_type");
	ok(nth(0) == kv_find(&kl, "titulo") && nth(2) == kv_find(&kl, "adjunto"),
	    "multipart: fields in body order");

	/* Content-Type forms. */
	ok(mp("multipart/form-data; boundary=\"XyZ\"", mp_body, sizeof(mp_body) - 1) == FORM_OK &&
	    kl.kl_n == 3, "multipart: quoted boundary");
	ok(mp("Multipart/Form-Data; BOUNDARY=XyZ", mp_body, sizeof(mp_body) - 1) == FORM_OK,
	    "multipart: case-insensitive type and parameter");
	ok(mp("multipart/form-data; charset=utf-8; boundary=XyZ", mp_body, sizeof(mp_body) - 1) ==
	    FORM_OK, "multipart: boundary after another parameter");
	ok(mp("multipart/form-data;boundary=XyZ", mp_body, sizeof(mp_body) - 1) == FORM_OK,
	    "multipart: no space before the parameter");
	n = (size_t)snprintf(buf, sizeof(buf), "--a b:c\r\n"
	    "Content-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--a b:c--\r\n");
	ok(mp("multipart/form-data; boundary=\"a b:c\"", buf, n) == FORM_OK &&
	    kv_get(&kl, "a") != NULL, "multipart: quoted boundary with a space");
	ok(mp("multipart/form-data", mp_body, sizeof(mp_body) - 1) == FORM_SYNTAX,
	    "multipart: missing boundary");
	ok(mp("multipart/form-data; boundary=", mp_body, sizeof(mp_body) - 1) == FORM_SYNTAX,
	    "multipart: empty boundary");
	ok(mp("multipart/form-data; boundary=\"\"", mp_body, sizeof(mp_body) - 1) == FORM_SYNTAX,
	    "multipart: empty quoted boundary");
	ok(mp("multipart/form-data; boundary=\"XyZ", mp_body, sizeof(mp_body) - 1) == FORM_SYNTAX,
	    "multipart: unterminated quoted boundary");
	ok(mp("text/plain; boundary=XyZ", mp_body, sizeof(mp_body) - 1) == FORM_SYNTAX,
	    "multipart: not multipart/form-data");
	ok(mp(NULL, mp_body, sizeof(mp_body) - 1) == FORM_SYNTAX, "multipart: NULL Content-Type");
	ok(mp("multipart/form-data; boundary=Other", mp_body, sizeof(mp_body) - 1) == FORM_SYNTAX,
	    "multipart: boundary not in the body");

	/* Boundary length: 70 is the RFC 2046 limit. */
	memset(bnd, 'b', 71);
	n = (size_t)snprintf(buf, sizeof(buf), "--%.70s\r\n"
	    "Content-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--%.70s--\r\n", bnd, bnd);
	snprintf(ct, sizeof(ct), "multipart/form-data; boundary=%.70s", bnd);
	ok(mp(ct, buf, n) == FORM_OK && kl.kl_n == 1, "multipart: boundary of 70");
	n = (size_t)snprintf(buf, sizeof(buf), "--%.71s\r\n"
	    "Content-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--%.71s--\r\n", bnd, bnd);
	snprintf(ct, sizeof(ct), "multipart/form-data; boundary=%.71s", bnd);
	ok(mp(ct, buf, n) == FORM_SYNTAX, "multipart: boundary of 71");

	/* Structure. */
	ok(mps("") == FORM_SYNTAX, "multipart: empty body");
	ok(mps("--XyZ--\r\n") == FORM_OK && kl.kl_n == 0, "multipart: no parts");
	ok(mps("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--XyZ--") ==
	    FORM_OK && kl.kl_n == 1, "multipart: closing -- without CRLF");
	ok(mps("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--XyZ--\r\n"
	    "epilogue\r\n--XyZ\r\nContent-Disposition: form-data; name=\"b\"\r\n\r\nw\r\n") ==
	    FORM_OK && kl.kl_n == 1 && kv_get(&kl, "b") == NULL,
	    "multipart: nothing after the closing -- is parsed");
	ok(mps("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv") == FORM_SYNTAX,
	    "multipart: truncated, no closing delimiter");
	ok(mps("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--XyZ") ==
	    FORM_SYNTAX, "multipart: truncated after the last delimiter");
	ok(mps("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--XyZ\r\n") ==
	    FORM_SYNTAX, "multipart: truncated at the start of a part");
	ok(mps("--XyZ\r\nContent-Disposition: form-data; name=\"a\"") == FORM_SYNTAX,
	    "multipart: truncated in the headers");
	ok(mps("--XyZ") == FORM_SYNTAX, "multipart: only the first delimiter");
	ok(mps("--XyZ\nContent-Disposition: form-data; name=\"a\"\n\nv\n--XyZ--\n") == FORM_SYNTAX,
	    "multipart: bare LF line ends");
	ok(mps("--XyZjunk\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--XyZ--") ==
	    FORM_SYNTAX, "multipart: junk after a delimiter");
	ok(mps("--XyZ  \t\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--XyZ--") ==
	    FORM_OK && kl.kl_n == 1, "multipart: transport padding after a delimiter");
	ok(mps("This is the preamble.\r\nIt is ignored.\r\n--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--XyZ--\r\n") == FORM_OK &&
	    kl.kl_n == 1, "multipart: preamble before the first delimiter");
	is_str(kv_get(&kl, "a"), "v", "multipart: value after a preamble");
	ok(mps("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n\r\n--XyZ--") == FORM_OK &&
	    kv_find(&kl, "a") != NULL && kv_find(&kl, "a")->kv_len == 0, "multipart: empty value");
	ok(mps("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx--XyZ y\r\n--XyZ--") ==
	    FORM_OK, "multipart: boundary text not at a line start");
	is_str(kv_get(&kl, "a"), "x--XyZ y", "multipart: boundary-like text kept");
	ok(mps("--XyZ\r\ncontent-disposition: form-data; NAME=\"a\"\r\n"
	    "X-Other: 1\r\n\r\nv\r\n--XyZ--") == FORM_OK && kv_get(&kl, "a") != NULL,
	    "multipart: header and parameter names are case-insensitive");
	ok(mps("--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\nv\r\n--XyZ--") == FORM_OK &&
	    kv_get(&kl, "a") != NULL, "multipart: unquoted name");
	ok(mps("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"a\"\r\n\r\n2\r\n--XyZ--") == FORM_OK &&
	    kl.kl_n == 2, "multipart: duplicate names kept");
	is_str(kv_get(&kl, "a"), "1", "multipart: kv_get returns the first");

	/* Names. */
	ok(mps("--XyZ\r\nContent-Disposition: form-data\r\n\r\nv\r\n--XyZ--") == FORM_SYNTAX,
	    "multipart: part without a name");
	ok(mps("--XyZ\r\nContent-Type: text/plain\r\n\r\nv\r\n--XyZ--") == FORM_SYNTAX,
	    "multipart: part without Content-Disposition");
	ok(mps("--XyZ\r\nContent-Disposition: form-data; name=\"\"\r\n\r\nv\r\n--XyZ--") ==
	    FORM_SYNTAX, "multipart: empty name");
	ok(mps("--XyZ\r\n\r\nv\r\n--XyZ--") == FORM_SYNTAX, "multipart: part without headers");
	memset(nm, 'n', sizeof(nm));
	n = (size_t)snprintf(buf, sizeof(buf), "--XyZ\r\nContent-Disposition: form-data; "
	    "name=\"%.*s\"\r\n\r\nv\r\n--XyZ--", FORM_MAX_NAME, nm);
	ok(mp(CT_MP, buf, n) == FORM_OK, "multipart: name of FORM_MAX_NAME");
	n = (size_t)snprintf(buf, sizeof(buf), "--XyZ\r\nContent-Disposition: form-data; "
	    "name=\"%.*s\"\r\n\r\nv\r\n--XyZ--", FORM_MAX_NAME + 1, nm);
	ok(mp(CT_MP, buf, n) == FORM_SYNTAX, "multipart: name of FORM_MAX_NAME + 1");

	/* Encoding: text parts are text, file parts are bytes. */
	ok(mps("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n\xc0\x80\r\n--XyZ--") ==
	    FORM_ENCODING, "multipart: overlong in a text part");
	ok(mps("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nab\xff\r\n--XyZ--") ==
	    FORM_ENCODING, "multipart: FF in a text part");
	ok(mp(CT_MP, mp_nul, sizeof(mp_nul) - 1) == FORM_ENCODING, "multipart: NUL in a text part");
	ok(mps("--XyZ\r\nContent-Disposition: form-data; name=\"a\"; filename=\"f\"\r\n\r\n"
	    "ab\xff\xc0\x80\r\n--XyZ--") == FORM_OK, "multipart: invalid UTF-8 allowed in a file part");
	kv = kv_find(&kl, "a");
	ok(kv != NULL && kv->kv_len == 5 && memcmp(kv->kv_val, "ab\xff\xc0\x80", 5) == 0,
	    "multipart: file part bytes kept");
	ok(mps("--XyZ\r\nContent-Disposition: form-data; name=\"a\"; filename=\"\"\r\n\r\n"
	    "\r\n--XyZ--") == FORM_OK && kv_find(&kl, "a") != NULL &&
	    kv_find(&kl, "a")->kv_file != NULL && *kv_find(&kl, "a")->kv_file == '\0',
	    "multipart: empty filename (no file chosen) is still a file part");
	ok(mps("--XyZ\r\nContent-Disposition: form-data; name=\"\xc3\xb1\"\r\n\r\nv\r\n--XyZ--") ==
	    FORM_OK && kv_get(&kl, "\xc3\xb1") != NULL, "multipart: UTF-8 name");
	ok(mps("--XyZ\r\nContent-Disposition: form-data; name=\"\xff\"\r\n\r\nv\r\n--XyZ--") ==
	    FORM_ENCODING, "multipart: invalid UTF-8 in a name");
	ok(mps("--XyZ\r\nContent-Disposition: form-data; name=\"a\"; filename=\"\xc0\xaf\"\r\n\r\n"
	    "v\r\n--XyZ--") == FORM_ENCODING, "multipart: invalid UTF-8 in a filename");
	ok(mps("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n"
	    "Content-Type: text/\xff\r\n\r\nv\r\n--XyZ--") == FORM_ENCODING,
	    "multipart: invalid UTF-8 in a part Content-Type");

	/* Too many parts. */
	for (n = 0, i = 0; i < FORM_MAX_FIELDS; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n,
		    "--XyZ\r\nContent-Disposition: form-data; name=\"f%zu\"\r\n\r\nv\r\n", i);
	snprintf(buf + n, sizeof(buf) - n, "--XyZ--\r\n");
	ok(mps(buf) == FORM_OK && kl.kl_n == FORM_MAX_FIELDS, "multipart: FORM_MAX_FIELDS parts");
	n += (size_t)snprintf(buf + n, sizeof(buf) - n,
	    "--XyZ\r\nContent-Disposition: form-data; name=\"last\"\r\n\r\nv\r\n--XyZ--\r\n");
	ok(mps(buf) == FORM_TOO_MANY && kl.kl_n <= FORM_MAX_FIELDS,
	    "multipart: FORM_MAX_FIELDS + 1 parts");
}

/*
 * Bugs: a part's header block must end before the next delimiter, and a
 * parameter search must not look inside quoted strings.
 */
static void
test_multipart_bugs(void)
{
	const struct kv	*kv;

	ok(mps("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n"
	    "--XyZ\r\nContent-Disposition: form-data; name=\"b\"\r\n\r\nv\r\n--XyZ--\r\n") ==
	    FORM_SYNTAX, "multipart: headers that run into the next part are malformed");
	ok(mps("--XyZ\r\n\r\nfirst\r\n"
	    "--XyZ\r\nContent-Disposition: form-data; name=\"b\"\r\n\r\nv\r\n--XyZ--\r\n") ==
	    FORM_SYNTAX, "multipart: a part without headers does not borrow the next part's");
	ok(mps("--XyZ\r\nContent-Disposition: form-data; name=\"a; filename=x\"\r\n\r\n"
	    "v\r\n--XyZ--\r\n") == FORM_OK, "multipart: ';' inside a quoted name");
	kv = kv_find(&kl, "a; filename=x");
	ok(kv != NULL && kv->kv_file == NULL,
	    "multipart: filename= inside a quoted name does not make a file part");
	ok(mp("multipart/form-data; x=\"; boundary=evil\"; boundary=XyZ", mp_body,
	    sizeof(mp_body) - 1) == FORM_OK,
	    "multipart: boundary= inside a quoted parameter is not the boundary");
}

static void
test_cookies(void)
{
	char		 buf[8192];
	const struct kv	*kv;
	size_t		 i;

	ok(cookies("a=1; b=2") == FORM_OK && kl.kl_n == 2, "cookies: a=1; b=2");
	is_str(kv_get(&kl, "a"), "1", "cookies: a");
	is_str(kv_get(&kl, "b"), "2", "cookies: b");
	ok(list_sane(), "cookies: list is consistent");
	ok(cookies("a=1;b=2") == FORM_OK && kl.kl_n == 2, "cookies: no space after ;");
	ok(cookies("a=\"xyz\"") == FORM_OK, "cookies: quoted value");
	is_str(kv_get(&kl, "a"), "xyz", "cookies: quotes removed");
	kv = kv_find(&kl, "a");
	ok(kv != NULL && kv->kv_len == 3, "cookies: length without quotes");
	ok(cookies("a=\"\"") == FORM_OK && kv_get(&kl, "a") != NULL && *kv_get(&kl, "a") == '\0',
	    "cookies: empty quoted value");
	ok(cookies("a=\"; b=2") == FORM_OK && kl.kl_n == 1 && kv_get(&kl, "a") == NULL,
	    "cookies: lone quote skipped");
	ok(cookies("a=\"x y\"") == FORM_OK && kl.kl_n == 0, "cookies: space in quotes skipped");
	ok(cookies("  a = 1 ;\tb=2\t;  c=3  ") == FORM_OK && kl.kl_n == 3, "cookies: spaces around");
	is_str(kv_get(&kl, "a"), "1", "cookies: a trimmed");
	is_str(kv_get(&kl, "b"), "2", "cookies: b trimmed");
	is_str(kv_get(&kl, "c"), "3", "cookies: c trimmed");
	ok(cookies("=x; ;; a") == FORM_OK && kl.kl_n == 0, "cookies: junk pairs skipped");
	ok(cookies("=x; ;; a; ok=1") == FORM_OK && kl.kl_n == 1, "cookies: pair after junk");
	is_str(kv_get(&kl, "ok"), "1", "cookies: ok after junk");
	ok(cookies("a=\xc3\xb1; b=2") == FORM_OK && kl.kl_n == 1 && kv_get(&kl, "a") == NULL,
	    "cookies: non-ASCII value skipped");
	is_str(kv_get(&kl, "b"), "2", "cookies: pair after a non-ASCII value");
	ok(cookies("\xc3\xb1=1; b=2") == FORM_OK && kl.kl_n == 1, "cookies: non-ASCII name skipped");
	ok(cookies("a b=1; c(d=2; e,f=3") == FORM_OK && kl.kl_n == 0,
	    "cookies: non-token names skipped");
	ok(cookies("a=x,y; b=x\\y; c=x\x7fy; d=x\x01y") == FORM_OK && kl.kl_n == 0,
	    "cookies: comma, backslash and controls in values skipped");
	ok(cookies("a=") == FORM_OK && kl.kl_n == 1 && *kv_get(&kl, "a") == '\0',
	    "cookies: empty value");
	ok(cookies("t=YWJj==; x=a=b") == FORM_OK, "cookies: = inside values");
	is_str(kv_get(&kl, "t"), "YWJj==", "cookies: base64 padding kept");
	is_str(kv_get(&kl, "x"), "a=b", "cookies: value with =");
	ok(cookies("sid=one; sid=two") == FORM_OK && kl.kl_n == 2, "cookies: duplicates kept");
	is_str(kv_get(&kl, "sid"), "one", "cookies: first occurrence wins");
	ok(cookies(NULL) == FORM_OK && kl.kl_n == 0, "cookies: NULL header");
	ok(cookies("") == FORM_OK && kl.kl_n == 0, "cookies: empty header");
	ok(cookies(";;;") == FORM_OK && kl.kl_n == 0, "cookies: only separators");
	ok(cookies("!#$%&'*+-.^_`|~Az09=v") == FORM_OK && kl.kl_n == 1,
	    "cookies: every token character in a name");

	memset(buf, 'n', FORM_MAX_NAME);
	strcpy(buf + FORM_MAX_NAME, "=1");
	ok(cookies(buf) == FORM_OK && kl.kl_n == 1, "cookies: name of FORM_MAX_NAME");
	memset(buf, 'n', FORM_MAX_NAME + 1);
	strcpy(buf + FORM_MAX_NAME + 1, "=1");
	ok(cookies(buf) == FORM_OK && kl.kl_n == 0, "cookies: name of FORM_MAX_NAME + 1 skipped");
	buf[0] = '\0';
	for (i = 0; i < FORM_MAX_FIELDS; i++)
		strcat(buf, "a=1; ");
	ok(cookies(buf) == FORM_OK && kl.kl_n == FORM_MAX_FIELDS, "cookies: FORM_MAX_FIELDS");
	strcat(buf, "z=1");
	ok(cookies(buf) == FORM_TOO_MANY && kl.kl_n <= FORM_MAX_FIELDS,
	    "cookies: FORM_MAX_FIELDS + 1");
}

static void
test_strerror(void)
{
	static const char *const want[FORM__MAX] = {
		"ok", "malformed body", "invalid UTF-8 or NUL in a field", "too many fields",
	};
	int	i;

	for (i = 0; i < FORM__MAX; i++)
		is_str(form_strerror((enum form_status)i), want[i], "form_strerror(%d)", i);
	is_str(form_strerror(FORM__MAX), "unknown", "form_strerror(FORM__MAX)");
	is_str(form_strerror((enum form_status)-1), "unknown", "form_strerror(-1)");
}

/* Golden files: the whole file in gar, NUL-terminated; NULL if unreadable. */
static char *
slurp(const char *path, size_t *len)
{
	FILE	*f;
	char	*p = NULL;
	long	 n;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0)
		goto out;
	p = ar_alloc(&gar, (size_t)n + 1);
	if (fread(p, 1, (size_t)n, f) != (size_t)n) {
		p = NULL;
		goto out;
	}
	*len = (size_t)n;
out:
	fclose(f);
	return p;
}

/* Printable ASCII as is, everything else (and the backslash) as \xNN. */
static void
put_esc(FILE *f, const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c > 0x7e || c == '\\')
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
}

/*
 * The parse as text: the status name, then for FORM_OK one "key=value" line per field,
 * followed by indented "filename=" and "type=" lines for parts that carry them.
 */
static void
render(FILE *f, enum form_status s)
{
	const struct kv	*kv;

	fprintf(f, "%s\n", (unsigned)s < FORM__MAX ? status_names[s] : "FORM_?");
	if (s != FORM_OK)
		return;
	for (kv = kl.kl_head; kv != NULL; kv = kv->kv_next) {
		put_esc(f, kv->kv_key, strlen(kv->kv_key));
		fputc('=', f);
		put_esc(f, kv->kv_val, kv->kv_len);
		fputc('\n', f);
		if (kv->kv_file != NULL) {
			fputs("  filename=", f);
			put_esc(f, kv->kv_file, strlen(kv->kv_file));
			fputc('\n', f);
		}
		if (kv->kv_type != NULL) {
			fputs("  type=", f);
			put_esc(f, kv->kv_type, strlen(kv->kv_type));
			fputc('\n', f);
		}
	}
}

/*
 * form-*.in: a Content-Type line, then the raw body; cookie-*.in: the Cookie header on
 * one line. Fills out with the rendered parse; 0 when the input is not understood.
 */
static int
golden_parse(const char *name, char *in, size_t inlen, char **out, size_t *outlen)
{
	FILE		*f;
	char		*nl, *ctype, *body;
	enum form_status s;
	size_t		 blen;

	fresh();
	if (strncmp(name, "cookie-", 7) == 0) {
		if (inlen > 0 && in[inlen - 1] == '\n')
			in[--inlen] = '\0';
		if (memchr(in, '\0', inlen) != NULL || memchr(in, '\n', inlen) != NULL)
			return 0;
		s = form_cookies(&ar, in, &kl);
	} else if (strncmp(name, "form-", 5) == 0) {
		if ((nl = memchr(in, '\n', inlen)) == NULL)
			return 0;
		*nl = '\0';
		ctype = in;
		body = nl + 1;
		blen = inlen - (size_t)(body - in);
		if (strncmp(ctype, "application/x-www-form-urlencoded", 33) == 0)
			s = form_urlencoded(&ar, body, blen, &kl);
		else if (strncmp(ctype, "multipart/form-data", 19) == 0)
			s = form_multipart(&ar, ctype, body, blen, &kl);
		else
			return 0;
	} else
		return 0;
	if ((f = open_memstream(out, outlen)) == NULL)
		return 0;
	render(f, s);
	fclose(f);
	return 1;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Both texts as TAP comments, line by line. */
static void
show_lines(const char *label, const char *s)
{
	size_t	n;

	printf("#   %s\n", label);
	while (*s != '\0') {
		n = strcspn(s, "\n");
		printf("#   %.*s\n", (int)n, s);
		s += n;
		if (*s == '\n')
			s++;
	}
}

static void
test_golden(void)
{
	const char	*dir = getenv("SEKKAN_GOLDEN_DIR");
	int		 update = getenv("SEKKAN_GOLDEN_UPDATE") != NULL;
	DIR		*d;
	struct dirent	*de;
	char		*names[256], path[4096], *in, *want, *got = NULL;
	size_t		 n = 0, i, len, inlen, wantlen, gotlen;
	FILE		*f;

	if (dir == NULL)
		dir = "tests/unit/golden";
	if ((d = opendir(dir)) == NULL) {
		ok(0, "golden: open %s (run from the top of the tree)", dir);
		return;
	}
	while ((de = readdir(d)) != NULL && n < sizeof(names) / sizeof(names[0])) {
		len = strlen(de->d_name);
		if (len > 3 && strcmp(de->d_name + len - 3, ".in") == 0)
			names[n++] = ar_strndup(&gar, de->d_name, len - 3);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_names);
	ok(n >= 8, "golden: %zu input files in %s", n, dir);

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s.in", dir, names[i]);
		if ((in = slurp(path, &inlen)) == NULL) {
			ok(0, "golden %s: read %s", names[i], path);
			continue;
		}
		free(got);
		got = NULL;
		if (!golden_parse(names[i], in, inlen, &got, &gotlen)) {
			ok(0, "golden %s: input not understood", names[i]);
			continue;
		}
		snprintf(path, sizeof(path), "%s/%s.out", dir, names[i]);
		if (update) {
			if ((f = fopen(path, "wb")) == NULL ||
			    fwrite(got, 1, gotlen, f) != gotlen || fclose(f) != 0)
				ok(0, "golden %s: write %s", names[i], path);
			else
				ok(1, "golden %s: wrote %s", names[i], path);
			continue;
		}
		if ((want = slurp(path, &wantlen)) == NULL) {
			ok(0, "golden %s: read %s", names[i], path);
			continue;
		}
		ok(wantlen == gotlen && memcmp(got, want, gotlen) == 0, "golden %s", names[i]);
		if (wantlen != gotlen || memcmp(got, want, gotlen) != 0) {
			show_lines("--- want", want);
			show_lines("+++ got", got);
		}
	}
	free(got);
}

int
main(void)
{
	ar_init(&ar);
	ar_init(&gar);
	test_urlencoded();
	test_multipart();
	test_multipart_bugs();
	test_cookies();
	test_strerror();
	test_golden();
	ar_free(&ar);
	ar_free(&gar);
	return tap_done();
}

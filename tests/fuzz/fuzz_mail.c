/* fuzz_mail.c: libFuzzer driver for the header and iCalendar encoders of lib/mail.c and lib/ical.c: hostile names, subjects and addresses never break a line or add a header. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "cfg.h"
#include "db.h"
#include "ical.h"
#include "log.h"
#include "mail.h"
#include "sbuf.h"
#include "valid.h"

#define CHECK(c) do {							\
	if (!(c)) {							\
		fprintf(stderr, "fuzz_mail: invariant failed: %s (line %d)\n", #c, __LINE__); \
		abort();						\
	}								\
} while (0)

/* mail_queue's services are not reached from here; these keep the link self-contained. */
const char *cfg_get(const char *k, const char *d) { (void)k; return d; }
enum db_status db_exec(struct arena *a, PGresult **r, const char *q, int n, const char *const *p)
{ (void)a; (void)r; (void)q; (void)n; (void)p; return DB_FAILED; }
void log_err(const char *f, ...) { (void)f; }

static struct arena	ar;
static int		ar_ready;

/* A header value: printable ASCII, lines joined only by CRLF + space (folding). */
static void
header_ok(const char *s, size_t maxline)
{
	size_t col = 0;

	for (; *s != '\0'; s++) {
		if (s[0] == '\r') {
			CHECK(s[1] == '\n' && s[2] == ' ');
			s++;
			col = 0;
			continue;
		}
		CHECK((unsigned char)*s >= 0x20 && (unsigned char)*s < 0x7f);
		CHECK(++col <= maxline);
	}
}

/* iCalendar output: CRLF-terminated lines of at most 75 octets, no other control bytes. */
static void
ical_ok(const char *s)
{
	size_t col = 0;

	for (; *s != '\0'; s++) {
		if (*s == '\r') {
			CHECK(s[1] == '\n');
			s++;
			col = 0;
			continue;
		}
		CHECK((unsigned char)*s >= 0x20 && *s != 0x7f);
		CHECK(++col <= 75);
	}
	CHECK(col == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	struct sbuf	 b;
	char		*s = malloc(n + 1), *v;

	if (s == NULL)
		abort();
	memcpy(s, data, n);
	s[n] = '\0';
	if (!ar_ready) {
		ar_init(&ar);
		ar_ready = 1;
	}
	header_ok(mail_encode_text(&ar, s), 998);
	if ((v = mail_mailbox(&ar, s, "a@ejemplo.mx")) != NULL)
		header_ok(v, 998);
	if ((v = mail_mailbox(&ar, "x", s)) != NULL) {
		CHECK(val_email(s) == VAL_OK && strlen(s) <= 254);
		CHECK(strpbrk(s, "<>\r\n\" ") == NULL);
		header_ok(v, 998);
	}
	v = ical_text(&ar, s);
	for (; *v != '\0'; v++)
		CHECK((unsigned char)*v >= 0x20 && *v != 0x7f);
	sb_init(&b, &ar);
	ical_line(&b, "SUMMARY", ical_text(&ar, s));
	ical_ok(b.sb_s);
	if (ical_zone_ok(s)) {
		CHECK(strstr(s, "..") == NULL && s[0] != '/' && s[0] != ':');
		sb_init(&b, &ar);
		CHECK(ical_vtimezone(&b, s, 1767225600, 1767225600 + 86400) == 0);
		ical_ok(b.sb_s);
	}
	ar_reset(&ar);
	free(s);
	return 0;
}

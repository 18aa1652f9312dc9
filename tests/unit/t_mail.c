/* t_mail.c: unit and golden tests for mail composition (lib/mail.c) and iCalendar (lib/ical.c), hostile input included. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "arena.h"
#include "ical.h"
#include "mail.h"
#include "sbuf.h"
#include "valid.h"
#include "tap.h"

static struct arena ar;

/* Every line of s (CRLF separated) at most max octets; no bare CR or LF anywhere. */
static int
lines_ok(const char *s, size_t max)
{
	const char	*p, *e;

	for (p = s; *p != '\0'; p = e + 2) {
		if ((e = strstr(p, "\r\n")) == NULL)
			return 0;
		if ((size_t)(e - p) > max || memchr(p, '\n', (size_t)(e - p)) != NULL ||
		    memchr(p, '\r', (size_t)(e - p)) != NULL)
			return 0;
	}
	return 1;
}

/* Decode each encoded word of a header value; every one must be valid UTF-8 on its own. */
static char *
decode_words(const char *v, int *ok_utf8)
{
	struct sbuf	 b;
	const char	*p = v, *s, *e;
	unsigned char	 out[128];
	int		 n;

	sb_init(&b, &ar);
	*ok_utf8 = 1;
	while ((s = strstr(p, "=?UTF-8?B?")) != NULL) {
		s += 10;
		if ((e = strstr(s, "?=")) == NULL || e - s > 100)
			return NULL;
		n = EVP_DecodeBlock(out, (const unsigned char *)s, (int)(e - s));
		if (n < 0)
			return NULL;
		n -= (e[-1] == '=') + (e[-2] == '=');
		if (!val_utf8((const char *)out, (size_t)n))
			*ok_utf8 = 0;
		sb_addn(&b, (const char *)out, (size_t)n);
		p = e + 2;
	}
	return b.sb_s;
}

static void
test_encode(void)
{
	char	*v, *d;
	int	 u;
	size_t	 i;
	char	 big[400];

	is_str(mail_encode_text(&ar, "Plain subject"), "Plain subject", "printable ASCII stays as is");
	is_str(mail_encode_text(&ar, "a\r\nBcc: x@y"), "a  Bcc: x@y", "CR and LF become spaces");
	v = mail_encode_text(&ar, "Reunión «ñandú»");
	ok(strncmp(v, "=?UTF-8?B?", 10) == 0, "non-ASCII becomes an encoded word");
	d = decode_words(v, &u);
	is_str(d, "Reunión «ñandú»", "and decodes back");
	v = mail_encode_text(&ar, "=?UTF-8?B?QUJD?=");
	ok(strncmp(v, "=?UTF-8?B?PT9", 13) == 0, "text that looks like an encoded word is encoded itself");
	/* 150 two-octet characters: several words, none splitting a character. */
	for (i = 0; i < 150; i++)
		memcpy(big + 2 * i, "ñ", 2);
	big[300] = '\0';
	v = mail_encode_text(&ar, big);
	d = decode_words(v, &u);
	is_str(d, big, "a long non-ASCII value round-trips");
	ok(u, "each encoded word is whole UTF-8");
	ok(lines_ok(ar_printf(&ar, "Subject: %s\r\n", v), 78), "folded into lines of at most 78 octets");
	v = mail_encode_text(&ar, "x\x01y\x7fz");
	is_str(v, "x y z", "other control bytes become spaces");
}

static void
test_mailbox(void)
{
	char	 a254[300], a255[310];

	is_str(mail_mailbox(&ar, "Ana Gómez", "ana@ejemplo.mx"), "=?UTF-8?B?QW5hIEfDs21leg==?= <ana@ejemplo.mx>",
	    "a non-ASCII name is encoded");
	is_str(mail_mailbox(&ar, "Juan \"J\" \\ Perez", "j@ejemplo.mx"), "\"Juan \\\"J\\\" \\\\ Perez\" <j@ejemplo.mx>",
	    "an ASCII name is a quoted string with quote and backslash escaped");
	is_str(mail_mailbox(&ar, "", "j@ejemplo.mx"), "<j@ejemplo.mx>", "no name: just the address");
	ok(mail_mailbox(&ar, "x", "j@ejemplo.mx\r\nBcc: x@y") == NULL, "an address with CR/LF is refused");
	ok(mail_mailbox(&ar, "x", "\"q\"@ejemplo.mx") == NULL, "a quoted local part is refused");
	ok(mail_mailbox(&ar, "x", "j@ejemplo.mx>") == NULL, "an address with > is refused");
	ok(mail_mailbox(&ar, "x", "jé@ejemplo.mx") == NULL, "a non-ASCII address is refused");
	ok(mail_mailbox(&ar, "x", "") == NULL && mail_mailbox(&ar, "x", NULL) == NULL, "no address is refused");
	memset(a254, 'a', 64);
	snprintf(a254 + 64, sizeof(a254) - 64, "@%s.%s.%s.mx", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
	    "ccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc",
	    "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddd");
	ok(strlen(a254) == 254, "a 254-octet address for the test");
	ok(mail_addr_ok(a254) && mail_mailbox(&ar, "Largo", a254) != NULL, "254 octets are accepted");
	ok(strncmp(mail_mailbox(&ar, "Largo", a254), "\"Largo\"\r\n <", 11) == 0, "a long address on a line of its own");
	snprintf(a255, sizeof(a255), "x%s", a254);
	ok(!mail_addr_ok(a255), "255 octets are refused");
}

static void
test_ical_text(void)
{
	struct sbuf	 b;
	char		 line[400];
	size_t		 i;

	is_str(ical_text(&ar, "a,b;c\\d\ne\r\n"), "a\\,b\\;c\\\\d\\ne\\n", "TEXT escaping (RFC 5545 3.3.11), CR dropped");
	is_str(ical_text(&ar, "x\x01\x1fy"), "xy", "other controls dropped");
	sb_init(&b, &ar);
	for (i = 0; i < 100; i++)
		memcpy(line + 3 * i, "€", 3);
	line[300] = '\0';
	ical_line(&b, "SUMMARY", line);
	ok(lines_ok(b.sb_s, 75), "lines folded at 75 octets");
	{
		/* Unfold and compare: nothing lost, no character split at a fold. */
		struct sbuf	 u;
		const char	*p;
		int		 ok_utf8 = 1;

		sb_init(&u, &ar);
		for (p = b.sb_s; *p != '\0'; p++) {
			if (p[0] == '\r' && p[1] == '\n' && p[2] == ' ') {
				p += 2;
				continue;
			}
			if (p[0] == '\r' && p[1] == '\n')
				break;
			sb_addn(&u, p, 1);
		}
		for (p = b.sb_s; (p = strstr(p, "\r\n ")) != NULL; p += 3)
			if (((unsigned char)p[3] & 0xc0) == 0x80)
				ok_utf8 = 0;
		is_str(u.sb_s, ar_printf(&ar, "SUMMARY:%s", line), "unfolding gives the line back");
		ok(ok_utf8, "no fold inside a UTF-8 character");
	}
}

static void
test_zones(void)
{
	struct sbuf	 b;
	struct tm	 tm;

	ok(ical_zone_ok("America/Mexico_City") && ical_zone_ok("America/Tijuana"), "Mexico's zones are known");
	ok(!ical_zone_ok("../../etc/passwd") && !ical_zone_ok("/etc/localtime") && !ical_zone_ok(":UTC") &&
	    !ical_zone_ok("America/Nowhere") && !ical_zone_ok("") && !ical_zone_ok(NULL) &&
	    !ical_zone_ok("America//Tijuana") && !ical_zone_ok("America/Tijuana\n"), "hostile or unknown zone names are refused");
	ok(ical_localtime("America/Tijuana", 1783087200, &tm) == 0 && tm.tm_hour == 7 && tm.tm_gmtoff == -7 * 3600,
	    "2026-07-03 14:00 UTC is 07:00 PDT in Tijuana");
	ok(getenv("TZ") == NULL, "TZ is put back as it was");
	sb_init(&b, &ar);
	/* Tijuana in 2026 follows the US rules: 8 March 02:00 PST -> PDT, 1 November 02:00 PDT -> PST. */
	ok(ical_vtimezone(&b, "America/Tijuana", 1767225600, 1798761600) == 0, "a VTIMEZONE for Tijuana over 2026");
	ok(strstr(b.sb_s, "BEGIN:DAYLIGHT\r\nDTSTART:20260308T020000\r\nTZOFFSETFROM:-0800\r\nTZOFFSETTO:-0700\r\nTZNAME:PDT\r\nEND:DAYLIGHT") != NULL,
	    "the spring change at 02:00 local, -0800 to -0700");
	ok(strstr(b.sb_s, "BEGIN:STANDARD\r\nDTSTART:20261101T020000\r\nTZOFFSETFROM:-0700\r\nTZOFFSETTO:-0800\r\nTZNAME:PST\r\nEND:STANDARD") != NULL,
	    "the autumn change at 02:00 local (daylight time), -0700 to -0800");
	sb_init(&b, &ar);
	ok(ical_vtimezone(&b, "America/Mexico_City", 1767225600, 1798761600) == 0 &&
	    strstr(b.sb_s, "DAYLIGHT") == NULL && strstr(b.sb_s, "TZOFFSETTO:-0600") != NULL,
	    "Mexico City since 2022: standard time all year, -0600");
	ok(ical_vtimezone(&b, "Mars/Olympus", 0, 1) == -1, "an unknown zone gives no VTIMEZONE");
}

/* The whole invitation, byte for byte, against tests/unit/golden/mail-invite.out. */
static struct mail_person people[] = {
	{ "11", "Juan Pérez López", "juan.perez@institucion.gob.mx", "participant", NULL, "es", 0 },
	{ "12", "asesora@ejemplo.mx", "asesora@ejemplo.mx", "moderator", "TOKENTOKENTOKENTOKENTOKENTOKENTOKENTOKENTOK", "es", 0 },
	{ "13", "Olga\r\nBcc: intruso@malo.mx", "olga@ejemplo.mx", "participant", NULL, "en", 0 },
	{ "14", "revocado@ejemplo.mx", "revocado@ejemplo.mx", "participant", "REVOKEDREVOKEDREVOKEDREVOKEDREVOKEDREVOKED", "es", 1 },
};
static const struct mail_meeting meeting = {
	"42", "Revisión, «presupuesto»; ñandú", "Orden del día:\n.\n1. Cifras", "abcdefghijklmnopqrstuvwxyz0123",
	"America/Tijuana", 3, 1783087200, 45, "Ana Gómez Martínez", "ana.gomez@institucion.gob.mx",
	"https://sekkan.example", "sekkan.example", people, 4,
};

static char *
compose(enum mail_kind k, int who)
{
	struct mail_msg m;

	memset(&m, 0, sizeof(m));
	m.from_name = "Sekkan";
	m.from_addr = "sekkan@sekkan.example";
	m.message_id = "invite.fixed@sekkan.example";
	m.date = 1782000000;
	mail_meeting_msg(&ar, &meeting, who, k, &m);
	return mail_compose(&ar, &m);
}

static void
golden(const char *name, const char *got)
{
	char	 path[256], *want = NULL;
	FILE	*f;
	long	 n = 0;

	snprintf(path, sizeof(path), "tests/unit/golden/%s", name);
	if (getenv("SEKKAN_GOLDEN_WRITE") != NULL && (f = fopen(path, "wb")) != NULL) {
		fputs(got, f);
		fclose(f);
	}
	if ((f = fopen(path, "rb")) != NULL) {
		fseek(f, 0, SEEK_END);
		n = ftell(f);
		rewind(f);
		want = ar_alloc(&ar, (size_t)n + 1);
		if (fread(want, 1, (size_t)n, f) != (size_t)n)
			want = NULL;
		fclose(f);
	}
	ok(want != NULL && strcmp(want, got) == 0, "golden %s", name);
}

static void
test_messages(void)
{
	struct mail_msg	 m;
	char		*s;

	s = compose(MAIL_INVITE, 1);
	ok(s != NULL && lines_ok(s, 998), "the invitation: CRLF lines within 998 octets");
	golden("mail-invite.out", s);
	s = compose(MAIL_REMOVED, 0);
	golden("mail-removed.out", s);
	s = compose(MAIL_UPDATE, 2);
	ok(s != NULL && strstr(s, "\nBcc:") == NULL && strstr(s, "\r\nBcc") == NULL, "a name with CR/LF adds no header");
	golden("mail-update-en.out", s);
	s = compose(MAIL_REMINDER, 1);
	ok(s != NULL && strstr(s, "text/calendar") == NULL, "a reminder has no calendar part");
	memset(&m, 0, sizeof(m));
	m.from_name = "Sekkan";
	m.from_addr = "sekkan@sekkan.example";
	m.message_id = "bad id@sekkan.example";
	m.date = 0;
	mail_meeting_msg(&ar, &meeting, 0, MAIL_INVITE, &m);
	ok(mail_compose(&ar, &m) == NULL, "a Message-ID with a space is refused");
	m.message_id = "ok@sekkan.example";
	m.from_addr = "sekkan@sekkan.example\r\nBcc: x@y";
	ok(mail_compose(&ar, &m) == NULL, "a From with CR/LF is refused");
	is_str(mail_kind_name(MAIL_REMOVED), "removed", "kind names as mail_outbox stores them");
}

int
main(void)
{
	ar_init(&ar);
	test_encode();
	test_mailbox();
	test_ical_text();
	test_zones();
	test_messages();
	ar_free(&ar);
	return tap_done();
}

/* t_adm.c: unit tests for the CSV cell and URL encoders of lib/adm.c (no services needed). */
#include <string.h>

#include "arena.h"
#include "adm.h"
#include "tap.h"

static void
test_csv(void)
{
	static const struct {
		const char	*in, *want;
	} v[] = {
		{ "", "\"\"" },
		{ "Revisión semanal", "\"Revisión semanal\"" },
		{ "dice \"hola\", adiós", "\"dice \"\"hola\"\", adiós\"" },
		{ "línea\nsiguiente", "\"línea\nsiguiente\"" },
		/* A spreadsheet would run these: an apostrophe makes them text. */
		{ "=1+1", "\"'=1+1\"" },
		{ "+52 55 1234", "\"'+52 55 1234\"" },
		{ "-2+3", "\"'-2+3\"" },
		{ "@SUM(A1:A9)", "\"'@SUM(A1:A9)\"" },
		{ "\t=cmd", "\"'\t=cmd\"" },
		{ "\r=cmd", "\"'\r=cmd\"" },
		{ "=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"" },
		/* Only the first character matters. */
		{ "a=b", "\"a=b\"" },
		{ "1-2", "\"1-2\"" },
	};
	struct arena	a;
	size_t		i;

	ar_init(&a);
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		is_str(adm_csv_text(&a, v[i].in), v[i].want, "csv cell %zu", i);
	ar_free(&a);
}

static void
test_url(void)
{
	struct arena	a;

	ar_init(&a);
	is_str(adm_url(&a, "DGTI"), "DGTI", "unreserved characters stay");
	is_str(adm_url(&a, "a-b_c.d~e"), "a-b_c.d~e", "so do - _ . ~");
	is_str(adm_url(&a, "A&B=C D"), "A%26B%3DC%20D", "& = and space are encoded");
	is_str(adm_url(&a, "Ñ"), "%C3%91", "UTF-8 bytes one by one");
	is_str(adm_url(&a, ""), "", "empty");
	ar_free(&a);
}

int
main(void)
{
	test_csv();
	test_url();
	return tap_done();
}

/* t_csv.c: unit tests for lib/csv.c: quoting and formula escaping of CSV cells. */
#include <string.h>

#include "arena.h"
#include "csv.h"
#include "tap.h"

int
main(void)
{
	static const struct {
		const char	*in, *want;
	} v[] = {
		{ "", "" },
		{ "Revisión semanal", "Revisión semanal" },
		{ "dice \"hola\", adiós", "\"dice \"\"hola\"\", adiós\"" },
		{ "línea\nsiguiente", "\"línea\nsiguiente\"" },
		{ "a;b", "\"a;b\"" },
		/* A spreadsheet would run these: an apostrophe makes them text. */
		{ "=1+1", "\"'=1+1\"" },
		{ "+52 55 1234", "\"'+52 55 1234\"" },
		{ "-2+3", "\"'-2+3\"" },
		{ "@SUM(A1:A9)", "\"'@SUM(A1:A9)\"" },
		{ "\t=cmd", "\"'\t=cmd\"" },
		{ "\r=cmd", "\"'\r=cmd\"" },
		{ "=HYPERLINK(\"http://x\",\"clic\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"clic\"\")\"" },
		/* Only the first character matters. */
		{ "a=b", "a=b" },
		{ "1-2", "1-2" },
	};
	struct arena	a;
	size_t		i;

	ar_init(&a);
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		is_str(csv_cell(&a, v[i].in), v[i].want, "csv cell %zu", i);
	ar_free(&a);
	return tap_done();
}

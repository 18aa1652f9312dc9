/* csv.c: CSV cells for spreadsheet exports, safe against formula injection (OWASP's advice). */
#include <string.h>

#include "arena.h"
#include "csv.h"

char *
csv_cell(struct arena *a, const char *s)
{
	size_t	 n = strlen(s), i, o = 0;
	int	 formula, quote;
	char	*p;

	formula = s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' ||
	    s[0] == '\r';
	quote = formula || strpbrk(s, ",\"\r\n;") != NULL;
	/* Worst case: every byte a quote (doubled), plus apostrophe, two quotes and NUL. */
	p = ar_alloc(a, 2 * n + 4);
	if (quote)
		p[o++] = '"';
	if (formula)
		p[o++] = '\'';
	for (i = 0; i < n; i++) {
		if (s[i] == '"')
			p[o++] = '"';
		p[o++] = s[i];
	}
	if (quote)
		p[o++] = '"';
	p[o] = '\0';
	return p;
}

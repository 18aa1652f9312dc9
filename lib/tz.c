/* tz.c: Mexico's IANA zones; a short whitelist beats trusting any string near SQL. */
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "req.h"
#include "tpl.h"
#include "tz.h"

static const char *const tz_mexico[] = {
	"America/Mexico_City", "America/Cancun", "America/Merida", "America/Monterrey",
	"America/Matamoros", "America/Chihuahua", "America/Ciudad_Juarez", "America/Ojinaga",
	"America/Mazatlan", "America/Bahia_Banderas", "America/Hermosillo", "America/Tijuana",
	NULL
};

int
tz_valid(const char *z)
{
	size_t	i;

	for (i = 0; z != NULL && tz_mexico[i] != NULL; i++)
		if (strcmp(z, tz_mexico[i]) == 0)
			return 1;
	return 0;
}

void
tz_options(struct req *r, const char *sel)
{
	size_t	i;
	char	k[48];

	for (i = 0; tz_mexico[i] != NULL; i++) {
		snprintf(k, sizeof(k), "TZ.%zu.name", i);
		tpl_set(r, k, tz_mexico[i]);
		if (sel != NULL && strcmp(sel, tz_mexico[i]) == 0) {
			snprintf(k, sizeof(k), "TZ.%zu.selected", i);
			tpl_set(r, k, "1");
		}
	}
}

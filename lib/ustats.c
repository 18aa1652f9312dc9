/* ustats.c: small shared pieces of the user statistics pages (Tablero, Mi perfil). */
#include "arena.h"
#include "ustats.h"

char *
ustats_dur(struct arena *a, long long s)
{
	long long	m;

	if (s < 0)
		s = 0;
	m = (s + 30) / 60;	/* to the nearest minute */
	if (m < 60)
		return ar_printf(a, "%lld min", m);
	return ar_printf(a, "%lld h %02lld min", m / 60, m % 60);
}

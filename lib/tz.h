/* tz.h: the time zones people in Mexico choose from (IANA names PostgreSQL knows). */
#ifndef SEKKAN_TZ_H
#define SEKKAN_TZ_H

struct req;

/* 1 when the name is one of Mexico's zones. */
int	tz_valid(const char *);
/* Fill TZ.N.name / TZ.N.selected for a <select>, marking the given zone. */
void	tz_options(struct req *, const char *);
#endif

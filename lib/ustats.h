/* ustats.h: what Tablero and Mi perfil share about a user's statistics (sql/010_user_stats.sql). */
#ifndef SEKKAN_USTATS_H
#define SEKKAN_USTATS_H

struct arena;

/* A duration for people: "45 min", "1 h 05 min", "0 min"; negative counts as 0. */
char	*ustats_dur(struct arena *, long long);
#endif

/* cfg.h: the configuration file sekkan.hdf (see sekkan.conf(5)), read once at start. */
#ifndef SEKKAN_CFG_H
#define SEKKAN_CFG_H
#include <stddef.h>

/* Read the file; 0 on success, -1 with a log line. Later calls replace the tree. */
int		 cfg_load(const char *);
const char	*cfg_get(const char *, const char *);
long long	 cfg_int(const char *, long long, long long, long long);
/* Read Security.SecretFile (at least 32 bytes), once, before dropping root; 0 or -1. */
int		 cfg_load_secret(void);
/* The server secret read by cfg_load_secret; -1 when there is none. */
int		 cfg_secret(const unsigned char **, size_t *);
/* 1 when Site.BaseURL is https:// (cookies then carry Secure). */
int		 cfg_https(void);
void		 cfg_free(void);
#endif

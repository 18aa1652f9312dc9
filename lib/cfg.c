/* cfg.c: configuration in ClearSilver's HDF format, so one parser serves config and templates. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ClearSilver.h>

#include "cfg.h"
#include "log.h"
#include "util.h"

static HDF		*cfg_hdf;
static unsigned char	 cfg_key[64];
static size_t		 cfg_keylen;

static void
cfg_neoerr(const char *what, NEOERR *err)
{
	STRING	s;

	string_init(&s);
	nerr_error_string(err, &s);
	log_err("%s: %s", what, s.buf ? s.buf : "unknown error");
	string_clear(&s);
	nerr_ignore(&err);
}

int
cfg_load_secret(void)
{
	const char	*path = hdf_get_value(cfg_hdf, "Security.SecretFile", NULL);
	struct stat	 st;
	ssize_t		 n;
	int		 fd;

	cfg_keylen = 0;
	if (path == NULL)
		return 0;	/* pages that need it log and answer 500 (see sess_mac) */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		log_err("config: Security.SecretFile %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == 0 && (st.st_mode & 0077) != 0)
		log_info("config: %s is readable by group or others; use mode 0600", path);
	n = read(fd, cfg_key, sizeof(cfg_key));
	close(fd);
	if (n < 32) {
		log_err("config: %s holds fewer than 32 bytes", path);
		util_wipe(cfg_key, sizeof(cfg_key));
		return -1;
	}
	cfg_keylen = (size_t)n;
	return 0;
}

int
cfg_load(const char *path)
{
	NEOERR	*err;
	HDF	*h = NULL;

	if ((err = hdf_init(&h)) != STATUS_OK) {
		cfg_neoerr("config", err);
		return -1;
	}
	if ((err = hdf_read_file(h, path)) != STATUS_OK) {
		cfg_neoerr(path, err);
		hdf_destroy(&h);
		return -1;
	}
	hdf_destroy(&cfg_hdf);
	cfg_hdf = h;
	return 0;
}

const char *
cfg_get(const char *key, const char *dflt)
{
	const char	*v = cfg_hdf != NULL ? hdf_get_value(cfg_hdf, key, NULL) : NULL;

	return v != NULL && *v != '\0' ? v : dflt;
}

long long
cfg_int(const char *key, long long dflt, long long min, long long max)
{
	const char	*v = cfg_get(key, NULL);
	long long	 n;

	if (v == NULL)
		return dflt;
	if (util_strtonum(v, min, max, &n) != 0) {
		log_err("config: %s = %s is not a number in [%lld, %lld]; using %lld",
		    key, v, min, max, dflt);
		return dflt;
	}
	return n;
}

int
cfg_secret(const unsigned char **key, size_t *len)
{
	if (cfg_keylen == 0)
		return -1;
	*key = cfg_key;
	*len = cfg_keylen;
	return 0;
}

int
cfg_https(void)
{
	return strncmp(cfg_get("Site.BaseURL", ""), "https://", 8) == 0;
}

void
cfg_free(void)
{
	hdf_destroy(&cfg_hdf);
	util_wipe(cfg_key, sizeof(cfg_key));
	cfg_keylen = 0;
}

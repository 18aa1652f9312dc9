/* jitsi.c: Jitsi JWTs (prosody mod_auth_token, mod_token_affiliation reads the role from them). */
#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "cfg.h"
#include "jitsi.h"
#include "json.h"
#include "jwt.h"
#include "log.h"
#include "req.h"
#include "util.h"

static unsigned char	jitsi_secret[256];
static size_t		jitsi_secretlen;

char *
jitsi_room(struct req *r)
{
	static const char	 abc[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	unsigned char		 b[26];
	char			*out;
	size_t			 i;

	if (util_random(b, sizeof(b)) != 0)
		return NULL;
	out = ar_alloc(&r->r_ar, sizeof(b) + 1);
	/* 252 = 7 * 36: reject the top bytes so every character is equally likely. */
	for (i = 0; i < sizeof(b); i++) {
		while (b[i] >= 252)
			if (util_random(&b[i], 1) != 0)
				return NULL;
		out[i] = abc[b[i] % 36];
	}
	return out;
}

/* The prosody app_secret, read on first use (the file must be readable by Server.User). */
static int
jitsi_load_secret(void)
{
	const char	*path = cfg_get("Jitsi.SecretFile", NULL);
	ssize_t		 n;
	int		 fd;

	if (jitsi_secretlen > 0)
		return 0;
	if (path == NULL || (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		log_err("config: Jitsi.SecretFile is not set or cannot be opened");
		return -1;
	}
	n = read(fd, jitsi_secret, sizeof(jitsi_secret));
	close(fd);
	/* A trailing newline from `echo secret > file` is not part of prosody's app_secret. */
	while (n > 0 && (jitsi_secret[n - 1] == '\n' || jitsi_secret[n - 1] == '\r'))
		n--;
	if (n < 16) {
		log_err("config: Jitsi.SecretFile holds fewer than 16 bytes");
		return -1;
	}
	jitsi_secretlen = (size_t)n;
	return 0;
}

char *
jitsi_url(struct req *r, const char *room, const char *uid, const char *name, const char *email,
    int moderator, const char *affiliation, time_t exp)
{
	const char	*base = cfg_get("Jitsi.BaseURL", NULL), *claims, *tok, *opts;
	time_t		 now = time(NULL);

	if (base == NULL || jitsi_load_secret() != 0) {
		log_err("config: Jitsi.BaseURL or Jitsi.SecretFile missing");
		return NULL;
	}
	/* LJM wants context.user values as strings; nbf a little early for clock skew. */
	claims = ar_printf(&r->r_ar,
	    "{\"iss\":%s,\"aud\":%s,\"sub\":%s,\"room\":%s,\"nbf\":%lld,\"exp\":%lld,"
	    "\"context\":{\"user\":{\"id\":%s,\"name\":%s,\"email\":%s,\"moderator\":\"%s\","
	    "\"affiliation\":%s}}}",
	    json_quote(&r->r_ar, cfg_get("Jitsi.AppID", "sekkan")),
	    json_quote(&r->r_ar, cfg_get("Jitsi.Audience", "jitsi")),
	    json_quote(&r->r_ar, cfg_get("Jitsi.Subject", "*")),
	    json_quote(&r->r_ar, room), (long long)now - 60, (long long)exp,
	    json_quote(&r->r_ar, uid), json_quote(&r->r_ar, name),
	    json_quote(&r->r_ar, email ? email : ""), moderator ? "true" : "false",
	    json_quote(&r->r_ar, affiliation));
	if ((tok = jwt_sign_hs256(&r->r_ar, jitsi_secret, jitsi_secretlen, claims)) == NULL)
		return NULL;
	/*
	 * Only options on Jitsi's URL whitelist; values are JSON. Local recording saves
	 * to the person's own device; phones stay in the browser instead of the app.
	 */
	opts = ar_printf(&r->r_ar, "#config.localRecording.disable=%s&config.prejoinConfig.enabled=true"
	    "&config.deeplinking.disabled=true&config.readOnlyName=true",
	    cfg_int("Jitsi.LocalRecording", 1, 0, 1) ? "false" : "true");
	return ar_printf(&r->r_ar, "%s%s%s?jwt=%s%s", base,
	    base[strlen(base) - 1] == '/' ? "" : "/", room, tok, opts);
}

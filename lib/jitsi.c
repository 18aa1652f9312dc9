/* jitsi.c: Jitsi JWTs (prosody mod_auth_token, mod_token_affiliation), join windows, guest names. */
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
	/* A secret cut short would make every token fail in prosody with nothing said here. */
	if (n == (ssize_t)sizeof(jitsi_secret)) {
		log_err("config: Jitsi.SecretFile holds more than %zu bytes", sizeof(jitsi_secret) - 1);
		return -1;
	}
	/* A trailing newline or blank from an editor is not part of prosody's app_secret. */
	while (n > 0 && (jitsi_secret[n - 1] == '\n' || jitsi_secret[n - 1] == '\r' ||
	    jitsi_secret[n - 1] == ' ' || jitsi_secret[n - 1] == '\t'))
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
    int moderator, const char *affiliation, int lobby, time_t exp)
{
	const char	*base = cfg_get("Jitsi.BaseURL", NULL), *claims, *tok, *opts;
	time_t		 now = time(NULL);

	if (base == NULL) {
		log_err("config: Jitsi.BaseURL is not set");
		return NULL;
	}
	if (jitsi_load_secret() != 0)
		return NULL;	/* it said why */
	/*
	 * LJM wants context.user values as strings; nbf a little early for clock skew.
	 * context.room.lobby asks prosody's mod_sekkan_lobby to turn the room's lobby on when
	 * this person joins. Only a moderator's token may carry it: the lobby is theirs to
	 * run, and a participant's or guest's token must never close the room to others.
	 */
	claims = ar_printf(&r->r_ar,
	    "{\"iss\":%s,\"aud\":%s,\"sub\":%s,\"room\":%s,\"nbf\":%lld,\"exp\":%lld,"
	    "\"context\":{\"user\":{\"id\":%s,\"name\":%s,\"email\":%s,\"moderator\":\"%s\","
	    "\"affiliation\":%s}%s}}",
	    json_quote(&r->r_ar, cfg_get("Jitsi.AppID", "sekkan")),
	    json_quote(&r->r_ar, cfg_get("Jitsi.Audience", "jitsi")),
	    json_quote(&r->r_ar, cfg_get("Jitsi.Subject", "*")),
	    json_quote(&r->r_ar, room), (long long)now - 60, (long long)exp,
	    json_quote(&r->r_ar, uid), json_quote(&r->r_ar, name),
	    json_quote(&r->r_ar, email ? email : ""), moderator ? "true" : "false",
	    json_quote(&r->r_ar, affiliation), lobby && moderator ? ",\"room\":{\"lobby\":true}" : "");
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

long long
jitsi_early_minutes(void)
{
	return cfg_int("Jitsi.EarlyMinutes", 15, 0, 24 * 60);
}

enum jitsi_when
jitsi_window(int instant, long long starts, long long ends, time_t now, time_t *exp)
{
	long long	opens, closes;

	opens = starts - jitsi_early_minutes() * 60;
	closes = ends + cfg_int("Jitsi.GraceMinutes", 30, 0, 24 * 60) * 60;
	/*
	 * Instant meetings are open at once and for a working day (Jitsi.InstantHours) from
	 * their creation, however long they run: the link must not stay good for ever.
	 */
	if (instant) {
		opens = starts - 60;
		if (closes < starts + cfg_int("Jitsi.InstantHours", 12, 1, 72) * 3600)
			closes = starts + cfg_int("Jitsi.InstantHours", 12, 1, 72) * 3600;
	}
	*exp = (time_t)closes;
	if ((long long)now < opens)
		return JITSI_EARLY;
	if ((long long)now > closes)
		return JITSI_OVER;
	return JITSI_OPEN;
}

enum val_status
jitsi_name(struct arena *a, const char *in, const char **out)
{
	const unsigned char	*p;
	const char		*b, *e;
	enum val_status		 st;
	char			*s;

	*out = NULL;
	if (in == NULL)
		return VAL_MISSING;
	for (b = in; *b == ' '; b++)
		;
	for (e = b + strlen(b); e > b && e[-1] == ' '; e--)
		;
	s = ar_strndup(a, b, (size_t)(e - b));
	if ((st = val_text(s, 1, 80, 0)) != VAL_OK)
		return st;
	/* Valid UTF-8 by now, so a lead byte 0xe2 has two more. U+202A-U+202E, U+2066-U+2069. */
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p == '\t' || (p[0] == 0xe2 && ((p[1] == 0x80 && p[2] >= 0xaa && p[2] <= 0xae) ||
		    (p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9))))
			return VAL_ENCODING;
	*out = s;
	return VAL_OK;
}

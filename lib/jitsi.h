/* jitsi.h: the Jitsi side of joining: room names and the signed URL into the meeting. */
#ifndef SEKKAN_JITSI_H
#define SEKKAN_JITSI_H
#include <time.h>

#include "valid.h"

struct arena;
struct req;

/* A new room name: 26 characters of [a-z0-9] (130 bits), lowercase as Jitsi compares them. */
char	*jitsi_room(struct req *);
/*
 * The URL that enters room as this person: <Jitsi.BaseURL>/<room>?jwt=… (HS256 with
 * Jitsi.SecretFile; iss Jitsi.AppID, aud Jitsi.Audience, sub Jitsi.Subject, room, nbf,
 * exp, context.user {id, name, email, moderator, affiliation}, and context.room
 * {lobby: true} when lobby is set and the person is a moderator, never otherwise) plus
 * the whitelisted #config options (local recording to the device, prejoin, stay in
 * mobile browsers). NULL when Jitsi is not configured (logged).
 */
char	*jitsi_url(struct req *, const char *, const char *, const char *, const char *, int,
	    const char *, int, time_t);

/* Where now falls in a meeting's join window. */
enum jitsi_when {
	JITSI_OPEN = 0,
	JITSI_EARLY,	/* before its start minus Jitsi.EarlyMinutes (403, says from when) */
	JITSI_OVER,	/* after its end plus Jitsi.GraceMinutes (410) */
	JITSI__MAX
};
/* Jitsi.EarlyMinutes: how long before its start a scheduled meeting opens (for the message). */
long long	 jitsi_early_minutes(void);
/*
 * The window of a meeting from its kind (1: instant), start and end (epoch seconds), the
 * same for employees and guests: scheduled meetings open Jitsi.EarlyMinutes before the
 * start and close Jitsi.GraceMinutes after the end; instant meetings are open from their
 * creation for Jitsi.InstantHours. *exp: when a token issued now must end.
 */
enum jitsi_when	 jitsi_window(int, long long, long long, time_t, time_t *);
/*
 * A display name a guest typed, as others will see it in the meeting: trimmed, 1 to 80
 * characters, no control characters (tabs included) and no bidirectional overrides, which
 * would let a name read as someone else's. *out is the trimmed copy.
 */
enum val_status	 jitsi_name(struct arena *, const char *, const char **);
#endif

/* jitsi.h: the Jitsi side of joining: room names and the signed URL into the meeting. */
#ifndef SEKKAN_JITSI_H
#define SEKKAN_JITSI_H
#include <time.h>

struct req;

/* A new room name: 26 characters of [a-z0-9] (130 bits), lowercase as Jitsi compares them. */
char	*jitsi_room(struct req *);
/*
 * The URL that enters room as this person: <Jitsi.BaseURL>/<room>?jwt=… (HS256 with
 * Jitsi.SecretFile; iss Jitsi.AppID, aud Jitsi.Audience, sub Jitsi.Subject, room, nbf,
 * exp, context.user {id, name, email, moderator, affiliation}) plus the whitelisted
 * #config options (local recording to the device, prejoin, stay in mobile browsers).
 * NULL when Jitsi is not configured (logged).
 */
char	*jitsi_url(struct req *, const char *, const char *, const char *, const char *, int,
	    const char *, time_t);
#endif

/* limit.h: counters in Redis for rate limits (failed sign-ins per address and per RFC). */
#ifndef SEKKAN_LIMIT_H
#define SEKKAN_LIMIT_H

struct req;

enum limit_status {
	LIMIT_OK = 0,
	LIMIT_EXCEEDED,		/* answer 429 */
	LIMIT_UNAVAILABLE,	/* Redis away: answer 503 */
	LIMIT__MAX
};

/* Is kind:id under max failures in the current window? Does not count anything. */
enum limit_status	limit_check(struct req *, const char *, const char *, long);
/* Count one failure for kind:id; the window (seconds) starts at the first failure. */
enum limit_status	limit_fail(struct req *, const char *, const char *, long);
#endif

/* log.c: operator log lines; values are sanitized so a client cannot forge lines. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

static char	log_prog[32] = "sekkan";
static char	log_remote[64] = "-";
static char	log_user[64] = "-";

static void
log_copy(char *dst, size_t sz, const char *src)
{
	size_t	i, j;

	if (src == NULL || *src == '\0')
		src = "-";
	for (i = j = 0; src[i] != '\0' && j + 1 < sz; i++)
		dst[j++] = ((unsigned char)src[i] < 0x21 || src[i] == 0x7f) ? '?' : src[i];
	dst[j] = '\0';
}

void
log_set_program(const char *p)
{
	log_copy(log_prog, sizeof(log_prog), p);
}

void
log_set_request(const char *remote, const char *user)
{
	log_copy(log_remote, sizeof(log_remote), remote);
	log_copy(log_user, sizeof(log_user), user);
}

static void
log_v(const char *level, const char *fmt, va_list ap)
{
	char	msg[1024], line[1280];
	size_t	i;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	/* A message may quote client data: keep it on one line. */
	for (i = 0; msg[i] != '\0'; i++)
		if ((unsigned char)msg[i] < 0x20 || msg[i] == 0x7f)
			msg[i] = '?';
	snprintf(line, sizeof(line), "sekkan/%s[%d]: %s%s %s: %s\n",
	    log_prog, (int)getpid(), level, log_remote, log_user, msg);
	/* One write(2) so lines from several workers do not interleave. */
	(void)!write(STDERR_FILENO, line, strlen(line));
}

void
log_err(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_v("", fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_v("info: ", fmt, ap);
	va_end(ap);
}

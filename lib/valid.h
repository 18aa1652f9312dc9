/* valid.h: typed validators for form fields; each returns a val_status. */
#ifndef SEKKAN_VALID_H
#define SEKKAN_VALID_H
#include <stddef.h>

enum val_status {
	VAL_OK = 0,
	VAL_MISSING,	/* absent or empty */
	VAL_ENCODING,	/* not valid UTF-8, or control characters */
	VAL_SYNTAX,	/* not of the expected form */
	VAL_RANGE,	/* well-formed but out of range (date that does not exist, …) */
	VAL_LENGTH,	/* too short or too long */
	VAL__MAX
};

const char	*val_strerror(enum val_status);
/* Strict UTF-8: no overlongs, no surrogates, nothing above U+10FFFF. */
int		 val_utf8(const char *, size_t);
/* Number of code points of valid UTF-8. */
size_t		 val_utf8_len(const char *);
enum val_status	 val_int(const char *, long long, long long, long long *);
/* YYYY-MM-DD, a date that exists, years 1900-2999. */
enum val_status	 val_date(const char *, int *, int *, int *);
/* HH:MM, 24 hours. */
enum val_status	 val_time(const char *, int *, int *);
/* A mailbox we are willing to send to: ASCII local@domain, no quotes or comments, <= 254. */
enum val_status	 val_email(const char *);
/* Mexican RFC: 4 letters (3 for companies) + YYMMDD + 3 homoclave characters. */
enum val_status	 val_rfc(const char *, int *);
/* Text of min..max code points; newlines allowed when multiline, other controls never. */
enum val_status	 val_text(const char *, size_t, size_t, int);
#endif

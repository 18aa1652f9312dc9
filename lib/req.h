/* req.h: one HTTP request as a program sees it, and the response it builds. */
#ifndef SEKKAN_REQ_H
#define SEKKAN_REQ_H
#include <stddef.h>

#include "arena.h"
#include "form.h"

struct FCGX_Request;
struct _hdf;
struct sess;
struct sess_peek;

enum method {
	M_GET,
	M_HEAD,
	M_POST,
	M_OTHER,
	M__MAX
};

struct req {
	struct arena		 r_ar;		/* freed after every request */
	struct FCGX_Request	*r_fcgi;
	enum method		 r_method;
	const char		*r_path;	/* decoded, normalized by nginx; valid UTF-8 */
	const char		*r_remote;
	const char		*r_ctype;	/* Content-Type, or "" */
	int			 r_https;
	struct kvlist		 r_query;
	struct kvlist		 r_cookies;
	struct kvlist		 r_form;	/* after req_post */
	const char		*r_lang;	/* "es" or "en" */
	struct sess		*r_sess;	/* signed-in session, or NULL */
	struct sess_peek	*r_peek;	/* read with the session (srv_peek), or NULL */
	size_t			 r_max_body;
	char			*r_body;	/* the raw body after req_body (wipe it when it held secrets) */
	size_t			 r_bodylen;
	/* response */
	char			*r_hdrs;	/* extra header lines, "Name: value\r\n"… */
	size_t			 r_hdrlen;
	int			 r_sent;	/* a response was written */
	const char		*r_cache;	/* Cache-Control; default no-store */
	struct _hdf		*r_hdf;		/* template data, lazily created */
};

/* Fill r from the FastCGI parameters; a status other than 200 means answer it. */
int		 req_init(struct req *, struct FCGX_Request *, size_t);
/* Header value from the HTTP_* parameters by CGI name ("HTTP_ACCEPT_LANGUAGE"). */
const char	*req_param(const struct req *, const char *);
/*
 * Read and parse the body without a CSRF check: only for endpoints that are
 * not called by browsers (the OAuth token endpoint authenticates its client).
 */
int		 req_body(struct req *);
/*
 * For POST handlers: read and parse the body (urlencoded or multipart),
 * then check the CSRF token. Returns 200, 400, 403, 413 or 415.
 */
int		 req_post(struct req *);
const char	*req_field(const struct req *, const char *);
const char	*req_query(const struct req *, const char *);
const char	*req_cookie(const struct req *, const char *);

/* Header for the response; refuses (returns -1) names or values with CR, LF or NUL. */
int		 resp_header(struct req *, const char *, const char *);
/* Set-Cookie with HttpOnly, SameSite=Lax, Path=/, Secure behind HTTPS; max_age < 0: session. */
int		 resp_cookie(struct req *, const char *, const char *, long);
/* Write status, security and cache headers, then body. */
void		 resp_send(struct req *, int, const char *, const void *, size_t);
/* Status and headers only, no Content-Length: the body follows in pieces (CSV exports). */
void		 resp_start(struct req *, int, const char *);
/* 303 to a local path only ("/…", not "//…"); anything else goes to "/". */
void		 resp_redirect(struct req *, const char *);
int		 resp_local_path(const char *);
/* 303 to an absolute URL; only for URLs that come from configuration (registered clients). */
void		 resp_location(struct req *, const char *);
/* application/json with no-store; body is a complete JSON text. */
void		 resp_json(struct req *, int, const char *);
const char	*resp_reason(int);
#endif

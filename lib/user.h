/* user.h: the signed-in user's account, loaded from PostgreSQL for pages that need it. */
#ifndef SEKKAN_USER_H
#define SEKKAN_USER_H

struct req;

struct user {
	const char	*u_id;
	const char	*u_rfc;
	const char	*u_curp;
	const char	*u_name;
	const char	*u_email;
	const char	*u_status;	/* pending, awaiting, active, disabled */
	const char	*u_role;	/* employee, admin */
	const char	*u_employee_no;	/* or "" */
	const char	*u_time_zone;	/* IANA name, America/Mexico_City by default */
};

/*
 * The session's user: 200 with *u filled, 303 (to sign-in, or to /carta when the
 * account is not open yet and `open` is required), 403 disabled (session ended), 503.
 */
int	user_current(struct req *, int, struct user *);
#endif

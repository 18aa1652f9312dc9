/*
 * mailer.c: sekkan-mailer, the daemon that delivers the mail outbox (mail_outbox) over SMTP
 * with libcurl, and queues reminders. See sekkan-mailer(8).
 *
 * Each mail is one transaction: the row is taken with FOR UPDATE SKIP LOCKED (so several
 * mailers share the queue), sent, and marked sent (or its failure recorded) before COMMIT.
 * A crash after the SMTP server took the mail and before COMMIT leaves the row pending, so
 * it goes again: the only duplicate possible, with the same Message-ID. A row waits while
 * an older mail to the same address is pending, so one person's mails arrive in order.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "config.h"
#include "arena.h"
#include "cfg.h"
#include "db.h"
#include "log.h"
#include "mail.h"

static volatile sig_atomic_t mailer_stop;

static void
mailer_on_term(int sig)
{
	(void)sig;
	mailer_stop = 1;
}

struct upload {
	const char	*s;
	size_t		 len, off;
};

static size_t
upload_read(char *buf, size_t size, size_t nmemb, void *arg)
{
	struct upload	*u = arg;
	size_t		 n = size * nmemb;

	if (n > u->len - u->off)
		n = u->len - u->off;
	memcpy(buf, u->s + u->off, n);
	u->off += n;
	return n;
}

/* The SMTP password, read once at start (before anything else could read the file). */
static char *mailer_password;

static int
read_password(void)
{
	const char	*f = cfg_get("Mail.SMTP.PasswordFile", NULL);
	char		 buf[512];
	FILE		*fp;
	size_t		 n;

	if (f == NULL || *f == '\0')
		return 0;
	if ((fp = fopen(f, "re")) == NULL) {
		log_err("Mail.SMTP.PasswordFile %s: %s", f, strerror(errno));
		return -1;
	}
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	mailer_password = strdup(buf);
	return mailer_password != NULL ? 0 : -1;
}

/*
 * Send one message; NULL on success, else what went wrong (for last_error and the log), and
 * *permanent set when the server refused the recipient or the message for good (RFC 5321
 * 550, 551, 553, 554): retrying that for hours would only hold back every later mail to
 * the same person. Everything else (timeouts, 4xx, a failed login: an operator can fix
 * those) is temporary.
 */
static const char *
smtp_send(struct arena *ar, const char *from, const char *to, const char *msg, int *permanent)
{
	char			 err[CURL_ERROR_SIZE];
	struct upload		 u = { msg, strlen(msg), 0 };
	struct curl_slist	*rcpt = NULL;
	const char		*user = cfg_get("Mail.SMTP.User", NULL), *ca = cfg_get("Mail.SMTP.CAFile", NULL);
	const char		*res = NULL;
	CURL			*c;
	CURLcode		 cc;
	long			 code = 0;

	if ((c = curl_easy_init()) == NULL)
		return "curl_easy_init failed";
	err[0] = '\0';
	rcpt = curl_slist_append(NULL, ar_printf(ar, "<%s>", to));
	curl_easy_setopt(c, CURLOPT_URL, cfg_get("Mail.SMTP.URL", "smtp://127.0.0.1:25"));
	/* Only SMTP: a typo in the URL must not make us speak some other protocol. */
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	if (cfg_int("Mail.SMTP.StartTLS", 0, 0, 1))
		curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	if (ca != NULL && *ca != '\0')
		curl_easy_setopt(c, CURLOPT_CAINFO, ca);
	if (user != NULL && *user != '\0') {
		curl_easy_setopt(c, CURLOPT_USERNAME, user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, mailer_password != NULL ? mailer_password : "");
	}
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, ar_printf(ar, "<%s>", from));
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, upload_read);
	curl_easy_setopt(c, CURLOPT_READDATA, &u);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)cfg_int("Mail.SMTP.ConnectTimeout", 10, 1, 300));
	curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)cfg_int("Mail.SMTP.Timeout", 60, 1, 3600));
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, err);
	if ((cc = curl_easy_perform(c)) != CURLE_OK) {
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
		res = ar_printf(ar, "%s%s%s (SMTP %ld)", curl_easy_strerror(cc), *err ? ": " : "", err, code);
		*permanent = code == 550 || code == 551 || code == 553 || code == 554;
	}
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(c);
	return res;
}

/*
 * Deliver the next due mail: 1 one was tried, 0 nothing due, -1 the database is away or
 * failed (the caller waits a poll either way: a persistent SQL error must not spin).
 * The transaction stays open during the SMTP exchange: the row lock is what keeps other
 * mailers off it, and a crash rolls back to "pending".
 */
static int
deliver_one(struct arena *ar)
{
	PGresult	*res;
	const char	*p[6], *why;
	enum db_status	 st;
	long long	 base = cfg_int("Mail.RetrySeconds", 60, 1, 86400);
	int		 permanent = 0;

	if ((st = db_begin(ar)) != DB_OK)
		return -1;
	if ((st = db_exec(ar, &res, "SELECT o.id, o.recipient, o.sender, o.message FROM mail_outbox o"
	    " WHERE o.status = 'pending' AND o.next_attempt_at <= now() AND NOT EXISTS (SELECT 1"
	    " FROM mail_outbox e WHERE e.status = 'pending' AND lower(e.recipient) = lower(o.recipient)"
	    " AND e.id < o.id) ORDER BY o.next_attempt_at, o.id LIMIT 1 FOR UPDATE OF o SKIP LOCKED",
	    0, NULL)) != DB_OK)
		goto fail;
	if (PQntuples(res) == 0) {
		db_rollback(ar);
		return 0;
	}
	p[0] = PQgetvalue(res, 0, 0);
	why = smtp_send(ar, PQgetvalue(res, 0, 2), PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 3), &permanent);
	/* clock_timestamp(), not now(): now() is when this transaction began, before the SMTP
	 * exchange, which may have taken up to Mail.SMTP.Timeout. Counted from there, a back-off
	 * no longer than the timeout would already be over, and a server that stalls would be
	 * tried again at once, over and over, until Mail.MaxAttempts. */
	if (why == NULL)
		st = db_exec(ar, NULL, "UPDATE mail_outbox SET status = 'sent', sent_at = clock_timestamp(),"
		    " attempts = attempts + 1, last_error = NULL WHERE id = $1", 1, p);
	else {
		log_err("mail %s: %s%s", p[0], why, permanent ? " (refused for good: failed now)" : "");
		p[1] = why;
		p[2] = permanent ? "1" : ar_printf(ar, "%lld", cfg_int("Mail.MaxAttempts", 10, 1, 1000));
		p[3] = ar_printf(ar, "%lld", base);
		p[4] = ar_printf(ar, "%lld", cfg_int("Mail.RetryMaxSeconds", 3600, base, 7 * 86400));
		/* Exponential back-off from the failure, capped; after the last attempt an
		 * administrator decides. attempts is the count before this one: base, 2 base, … */
		st = db_exec(ar, NULL, "UPDATE mail_outbox SET attempts = attempts + 1, last_error = left($2, 500),"
		    " status = CASE WHEN attempts + 1 >= $3::int THEN 'failed' ELSE 'pending' END,"
		    " next_attempt_at = clock_timestamp() + least($5::float8, $4::float8 * power(2, least(attempts, 30)))"
		    " * interval '1 second' WHERE id = $1", 5, p);
	}
	if (st != DB_OK || (st = db_commit(ar)) != DB_OK) {
		if (why == NULL)
			log_err("mail %s: sent, but not marked (%s): it will go again", p[0], db_strerror(st));
		goto fail;
	}
	return 1;
fail:
	db_rollback(ar);
	return -1;
}

/*
 * Reminders for meetings that start within Mail.ReminderMinutes, once per meeting (moving
 * it clears reminded_at). A meeting made inside that window needs none: its invitation
 * has just gone. 0, or -1 when the database is away.
 */
static int
queue_reminders(struct arena *ar)
{
	PGresult	*res;
	const char	*p[1];
	long long	 min = cfg_int("Mail.ReminderMinutes", 15, 0, 10080);
	enum db_status	 st;
	int		 i, n;

	if (min == 0)
		return 0;
	p[0] = ar_printf(ar, "%lld", min);
	if ((st = db_begin(ar)) != DB_OK)
		return -1;
	if ((st = db_exec(ar, &res, "SELECT id FROM meetings WHERE status = 'active' AND reminded_at IS NULL"
	    " AND starts_at > now() AND starts_at <= now() + $1::int * interval '1 minute'"
	    " AND created_at <= starts_at - $1::int * interval '1 minute'"
	    " ORDER BY starts_at LIMIT 50 FOR UPDATE SKIP LOCKED", 1, p)) != DB_OK)
		goto fail;
	for (i = 0; i < PQntuples(res); i++) {
		p[0] = PQgetvalue(res, i, 0);
		if ((st = mail_queue(ar, p[0], MAIL_REMINDER, NULL, -1, &n)) != DB_OK ||
		    (st = db_exec(ar, NULL, "UPDATE meetings SET reminded_at = now() WHERE id = $1", 1, p)) != DB_OK)
			goto fail;
	}
	if ((st = db_commit(ar)) != DB_OK)
		goto fail;
	return 0;
fail:
	db_rollback(ar);
	return st == DB_UNAVAILABLE ? -1 : 0;
}

static void
usage(void)
{
	fprintf(stderr, "usage: sekkan-mailer [-c sekkan.hdf] [-p pidfile]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	const char		*conf = SYSCONFDIR "/sekkan/sekkan.hdf", *pidfile = NULL, *why;
	struct arena		 ar;
	struct sigaction	 sa;
	FILE			*f;
	long long		 poll;
	time_t			 last_rem = 0;
	int			 ch, rc;

	while ((ch = getopt(argc, argv, "c:p:")) != -1) {
		if (ch == 'c')
			conf = optarg;
		else if (ch == 'p')
			pidfile = optarg;
		else
			usage();
	}
	if (optind != argc)
		usage();
	log_set_program("mailer");
	if (cfg_load(conf) != 0 || read_password() != 0)
		return 1;
	ar_init(&ar);
	if ((why = mail_config_check(&ar)) != NULL) {
		log_err("config: %s: no mail can be composed; stopping", why);
		ar_free(&ar);
		cfg_free();
		return 1;
	}
	if (getuid() == 0)
		log_info("running as root; the systemd unit and tools/dev run me as the service user");
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		log_err("curl_global_init failed");
		return 1;
	}
	if (pidfile != NULL) {
		if ((f = fopen(pidfile, "we")) == NULL) {
			log_err("pid file %s: %s", pidfile, strerror(errno));
			return 1;
		}
		fprintf(f, "%d\n", (int)getpid());
		fclose(f);
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = mailer_on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	poll = cfg_int("Mail.PollSeconds", 5, 1, 3600);
	log_info("started: %s", cfg_get("Mail.SMTP.URL", "smtp://127.0.0.1:25"));
	while (!mailer_stop) {
		rc = 0;
		if (time(NULL) - last_rem >= poll) {
			last_rem = time(NULL);
			rc = queue_reminders(&ar);
		}
		if (rc == 0)
			rc = deliver_one(&ar);
		ar_reset(&ar);
		/* Straight on while there is mail; otherwise wait (a signal cuts the wait short). */
		if (rc != 1 && !mailer_stop)
			sleep((unsigned)poll);
	}
	log_info("stopped");
	ar_free(&ar);
	db_close();
	cfg_free();
	curl_global_cleanup();
	free(mailer_password);
	if (pidfile != NULL)
		unlink(pidfile);
	return 0;
}

-- 009_mail.sql: the mail outbox (every mail a row, written in the transaction of the change
-- that causes it, delivered by tools/mailer), reminders and the personal calendar feed.

-- message: the whole RFC 5322 message as composed at queue time (lib/mail.c), so a resend
-- after a crash is byte for byte the same mail with the same Message-ID; sender: the SMTP
-- envelope sender. recipient is validated before it is queued (val_email); the CHECK is a
-- last line against header injection through the envelope.
CREATE TABLE mail_outbox (
	id		bigserial PRIMARY KEY,
	status		text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
	attempts	integer NOT NULL DEFAULT 0,
	next_attempt_at	timestamptz NOT NULL DEFAULT now(),
	last_error	text,
	created_at	timestamptz NOT NULL DEFAULT now(),
	sent_at		timestamptz,
	recipient	text NOT NULL CHECK (length(recipient) <= 254 AND recipient ~ '^[!-~]+@[!-~]+$'),
	subject		text NOT NULL,
	meeting_id	bigint REFERENCES meetings (id) ON DELETE SET NULL,
	-- No foreign key: the CANCEL to a removed participant outlives their row.
	participant_id	bigint,
	kind		text NOT NULL CHECK (kind IN ('invite', 'update', 'cancel', 'removed', 'reminder')),
	message_id	text NOT NULL UNIQUE,
	sender		text NOT NULL,
	message		text NOT NULL
);
-- The mailers' scan: due rows in order.
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at, id) WHERE status = 'pending';
-- One recipient's mails leave in the order they were queued (an invitation before its
-- cancellation): a row waits while an older one to the same address is pending.
CREATE INDEX mail_outbox_pending_rcpt ON mail_outbox (lower(recipient), id) WHERE status = 'pending';
-- The meeting page's "sent / pending / failed" per participant; the admin's failed list.
CREATE INDEX mail_outbox_participant ON mail_outbox (participant_id, id) WHERE participant_id IS NOT NULL;
CREATE INDEX mail_outbox_failed ON mail_outbox (id) WHERE status = 'failed';

-- Reminders: when one was queued; moving the meeting asks for a new one.
ALTER TABLE meetings ADD COLUMN reminded_at timestamptz;
CREATE FUNCTION meetings_reminder_reset() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.starts_at IS DISTINCT FROM OLD.starts_at THEN
		NEW.reminded_at := NULL;
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER meetings_reminder_reset BEFORE UPDATE OF starts_at ON meetings
	FOR EACH ROW EXECUTE FUNCTION meetings_reminder_reset();
CREATE INDEX meetings_reminder_due ON meetings (starts_at) WHERE status = 'active' AND reminded_at IS NULL;

-- The personal calendar feed /cal/<token>.ics: 256 random bits, made on first use of
-- /calendario and replaced on demand (the old URL then answers 404).
ALTER TABLE users ADD COLUMN cal_token text UNIQUE CHECK (cal_token ~ '^[A-Za-z0-9_-]{32,64}$');

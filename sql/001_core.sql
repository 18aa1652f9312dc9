-- 001_core.sql: the employee directory, user accounts and the audit log.
-- Applied by `sekkanctl migrate` inside one transaction; never edit after it has shipped.

-- Administrative units (the directory's "unidad"); buildings are one of their attributes.
CREATE TABLE units (
	id		serial PRIMARY KEY,
	code		text NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 32),
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	building	text CHECK (length(building) <= 200)
);

-- The institution's employee directory, imported from HR; one row per employee.
CREATE TABLE directory (
	employee_no	text PRIMARY KEY CHECK (employee_no ~ '^[A-Za-z0-9-]{1,20}$'),
	rfc		text NOT NULL UNIQUE CHECK (rfc ~ '^[A-ZÑ&]{4}[0-9]{6}[A-Z0-9]{3}$'),
	curp		text CHECK (curp ~ '^[A-Z]{4}[0-9]{6}[HMX][A-Z]{5}[A-Z0-9][0-9]$'),
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	email		text UNIQUE CHECK (length(email) <= 254 AND email ~ '^[^@\s]+@[^@\s]+$'),
	unit_id		integer REFERENCES units (id),
	active		boolean NOT NULL DEFAULT true,
	updated_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX directory_unit ON directory (unit_id);
CREATE INDEX directory_name ON directory (lower(name) text_pattern_ops);

-- Accounts: opened once the employee signs the carta responsiva (see the sign-in issue).
CREATE TABLE users (
	id		bigserial PRIMARY KEY,
	rfc		text NOT NULL UNIQUE CHECK (rfc ~ '^[A-ZÑ&]{4}[0-9]{6}[A-Z0-9]{3}$'),
	employee_no	text REFERENCES directory (employee_no),
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	email		text CHECK (length(email) <= 254),
	role		text NOT NULL DEFAULT 'employee' CHECK (role IN ('employee', 'admin')),
	status		text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'active', 'suspended')),
	lang		text NOT NULL DEFAULT 'es' CHECK (lang IN ('es', 'en')),
	time_zone	text NOT NULL DEFAULT 'America/Mexico_City' CHECK (length(time_zone) <= 64),
	created_at	timestamptz NOT NULL DEFAULT now(),
	last_login_at	timestamptz
);

-- Who did what and when; written in the same transaction as the change.
CREATE TABLE audit_log (
	id		bigserial PRIMARY KEY,
	at		timestamptz NOT NULL DEFAULT now(),
	actor_id	bigint REFERENCES users (id),
	action		text NOT NULL CHECK (length(action) <= 64),
	object_type	text NOT NULL CHECK (length(object_type) <= 64),
	object_id	text,
	detail		jsonb
);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id, at);
CREATE INDEX audit_log_actor ON audit_log (actor_id, at);

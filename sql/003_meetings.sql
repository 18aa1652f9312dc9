-- 003_meetings.sql: meetings, their participants and roles.

-- room: the Jitsi room name, random (>= 128 bits) so nobody can guess one.
CREATE TABLE meetings (
	id		bigserial PRIMARY KEY,
	room		text NOT NULL UNIQUE CHECK (room ~ '^[a-z0-9]{26,64}$'),
	owner_id	bigint NOT NULL REFERENCES users (id),
	kind		text NOT NULL CHECK (kind IN ('instant', 'scheduled')),
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	description	text NOT NULL DEFAULT '' CHECK (length(description) <= 4000),
	starts_at	timestamptz NOT NULL,
	duration_min	integer NOT NULL CHECK (duration_min BETWEEN 1 AND 1440),
	ends_at		timestamptz NOT NULL,
	time_zone	text NOT NULL CHECK (length(time_zone) <= 64),
	status		text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'cancelled')),
	sequence	integer NOT NULL DEFAULT 0,	-- iCalendar SEQUENCE, raised on every change
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	CHECK (ends_at = starts_at + duration_min * interval '1 minute')
);
-- "Agendadas" and "Pasadas" read one owner's meetings by time: keyset pages on (starts_at, id).
CREATE INDEX meetings_owner_time ON meetings (owner_id, starts_at, id);
CREATE INDEX meetings_owner_end ON meetings (owner_id, ends_at, id);

-- Internal participants are directory entries (by RFC: they may not have an account yet);
-- external guests are e-mail addresses, at most 10 per meeting (checked by the program).
CREATE TABLE meeting_participants (
	id		bigserial PRIMARY KEY,
	meeting_id	bigint NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
	rfc		text REFERENCES directory (rfc) ON UPDATE CASCADE,
	email		text CHECK (length(email) <= 254),
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	role		text NOT NULL CHECK (role IN ('moderator', 'participant')),
	CHECK ((rfc IS NULL) <> (email IS NULL))
);
CREATE UNIQUE INDEX meeting_participants_rfc ON meeting_participants (meeting_id, rfc) WHERE rfc IS NOT NULL;
CREATE UNIQUE INDEX meeting_participants_email ON meeting_participants (meeting_id, lower(email)) WHERE email IS NOT NULL;
-- "Con invitación": the meetings an RFC is invited to.
CREATE INDEX meeting_participants_by_rfc ON meeting_participants (rfc, meeting_id) WHERE rfc IS NOT NULL;

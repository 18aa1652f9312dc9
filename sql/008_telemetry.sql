-- 008_telemetry.sql: what the collector (tools/collector) records from Jitsi: videobridges,
-- their up/down transitions and per-minute figures, Jitsi sessions of each room, and who
-- attended them, when. Live values (now) are in Redis; this is the history.

-- A videobridge as seen in the brewery room: name is its MUC nickname (the bridge's id).
CREATE TABLE bridges (
	id		serial PRIMARY KEY,
	name		text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200),
	region		text CHECK (length(region) <= 200),
	version		text CHECK (length(version) <= 200),
	first_seen	timestamptz NOT NULL DEFAULT now(),
	last_seen	timestamptz NOT NULL DEFAULT now()
);

-- Availability is exact because it is kept as transitions, not sampled: up = true when the
-- bridge appeared (or came back from silence), false when it left the brewery or went silent
-- for three intervals (at = the last time it was seen fresh). Replaying the same transition
-- changes nothing (primary key).
CREATE TABLE bridge_transitions (
	bridge_id	integer NOT NULL REFERENCES bridges (id),
	at		timestamptz NOT NULL,
	up		boolean NOT NULL,
	PRIMARY KEY (bridge_id, at, up)
);

-- One row per bridge per minute (UTC, truncated). Sums and counts rather than averages so that
-- each stats presence is one upsert that adds to the row: average = sum / samples.
-- seconds_available: seconds of that minute the bridge was available (0..60).
-- Rates are as Jitsi reports them: bit rates in kbit/s, packet rates in packets/s; stress is
-- the bridge's stress_level (0..1 and above when overloaded); loss is a fraction, rtt in ms.
CREATE TABLE bridge_minutes (
	bridge_id		integer NOT NULL REFERENCES bridges (id),
	minute			timestamptz NOT NULL,
	samples			integer NOT NULL DEFAULT 0,
	seconds_available	smallint NOT NULL DEFAULT 0 CHECK (seconds_available BETWEEN 0 AND 60),
	stress_sum		double precision NOT NULL DEFAULT 0,
	stress_max		double precision NOT NULL DEFAULT 0,
	bitrate_down_sum	double precision NOT NULL DEFAULT 0,
	bitrate_down_max	double precision NOT NULL DEFAULT 0,
	bitrate_up_sum		double precision NOT NULL DEFAULT 0,
	bitrate_up_max		double precision NOT NULL DEFAULT 0,
	packets_down_sum	double precision NOT NULL DEFAULT 0,
	packets_down_max	double precision NOT NULL DEFAULT 0,
	packets_up_sum		double precision NOT NULL DEFAULT 0,
	packets_up_max		double precision NOT NULL DEFAULT 0,
	conferences_sum		double precision NOT NULL DEFAULT 0,
	conferences_max		integer NOT NULL DEFAULT 0,
	endpoints_sum		double precision NOT NULL DEFAULT 0,
	endpoints_max		integer NOT NULL DEFAULT 0,
	largest_conference_max	integer NOT NULL DEFAULT 0,
	loss_sum		double precision,	-- NULL: the bridge did not report it
	loss_samples		integer NOT NULL DEFAULT 0,
	rtt_sum			double precision,
	rtt_samples		integer NOT NULL DEFAULT 0,
	PRIMARY KEY (bridge_id, minute),
	CHECK (minute = date_trunc('minute', minute))
);
-- Reports read every bridge over a time range.
CREATE INDEX bridge_minutes_time ON bridge_minutes (minute);

-- One Jitsi session: a conference room from the moment prosody created it until it was
-- destroyed (a meeting whose room empties and fills again has two). kind says what the room
-- is in Sekkan: a meeting, someone's personal room, or a room Sekkan does not know (recorded,
-- not dropped). ended_at NULL: still going. estimated: ended_at was not seen but inferred
-- (the collector restarted and closed it at the last time it saw the room).
CREATE TABLE jitsi_sessions (
	id			bigserial PRIMARY KEY,
	room			text NOT NULL CHECK (length(room) BETWEEN 1 AND 200),
	kind			text NOT NULL CHECK (kind IN ('meeting', 'personal', 'unknown')),
	meeting_id		bigint REFERENCES meetings (id),
	personal_owner_id	bigint REFERENCES users (id),
	started_at		timestamptz NOT NULL,
	ended_at		timestamptz,
	peak_participants	integer NOT NULL DEFAULT 0,
	estimated		boolean NOT NULL DEFAULT false,
	CHECK ((kind = 'meeting') = (meeting_id IS NOT NULL)),
	CHECK ((kind = 'personal') = (personal_owner_id IS NOT NULL)),
	CHECK (ended_at IS NULL OR ended_at >= started_at),
	UNIQUE (room, started_at)
);
CREATE INDEX jitsi_sessions_meeting ON jitsi_sessions (meeting_id) WHERE meeting_id IS NOT NULL;
CREATE INDEX jitsi_sessions_personal ON jitsi_sessions (personal_owner_id, started_at)
	WHERE personal_owner_id IS NOT NULL;
CREATE INDEX jitsi_sessions_started ON jitsi_sessions (started_at);
-- At most one open session per room: the collector finds it by room.
CREATE UNIQUE INDEX jitsi_sessions_open ON jitsi_sessions (room) WHERE ended_at IS NULL;

-- One row per person per session; a person who drops and reconnects keeps one attendance
-- with several intervals. person is the merge key: 'u:<user id>' for members (identity from
-- the JWT), else 'e:<lower(e-mail)>', else 'n:<display name>'. user_id is set for members;
-- external: joined as a guest (no Sekkan account behind the token, or no token).
CREATE TABLE attendance (
	id		bigserial PRIMARY KEY,
	session_id	bigint NOT NULL REFERENCES jitsi_sessions (id) ON DELETE CASCADE,
	person		text NOT NULL CHECK (length(person) BETWEEN 3 AND 300),
	user_id		bigint REFERENCES users (id),
	name		text NOT NULL DEFAULT '' CHECK (length(name) <= 200),
	email		text CHECK (length(email) <= 254),
	external	boolean NOT NULL,
	moderator	boolean NOT NULL DEFAULT false,
	first_join	timestamptz NOT NULL,
	last_leave	timestamptz,		-- NULL while any interval is open
	seconds		integer NOT NULL DEFAULT 0,	-- sum of the closed intervals
	UNIQUE (session_id, person)
);
CREATE INDEX attendance_user ON attendance (user_id, first_join) WHERE user_id IS NOT NULL;

-- Each stay in the room: occupant is the MUC occupant id (nick) of that connection.
CREATE TABLE attendance_intervals (
	attendance_id	bigint NOT NULL REFERENCES attendance (id) ON DELETE CASCADE,
	occupant	text NOT NULL CHECK (length(occupant) BETWEEN 1 AND 200),
	joined_at	timestamptz NOT NULL,
	left_at		timestamptz,
	estimated	boolean NOT NULL DEFAULT false,
	PRIMARY KEY (attendance_id, occupant, joined_at),
	CHECK (left_at IS NULL OR left_at >= joined_at)
);

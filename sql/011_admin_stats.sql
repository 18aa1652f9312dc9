-- 011_admin_stats.sql: the administration panel's roll-ups, kept current by triggers as the
-- collector writes jitsi_sessions, attendance and bridge_minutes, so that every report reads a
-- bounded number of rows however many years of history there are. stat_rebuild() recomputes
-- them all from the base tables (after a bulk load with triggers off, or a change of zone).
--
-- Definitions the pages and tests rely on:
--   participants  distinct people who attended a session (attendance rows)
--   big           a session with more than 20 participants ("alto consumo")
--   external      a session with at least one external guest
--   completed     a session whose end was seen (not estimated) with at least two participants
--   a session counts in the day, month, hour and unit roll-ups once it has ended, in the
--   bucket of its start (a meeting across midnight belongs to the day it started); days,
--   months, weeks and the hour × weekday map are in the institution's zone (stat_settings).

CREATE TABLE stat_settings (
	one		boolean PRIMARY KEY DEFAULT true CHECK (one),
	time_zone	text NOT NULL DEFAULT 'America/Mexico_City'
);
INSERT INTO stat_settings DEFAULT VALUES;

CREATE FUNCTION stat_zone() RETURNS text LANGUAGE sql STABLE AS $$
	SELECT time_zone FROM stat_settings
$$;

-- One row per Jitsi session with what the history list filters on, kept beside the base
-- table (whose columns belong to the collector's contract).
CREATE TABLE stat_sessions (
	session_id	bigint PRIMARY KEY REFERENCES jitsi_sessions (id) ON DELETE CASCADE,
	started_at	timestamptz NOT NULL,
	ended_at	timestamptz,
	kind		text NOT NULL,
	meeting_id	bigint,
	owner_id	bigint,
	unit_id		integer,
	participants	integer NOT NULL DEFAULT 0,
	externals	integer NOT NULL DEFAULT 0,
	peak		integer NOT NULL DEFAULT 0,
	estimated	boolean NOT NULL DEFAULT false
);
-- The history pages walk these in (started_at, session_id) order, newest first.
CREATE INDEX stat_sessions_started ON stat_sessions (started_at, session_id);
CREATE INDEX stat_sessions_owner ON stat_sessions (owner_id, started_at, session_id) WHERE owner_id IS NOT NULL;
CREATE INDEX stat_sessions_unit ON stat_sessions (unit_id, started_at, session_id) WHERE unit_id IS NOT NULL;
CREATE INDEX stat_sessions_ext ON stat_sessions (started_at, session_id) WHERE externals > 0;
CREATE INDEX stat_sessions_big ON stat_sessions (started_at, session_id) WHERE participants > 20;
-- The longest meeting: one index probe.
CREATE INDEX stat_sessions_longest ON stat_sessions ((ended_at - started_at) DESC) WHERE ended_at IS NOT NULL;

-- Counters per bucket. seconds: sum of session durations.
CREATE TABLE stat_days (
	day		date PRIMARY KEY,
	sessions	integer NOT NULL DEFAULT 0,
	meetings	integer NOT NULL DEFAULT 0,	-- sessions of scheduled or instant meetings
	participants	bigint NOT NULL DEFAULT 0,
	big		integer NOT NULL DEFAULT 0,
	external	integer NOT NULL DEFAULT 0,
	completed	integer NOT NULL DEFAULT 0,
	seconds		bigint NOT NULL DEFAULT 0
);
CREATE TABLE stat_months (LIKE stat_days);
ALTER TABLE stat_months RENAME COLUMN day TO month;
ALTER TABLE stat_months ADD PRIMARY KEY (month);

CREATE TABLE stat_unit_months (
	month		date NOT NULL,
	unit_id		integer NOT NULL,	-- 0: no unit (guests' rooms, unknown rooms)
	sessions	integer NOT NULL DEFAULT 0,
	participants	bigint NOT NULL DEFAULT 0,
	external	integer NOT NULL DEFAULT 0,
	seconds		bigint NOT NULL DEFAULT 0,
	PRIMARY KEY (month, unit_id)
);

-- Hour × weekday of session starts (isodow 1 = Monday), all time, in the institution's zone.
CREATE TABLE stat_heat (
	dow		smallint NOT NULL CHECK (dow BETWEEN 1 AND 7),
	hour		smallint NOT NULL CHECK (hour BETWEEN 0 AND 23),
	sessions	bigint NOT NULL DEFAULT 0,
	participants	bigint NOT NULL DEFAULT 0,
	PRIMARY KEY (dow, hour)
);

-- Per UTC hour: sessions started there, and sessions (with their participants) that were
-- going on at some time within it, for usage beside the bridges' load.
CREATE TABLE stat_hours (
	hour			timestamptz PRIMARY KEY,
	sessions		integer NOT NULL DEFAULT 0,
	participants		bigint NOT NULL DEFAULT 0,
	big			integer NOT NULL DEFAULT 0,
	external		integer NOT NULL DEFAULT 0,
	active_sessions		integer NOT NULL DEFAULT 0,
	active_participants	bigint NOT NULL DEFAULT 0
);

-- Last time each member attended anything: "active users" is a range count on this.
CREATE TABLE stat_user_seen (
	user_id		bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
	last_seen	timestamptz NOT NULL
);
CREATE INDEX stat_user_seen_last ON stat_user_seen (last_seen);

-- Bridges per UTC hour and per local day: sums and maxima of bridge_minutes (average = sum /
-- samples), so a month of 20 bridges is 14,400 rows instead of 864,000.
CREATE TABLE stat_bridge_hours (
	bridge_id		integer NOT NULL REFERENCES bridges (id),
	hour			timestamptz NOT NULL,
	samples			bigint NOT NULL DEFAULT 0,
	seconds_available	bigint NOT NULL DEFAULT 0,
	stress_sum		double precision NOT NULL DEFAULT 0,
	stress_max		double precision NOT NULL DEFAULT 0,
	bitrate_down_sum	double precision NOT NULL DEFAULT 0,
	bitrate_down_max	double precision NOT NULL DEFAULT 0,
	bitrate_up_sum		double precision NOT NULL DEFAULT 0,
	bitrate_up_max		double precision NOT NULL DEFAULT 0,
	conferences_sum		double precision NOT NULL DEFAULT 0,
	conferences_max		integer NOT NULL DEFAULT 0,
	endpoints_sum		double precision NOT NULL DEFAULT 0,
	endpoints_max		integer NOT NULL DEFAULT 0,
	PRIMARY KEY (bridge_id, hour)
);
CREATE INDEX stat_bridge_hours_time ON stat_bridge_hours (hour);
CREATE TABLE stat_bridge_days (LIKE stat_bridge_hours);
ALTER TABLE stat_bridge_days DROP COLUMN hour;
ALTER TABLE stat_bridge_days ADD COLUMN day date NOT NULL;
ALTER TABLE stat_bridge_days ADD PRIMARY KEY (bridge_id, day);
CREATE INDEX stat_bridge_days_time ON stat_bridge_days (day);

-- A session's contribution (sign +1 or -1) to every bucket; only ended sessions count.
CREATE FUNCTION stat_apply(s stat_sessions, sign integer) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	z	text := stat_zone();
	loc	timestamp;
	d	date;
	m	date;
	big	integer;
	ext	integer;
	done	integer;
	mtg	integer;
	secs	bigint;
BEGIN
	IF s.ended_at IS NULL THEN
		RETURN;
	END IF;
	loc := s.started_at AT TIME ZONE z;
	d := loc::date;
	m := date_trunc('month', loc)::date;
	big := (s.participants > 20)::integer * sign;
	ext := (s.externals > 0)::integer * sign;
	done := (NOT s.estimated AND s.participants >= 2)::integer * sign;
	mtg := (s.kind = 'meeting')::integer * sign;
	secs := floor(extract(epoch FROM s.ended_at - s.started_at))::bigint * sign;
	INSERT INTO stat_days AS t VALUES (d, sign, mtg, s.participants * sign, big, ext, done, secs)
	ON CONFLICT (day) DO UPDATE SET sessions = t.sessions + EXCLUDED.sessions,
		meetings = t.meetings + EXCLUDED.meetings, participants = t.participants + EXCLUDED.participants,
		big = t.big + EXCLUDED.big, external = t.external + EXCLUDED.external,
		completed = t.completed + EXCLUDED.completed, seconds = t.seconds + EXCLUDED.seconds;
	INSERT INTO stat_months AS t VALUES (m, sign, mtg, s.participants * sign, big, ext, done, secs)
	ON CONFLICT (month) DO UPDATE SET sessions = t.sessions + EXCLUDED.sessions,
		meetings = t.meetings + EXCLUDED.meetings, participants = t.participants + EXCLUDED.participants,
		big = t.big + EXCLUDED.big, external = t.external + EXCLUDED.external,
		completed = t.completed + EXCLUDED.completed, seconds = t.seconds + EXCLUDED.seconds;
	INSERT INTO stat_unit_months AS t VALUES (m, coalesce(s.unit_id, 0), sign, s.participants * sign, ext, secs)
	ON CONFLICT (month, unit_id) DO UPDATE SET sessions = t.sessions + EXCLUDED.sessions,
		participants = t.participants + EXCLUDED.participants,
		external = t.external + EXCLUDED.external, seconds = t.seconds + EXCLUDED.seconds;
	INSERT INTO stat_heat AS t VALUES (extract(isodow FROM loc), extract(hour FROM loc), sign, s.participants * sign)
	ON CONFLICT (dow, hour) DO UPDATE SET sessions = t.sessions + EXCLUDED.sessions,
		participants = t.participants + EXCLUDED.participants;
	INSERT INTO stat_hours AS t (hour, sessions, participants, big, external)
	VALUES (date_trunc('hour', s.started_at), sign, s.participants * sign, big, ext)
	ON CONFLICT (hour) DO UPDATE SET sessions = t.sessions + EXCLUDED.sessions,
		participants = t.participants + EXCLUDED.participants,
		big = t.big + EXCLUDED.big, external = t.external + EXCLUDED.external;
	-- Every hour the session touched (a week at most: a room left open for days is not usage).
	INSERT INTO stat_hours AS t (hour, active_sessions, active_participants)
	SELECT h, sign, s.participants * sign
	FROM generate_series(date_trunc('hour', s.started_at),
		least(s.ended_at, s.started_at + interval '7 days'), interval '1 hour') AS h
	WHERE h < s.ended_at OR h = date_trunc('hour', s.started_at)
	ON CONFLICT (hour) DO UPDATE SET active_sessions = t.active_sessions + EXCLUDED.active_sessions,
		active_participants = t.active_participants + EXCLUDED.active_participants;
END
$$;

CREATE FUNCTION stat_sessions_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		PERFORM stat_apply(OLD, -1);
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') THEN
		PERFORM stat_apply(NEW, 1);
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER stat_sessions_apply AFTER INSERT OR UPDATE OR DELETE ON stat_sessions
	FOR EACH ROW EXECUTE FUNCTION stat_sessions_apply();

-- The owner of a session's room and their unit (from the directory), when Sekkan knows them.
CREATE FUNCTION stat_owner(s jitsi_sessions, OUT owner bigint, OUT unit integer) LANGUAGE sql STABLE AS $$
	SELECT u.id, d.unit_id
	FROM users u LEFT JOIN directory d ON d.employee_no = u.employee_no
	WHERE u.id = coalesce(s.personal_owner_id, (SELECT m.owner_id FROM meetings m WHERE m.id = s.meeting_id))
$$;

CREATE FUNCTION stat_jitsi_sessions() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	v_owner	bigint;
	v_unit	integer;
BEGIN
	-- No row (a room Sekkan does not know) leaves both NULL.
	SELECT o.owner, o.unit INTO v_owner, v_unit FROM stat_owner(NEW) o;
	IF TG_OP = 'INSERT' THEN
		INSERT INTO stat_sessions (session_id, started_at, ended_at, kind, meeting_id, owner_id, unit_id,
			peak, estimated)
		VALUES (NEW.id, NEW.started_at, NEW.ended_at, NEW.kind, NEW.meeting_id, v_owner, v_unit,
			NEW.peak_participants, NEW.estimated);
	ELSIF (NEW.started_at, NEW.ended_at, NEW.kind, NEW.meeting_id, NEW.personal_owner_id,
	    NEW.peak_participants, NEW.estimated) IS DISTINCT FROM (OLD.started_at, OLD.ended_at,
	    OLD.kind, OLD.meeting_id, OLD.personal_owner_id, OLD.peak_participants, OLD.estimated) THEN
		UPDATE stat_sessions SET started_at = NEW.started_at, ended_at = NEW.ended_at, kind = NEW.kind,
			meeting_id = NEW.meeting_id, owner_id = v_owner, unit_id = v_unit,
			peak = NEW.peak_participants, estimated = NEW.estimated
		WHERE session_id = NEW.id;
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER stat_jitsi_sessions AFTER INSERT OR UPDATE ON jitsi_sessions
	FOR EACH ROW EXECUTE FUNCTION stat_jitsi_sessions();

CREATE FUNCTION stat_attendance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		UPDATE stat_sessions SET participants = participants + 1, externals = externals + NEW.external::integer
		WHERE session_id = NEW.session_id;
	ELSIF TG_OP = 'DELETE' THEN
		UPDATE stat_sessions SET participants = participants - 1, externals = externals - OLD.external::integer
		WHERE session_id = OLD.session_id;
		RETURN NULL;
	ELSIF NEW.external IS DISTINCT FROM OLD.external OR NEW.session_id <> OLD.session_id THEN
		UPDATE stat_sessions SET participants = participants - 1, externals = externals - OLD.external::integer
		WHERE session_id = OLD.session_id;
		UPDATE stat_sessions SET participants = participants + 1, externals = externals + NEW.external::integer
		WHERE session_id = NEW.session_id;
	END IF;
	IF NEW.user_id IS NOT NULL THEN
		INSERT INTO stat_user_seen AS t VALUES (NEW.user_id, coalesce(NEW.last_leave, NEW.first_join))
		ON CONFLICT (user_id) DO UPDATE SET last_seen = greatest(t.last_seen, EXCLUDED.last_seen);
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER stat_attendance AFTER INSERT OR UPDATE OR DELETE ON attendance
	FOR EACH ROW EXECUTE FUNCTION stat_attendance();

-- The collector adds to a minute row several times; each change adds its difference here.
CREATE FUNCTION stat_bridge_minutes() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	o	bridge_minutes;
	n	bridge_minutes;
	sign	integer := 1;
BEGIN
	IF TG_OP = 'DELETE' THEN
		n := OLD;
		sign := -1;
	ELSE
		n := NEW;
		IF TG_OP = 'UPDATE' THEN
			o := OLD;
		END IF;
	END IF;
	-- o is all NULL on INSERT and DELETE: the whole row is the difference.
	INSERT INTO stat_bridge_hours AS t VALUES (n.bridge_id, date_trunc('hour', n.minute),
		sign * (n.samples - coalesce(o.samples, 0)),
		sign * (n.seconds_available - coalesce(o.seconds_available, 0)),
		sign * (n.stress_sum - coalesce(o.stress_sum, 0)), n.stress_max,
		sign * (n.bitrate_down_sum - coalesce(o.bitrate_down_sum, 0)), n.bitrate_down_max,
		sign * (n.bitrate_up_sum - coalesce(o.bitrate_up_sum, 0)), n.bitrate_up_max,
		sign * (n.conferences_sum - coalesce(o.conferences_sum, 0)), n.conferences_max,
		sign * (n.endpoints_sum - coalesce(o.endpoints_sum, 0)), n.endpoints_max)
	ON CONFLICT (bridge_id, hour) DO UPDATE SET samples = t.samples + EXCLUDED.samples,
		seconds_available = t.seconds_available + EXCLUDED.seconds_available,
		stress_sum = t.stress_sum + EXCLUDED.stress_sum,
		stress_max = greatest(t.stress_max, EXCLUDED.stress_max),
		bitrate_down_sum = t.bitrate_down_sum + EXCLUDED.bitrate_down_sum,
		bitrate_down_max = greatest(t.bitrate_down_max, EXCLUDED.bitrate_down_max),
		bitrate_up_sum = t.bitrate_up_sum + EXCLUDED.bitrate_up_sum,
		bitrate_up_max = greatest(t.bitrate_up_max, EXCLUDED.bitrate_up_max),
		conferences_sum = t.conferences_sum + EXCLUDED.conferences_sum,
		conferences_max = greatest(t.conferences_max, EXCLUDED.conferences_max),
		endpoints_sum = t.endpoints_sum + EXCLUDED.endpoints_sum,
		endpoints_max = greatest(t.endpoints_max, EXCLUDED.endpoints_max);
	INSERT INTO stat_bridge_days AS t (bridge_id, day, samples, seconds_available, stress_sum, stress_max,
		bitrate_down_sum, bitrate_down_max, bitrate_up_sum, bitrate_up_max, conferences_sum,
		conferences_max, endpoints_sum, endpoints_max)
	VALUES (n.bridge_id, (n.minute AT TIME ZONE stat_zone())::date,
		sign * (n.samples - coalesce(o.samples, 0)),
		sign * (n.seconds_available - coalesce(o.seconds_available, 0)),
		sign * (n.stress_sum - coalesce(o.stress_sum, 0)), n.stress_max,
		sign * (n.bitrate_down_sum - coalesce(o.bitrate_down_sum, 0)), n.bitrate_down_max,
		sign * (n.bitrate_up_sum - coalesce(o.bitrate_up_sum, 0)), n.bitrate_up_max,
		sign * (n.conferences_sum - coalesce(o.conferences_sum, 0)), n.conferences_max,
		sign * (n.endpoints_sum - coalesce(o.endpoints_sum, 0)), n.endpoints_max)
	ON CONFLICT (bridge_id, day) DO UPDATE SET samples = t.samples + EXCLUDED.samples,
		seconds_available = t.seconds_available + EXCLUDED.seconds_available,
		stress_sum = t.stress_sum + EXCLUDED.stress_sum,
		stress_max = greatest(t.stress_max, EXCLUDED.stress_max),
		bitrate_down_sum = t.bitrate_down_sum + EXCLUDED.bitrate_down_sum,
		bitrate_down_max = greatest(t.bitrate_down_max, EXCLUDED.bitrate_down_max),
		bitrate_up_sum = t.bitrate_up_sum + EXCLUDED.bitrate_up_sum,
		bitrate_up_max = greatest(t.bitrate_up_max, EXCLUDED.bitrate_up_max),
		conferences_sum = t.conferences_sum + EXCLUDED.conferences_sum,
		conferences_max = greatest(t.conferences_max, EXCLUDED.conferences_max),
		endpoints_sum = t.endpoints_sum + EXCLUDED.endpoints_sum,
		endpoints_max = greatest(t.endpoints_max, EXCLUDED.endpoints_max);
	RETURN NULL;
END
$$;
CREATE TRIGGER stat_bridge_minutes AFTER INSERT OR UPDATE OR DELETE ON bridge_minutes
	FOR EACH ROW EXECUTE FUNCTION stat_bridge_minutes();

-- Seconds each bridge was up in [p_from, p_to), exactly, from its transitions: the state at
-- p_from is its last transition before (down when it has none), then each transition starts a
-- segment that lasts until the next one. At equal times "down" sorts before "up".
CREATE FUNCTION stat_availability(p_from timestamptz, p_to timestamptz)
RETURNS TABLE (bridge_id integer, up_seconds double precision) LANGUAGE sql STABLE AS $$
	WITH ev AS (
		SELECT b.id AS bridge_id, p_from AS at, false AS tie, coalesce((SELECT t.up FROM bridge_transitions t
			WHERE t.bridge_id = b.id AND t.at <= p_from ORDER BY t.at DESC, t.up DESC LIMIT 1), false) AS up
		FROM bridges b
		UNION ALL
		SELECT t.bridge_id, t.at, true, t.up FROM bridge_transitions t WHERE t.at > p_from AND t.at < p_to
	), seg AS (
		SELECT ev.bridge_id, ev.at, ev.up,
			lead(ev.at, 1, p_to) OVER (PARTITION BY ev.bridge_id ORDER BY ev.at, ev.tie, ev.up) AS nxt
		FROM ev
	)
	SELECT seg.bridge_id, coalesce(sum(extract(epoch FROM seg.nxt - seg.at)) FILTER (WHERE seg.up), 0)::double precision
	FROM seg GROUP BY seg.bridge_id
$$;

-- Everything again from the base tables, in bulk: after tools/bench/gen-data loads with the
-- triggers off, or after stat_settings.time_zone changes.
CREATE FUNCTION stat_rebuild() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	z	text := stat_zone();
BEGIN
	TRUNCATE stat_sessions, stat_days, stat_months, stat_unit_months, stat_heat, stat_hours,
		stat_user_seen, stat_bridge_hours, stat_bridge_days;
	ALTER TABLE stat_sessions DISABLE TRIGGER stat_sessions_apply;
	INSERT INTO stat_sessions
	SELECT s.id, s.started_at, s.ended_at, s.kind, s.meeting_id, u.id, d.unit_id,
		coalesce(a.n, 0), coalesce(a.ext, 0), s.peak_participants, s.estimated
	FROM jitsi_sessions s
	LEFT JOIN meetings m ON m.id = s.meeting_id
	LEFT JOIN users u ON u.id = coalesce(s.personal_owner_id, m.owner_id)
	LEFT JOIN directory d ON d.employee_no = u.employee_no
	LEFT JOIN (SELECT session_id, count(*) AS n, count(*) FILTER (WHERE external) AS ext
		FROM attendance GROUP BY session_id) a ON a.session_id = s.id;
	ALTER TABLE stat_sessions ENABLE TRIGGER stat_sessions_apply;
	CREATE TEMP TABLE stat_tmp ON COMMIT DROP AS
	SELECT s.*, s.started_at AT TIME ZONE z AS loc, (s.participants > 20)::integer AS big1,
		(s.externals > 0)::integer AS ext1, (NOT s.estimated AND s.participants >= 2)::integer AS done1,
		(s.kind = 'meeting')::integer AS mtg1,
		floor(extract(epoch FROM s.ended_at - s.started_at))::bigint AS secs
	FROM stat_sessions s WHERE s.ended_at IS NOT NULL;
	INSERT INTO stat_days SELECT loc::date, count(*), sum(mtg1), sum(participants), sum(big1), sum(ext1),
		sum(done1), sum(secs) FROM stat_tmp GROUP BY 1;
	INSERT INTO stat_months SELECT date_trunc('month', loc)::date, count(*), sum(mtg1), sum(participants),
		sum(big1), sum(ext1), sum(done1), sum(secs) FROM stat_tmp GROUP BY 1;
	INSERT INTO stat_unit_months SELECT date_trunc('month', loc)::date, coalesce(unit_id, 0), count(*),
		sum(participants), sum(ext1), sum(secs) FROM stat_tmp GROUP BY 1, 2;
	INSERT INTO stat_heat SELECT extract(isodow FROM loc), extract(hour FROM loc), count(*), sum(participants)
		FROM stat_tmp GROUP BY 1, 2;
	INSERT INTO stat_hours (hour, sessions, participants, big, external)
	SELECT date_trunc('hour', started_at), count(*), sum(participants), sum(big1), sum(ext1)
	FROM stat_tmp GROUP BY 1;
	INSERT INTO stat_hours AS t (hour, active_sessions, active_participants)
	SELECT h, count(*), sum(participants)
	FROM stat_tmp CROSS JOIN LATERAL generate_series(date_trunc('hour', started_at),
		least(ended_at, started_at + interval '7 days'), interval '1 hour') AS h
	WHERE h < ended_at OR h = date_trunc('hour', started_at)
	GROUP BY 1
	ON CONFLICT (hour) DO UPDATE SET active_sessions = EXCLUDED.active_sessions,
		active_participants = EXCLUDED.active_participants;
	INSERT INTO stat_user_seen SELECT user_id, max(coalesce(last_leave, first_join))
		FROM attendance WHERE user_id IS NOT NULL GROUP BY 1;
	INSERT INTO stat_bridge_hours SELECT bridge_id, date_trunc('hour', minute), sum(samples),
		sum(seconds_available), sum(stress_sum), max(stress_max), sum(bitrate_down_sum),
		max(bitrate_down_max), sum(bitrate_up_sum), max(bitrate_up_max), sum(conferences_sum),
		max(conferences_max), sum(endpoints_sum), max(endpoints_max)
	FROM bridge_minutes GROUP BY 1, 2;
	INSERT INTO stat_bridge_days (bridge_id, day, samples, seconds_available, stress_sum, stress_max,
		bitrate_down_sum, bitrate_down_max, bitrate_up_sum, bitrate_up_max, conferences_sum,
		conferences_max, endpoints_sum, endpoints_max)
	SELECT bridge_id, (hour AT TIME ZONE z)::date, sum(samples), sum(seconds_available), sum(stress_sum),
		max(stress_max), sum(bitrate_down_sum), max(bitrate_down_max), sum(bitrate_up_sum),
		max(bitrate_up_max), sum(conferences_sum), max(conferences_max), sum(endpoints_sum),
		max(endpoints_max)
	FROM stat_bridge_hours GROUP BY 1, 2;
END
$$;

-- The capacity forecast reads the meetings still to end, and counts each one's invitees.
CREATE INDEX meetings_active_ends ON meetings (ends_at) WHERE status = 'active';
CREATE INDEX meeting_participants_meeting ON meeting_participants (meeting_id);

-- 010_user_stats.sql: each person's meeting statistics (Tablero, Mi perfil), kept current by
-- triggers so that the pages read a bounded number of rows however long the history.
--
-- Shape. ustats_meetings holds one row per (user, meeting) the user took part in: organised
-- it, was invited to it (internal participant by RFC), or attended it (an attendance row of
-- one of its Jitsi sessions with their user id). Cancelled meetings have no rows. Each row
-- carries the week and month it counts in, in the user's time zone, and its contribution;
-- ustats_weeks and ustats_months are the sums of those rows per user per period. Whenever a
-- meeting, its participants, its Jitsi sessions or their attendance change, ustats_meeting()
-- takes the meeting's old rows out of the sums and puts its new rows in: a few rows per
-- change, whatever the history. Pages read at most one row per period shown, plus the
-- meetings of the current period that have not ended yet (see "missed" below).
--
-- Definitions (the pages and tests rely on them):
--   meetings        meetings the user took part in (organised + invited; attending a meeting
--                   one was not invited to counts as invited)
--   attended        of those, the ones with an attendance row for the user (any stay)
--   missed          meetings - attended - those not ended yet (computed by the page, which
--                   reads the few unfinished ones from ustats_meetings by ends_at)
--   seconds         seconds the user spent in the meeting's rooms (attendance.seconds: the sum
--                   of closed intervals, so a reconnect counts once per stay, a drop not at all)
--   sched_min       scheduled minutes (meetings.duration_min) of all of them
--   att_sched_min, att_real_s   scheduled minutes and real seconds of the attended ones; real
--                   seconds of a meeting = the sum of its closed Jitsi sessions' lengths
--   a meeting counts in the week (Monday) and month of its scheduled start in the user's zone,
--   so a meeting across midnight or across a month's end counts once, where it started.
--
-- Time zones: when a user changes zone, a trigger re-buckets that user's rows in the new zone
-- (cost: that user's history, once, at the moment of the change), so charts are always in
-- the zone the user sees. The alternative, freezing old rows in the old zone, would make the
-- same meeting move between weeks depending on when it was counted.
--
-- Bulk loads (tools/bench/gen-data): load with triggers off (session_replication_role =
-- replica), then SELECT ustats_rebuild(); it recomputes everything from the source tables.

CREATE TABLE ustats_meetings (
	user_id		bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	meeting_id	bigint NOT NULL,	-- no FK: the row goes with the meeting, by trigger
	starts_at	timestamptz NOT NULL,
	ends_at		timestamptz NOT NULL,
	week		date NOT NULL,		-- Monday of the start, in the user's zone
	month		date NOT NULL,		-- first day of the start's month, same zone
	organised	boolean NOT NULL,
	attended	boolean NOT NULL,
	seconds		bigint NOT NULL,
	sched_min	integer NOT NULL,
	real_s		bigint NOT NULL,
	PRIMARY KEY (meeting_id, user_id)
);
-- Tablero's calendar and last meetings, Mis reuniones' attendance: one user's rows by time.
CREATE INDEX ustats_meetings_user_time ON ustats_meetings (user_id, starts_at);
-- The unfinished meetings of the current period (for "missed"): few rows per user.
CREATE INDEX ustats_meetings_user_open ON ustats_meetings (user_id, ends_at) WHERE NOT attended;

CREATE TABLE ustats_weeks (
	user_id		bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	week		date NOT NULL,
	meetings	integer NOT NULL DEFAULT 0,
	organised	integer NOT NULL DEFAULT 0,
	attended	integer NOT NULL DEFAULT 0,
	seconds		bigint NOT NULL DEFAULT 0,
	sched_min	bigint NOT NULL DEFAULT 0,
	att_sched_min	bigint NOT NULL DEFAULT 0,
	att_real_s	bigint NOT NULL DEFAULT 0,
	PRIMARY KEY (user_id, week)
);
CREATE TABLE ustats_months (LIKE ustats_weeks INCLUDING DEFAULTS);
ALTER TABLE ustats_months RENAME COLUMN week TO month;
ALTER TABLE ustats_months ADD PRIMARY KEY (user_id, month);
ALTER TABLE ustats_months ADD FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE;

-- The rows a meeting should have now, computed from the source tables.
CREATE FUNCTION ustats_facts(m bigint) RETURNS SETOF ustats_meetings
LANGUAGE sql STABLE AS $$
	WITH mt AS (
		SELECT id, owner_id, starts_at, ends_at, duration_min FROM meetings
		WHERE id = m AND status = 'active'
	), ses AS (
		SELECT coalesce(sum(extract(epoch FROM ended_at - started_at))
		    FILTER (WHERE ended_at IS NOT NULL), 0)::bigint AS real_s
		FROM jitsi_sessions WHERE meeting_id = m
	), att AS (
		SELECT a.user_id, sum(a.seconds)::bigint AS seconds
		FROM jitsi_sessions js JOIN attendance a ON a.session_id = js.id
		WHERE js.meeting_id = m AND a.user_id IS NOT NULL
		GROUP BY a.user_id
	), people AS (
		SELECT owner_id AS user_id FROM mt
		UNION SELECT u.id FROM mt JOIN meeting_participants p ON p.meeting_id = mt.id
		    JOIN users u ON u.rfc = p.rfc
		UNION SELECT user_id FROM att WHERE EXISTS (SELECT 1 FROM mt)
	)
	SELECT u.id, mt.id, mt.starts_at, mt.ends_at,
	    date_trunc('week', mt.starts_at AT TIME ZONE u.time_zone)::date,
	    date_trunc('month', mt.starts_at AT TIME ZONE u.time_zone)::date,
	    u.id = mt.owner_id, att.user_id IS NOT NULL, coalesce(att.seconds, 0),
	    mt.duration_min, ses.real_s
	FROM mt CROSS JOIN ses JOIN people ON true JOIN users u ON u.id = people.user_id
	    LEFT JOIN att ON att.user_id = u.id
$$;

-- Add (sign 1) or take out (sign -1) a set of rows from the weekly and monthly sums, in key
-- order so that concurrent changes lock sums in the same order.
CREATE FUNCTION ustats_apply(rows ustats_meetings[], sign integer) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO ustats_weeks AS w (user_id, week, meetings, organised, attended, seconds,
	    sched_min, att_sched_min, att_real_s)
	SELECT user_id, week, sign * count(*), sign * count(*) FILTER (WHERE organised),
	    sign * count(*) FILTER (WHERE attended), sign * sum(seconds), sign * sum(sched_min),
	    sign * coalesce(sum(sched_min) FILTER (WHERE attended), 0),
	    sign * coalesce(sum(real_s) FILTER (WHERE attended), 0)
	FROM unnest(rows) GROUP BY user_id, week ORDER BY user_id, week
	ON CONFLICT (user_id, week) DO UPDATE SET
	    meetings = w.meetings + EXCLUDED.meetings, organised = w.organised + EXCLUDED.organised,
	    attended = w.attended + EXCLUDED.attended, seconds = w.seconds + EXCLUDED.seconds,
	    sched_min = w.sched_min + EXCLUDED.sched_min,
	    att_sched_min = w.att_sched_min + EXCLUDED.att_sched_min,
	    att_real_s = w.att_real_s + EXCLUDED.att_real_s;
	INSERT INTO ustats_months AS w (user_id, month, meetings, organised, attended, seconds,
	    sched_min, att_sched_min, att_real_s)
	SELECT user_id, month, sign * count(*), sign * count(*) FILTER (WHERE organised),
	    sign * count(*) FILTER (WHERE attended), sign * sum(seconds), sign * sum(sched_min),
	    sign * coalesce(sum(sched_min) FILTER (WHERE attended), 0),
	    sign * coalesce(sum(real_s) FILTER (WHERE attended), 0)
	FROM unnest(rows) GROUP BY user_id, month ORDER BY user_id, month
	ON CONFLICT (user_id, month) DO UPDATE SET
	    meetings = w.meetings + EXCLUDED.meetings, organised = w.organised + EXCLUDED.organised,
	    attended = w.attended + EXCLUDED.attended, seconds = w.seconds + EXCLUDED.seconds,
	    sched_min = w.sched_min + EXCLUDED.sched_min,
	    att_sched_min = w.att_sched_min + EXCLUDED.att_sched_min,
	    att_real_s = w.att_real_s + EXCLUDED.att_real_s;
	-- A period whose last meeting went away (cancelled, moved) leaves no empty row behind.
	IF sign < 0 THEN
		DELETE FROM ustats_weeks w USING unnest(rows) r
		WHERE w.user_id = r.user_id AND w.week = r.week AND w.meetings = 0;
		DELETE FROM ustats_months w USING unnest(rows) r
		WHERE w.user_id = r.user_id AND w.month = r.month AND w.meetings = 0;
	END IF;
END
$$;

-- Bring one meeting's rows and the sums up to date. The advisory lock serialises two
-- transactions recomputing the same meeting (the collector closing a stay while the owner
-- edits), so neither inserts rows the other is about to count.
CREATE FUNCTION ustats_meeting(m bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	old ustats_meetings[];
	new ustats_meetings[];
BEGIN
	IF m IS NULL THEN
		RETURN;
	END IF;
	PERFORM pg_advisory_xact_lock(10010, (m % 2147483647)::integer);
	WITH d AS (DELETE FROM ustats_meetings WHERE meeting_id = m RETURNING *)
	SELECT array_agg(d::ustats_meetings) INTO old FROM d;
	WITH i AS (INSERT INTO ustats_meetings SELECT * FROM ustats_facts(m) RETURNING *)
	SELECT array_agg(i::ustats_meetings) INTO new FROM i;
	IF old IS NOT NULL THEN
		PERFORM ustats_apply(old, -1);
	END IF;
	IF new IS NOT NULL THEN
		PERFORM ustats_apply(new, 1);
	END IF;
END
$$;

-- Every meeting of one user again (zone changed, account opened after invitations by RFC).
CREATE FUNCTION ustats_user(uid bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	m bigint;
BEGIN
	FOR m IN
		SELECT meeting_id FROM ustats_meetings WHERE user_id = uid
		UNION SELECT id FROM meetings WHERE owner_id = uid
		UNION SELECT p.meeting_id FROM meeting_participants p JOIN users u ON u.rfc = p.rfc
		    WHERE u.id = uid
		ORDER BY 1
	LOOP
		PERFORM ustats_meeting(m);
	END LOOP;
END
$$;

-- Everything from scratch: after a bulk load with triggers off, or to check the sums.
CREATE FUNCTION ustats_rebuild() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	TRUNCATE ustats_meetings, ustats_weeks, ustats_months;
	INSERT INTO ustats_meetings SELECT f.* FROM meetings m, ustats_facts(m.id) f;
	INSERT INTO ustats_weeks (user_id, week, meetings, organised, attended, seconds,
	    sched_min, att_sched_min, att_real_s)
	SELECT user_id, week, count(*), count(*) FILTER (WHERE organised),
	    count(*) FILTER (WHERE attended), sum(seconds), sum(sched_min),
	    coalesce(sum(sched_min) FILTER (WHERE attended), 0),
	    coalesce(sum(real_s) FILTER (WHERE attended), 0)
	FROM ustats_meetings GROUP BY user_id, week;
	INSERT INTO ustats_months (user_id, month, meetings, organised, attended, seconds,
	    sched_min, att_sched_min, att_real_s)
	SELECT user_id, month, count(*), count(*) FILTER (WHERE organised),
	    count(*) FILTER (WHERE attended), sum(seconds), sum(sched_min),
	    coalesce(sum(sched_min) FILTER (WHERE attended), 0),
	    coalesce(sum(real_s) FILTER (WHERE attended), 0)
	FROM ustats_meetings GROUP BY user_id, month;
END
$$;

-- The triggers: each finds the meeting(s) a changed row belongs to.
CREATE FUNCTION ustats_tg_meetings() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'DELETE' THEN
		PERFORM ustats_meeting(OLD.id);
		RETURN OLD;
	END IF;
	PERFORM ustats_meeting(NEW.id);
	RETURN NEW;
END
$$;
CREATE TRIGGER ustats_meetings_change AFTER INSERT OR DELETE OR
    UPDATE OF owner_id, status, starts_at, ends_at, duration_min ON meetings
    FOR EACH ROW EXECUTE FUNCTION ustats_tg_meetings();

CREATE FUNCTION ustats_tg_by_meeting_id() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP <> 'INSERT' THEN
		PERFORM ustats_meeting(OLD.meeting_id);
	END IF;
	IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.meeting_id IS DISTINCT FROM OLD.meeting_id) THEN
		PERFORM ustats_meeting(NEW.meeting_id);
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER ustats_participants_change AFTER INSERT OR DELETE OR
    UPDATE OF meeting_id, rfc ON meeting_participants
    FOR EACH ROW EXECUTE FUNCTION ustats_tg_by_meeting_id();
CREATE TRIGGER ustats_sessions_change AFTER INSERT OR DELETE OR
    UPDATE OF meeting_id, started_at, ended_at ON jitsi_sessions
    FOR EACH ROW EXECUTE FUNCTION ustats_tg_by_meeting_id();

CREATE FUNCTION ustats_tg_attendance() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP <> 'INSERT' THEN
		PERFORM ustats_meeting((SELECT meeting_id FROM jitsi_sessions WHERE id = OLD.session_id));
	END IF;
	IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.session_id <> OLD.session_id) THEN
		PERFORM ustats_meeting((SELECT meeting_id FROM jitsi_sessions WHERE id = NEW.session_id));
	END IF;
	RETURN NULL;
END
$$;
-- Guests (no user_id) change nobody's statistics: the WHEN keeps the collector's common
-- case, a guest joining or leaving, free of any work here.
CREATE TRIGGER ustats_attendance_ins AFTER INSERT ON attendance
    FOR EACH ROW WHEN (NEW.user_id IS NOT NULL) EXECUTE FUNCTION ustats_tg_attendance();
CREATE TRIGGER ustats_attendance_del AFTER DELETE ON attendance
    FOR EACH ROW WHEN (OLD.user_id IS NOT NULL) EXECUTE FUNCTION ustats_tg_attendance();
CREATE TRIGGER ustats_attendance_upd AFTER UPDATE OF session_id, user_id, seconds ON attendance
    FOR EACH ROW WHEN ((OLD.user_id IS NOT NULL OR NEW.user_id IS NOT NULL) AND
	(OLD.session_id, OLD.user_id, OLD.seconds) IS DISTINCT FROM (NEW.session_id, NEW.user_id, NEW.seconds))
    EXECUTE FUNCTION ustats_tg_attendance();

CREATE FUNCTION ustats_tg_users() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM ustats_user(NEW.id);
	RETURN NULL;
END
$$;
CREATE TRIGGER ustats_users_zone AFTER UPDATE OF time_zone, rfc ON users
    FOR EACH ROW WHEN (OLD.time_zone IS DISTINCT FROM NEW.time_zone OR OLD.rfc IS DISTINCT FROM NEW.rfc)
    EXECUTE FUNCTION ustats_tg_users();
CREATE TRIGGER ustats_users_new AFTER INSERT ON users
    FOR EACH ROW EXECUTE FUNCTION ustats_tg_users();

-- Meetings held before this migration.
SELECT ustats_rebuild();

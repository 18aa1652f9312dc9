-- 013_collector_batch.sql: the collector's per-event functions made cheaper, now that it writes
-- hundreds of events per transaction and the database's time per event is what limits it
-- (doc/BENCHMARKS.md, Collector). Same results, same idempotence; only the work changes.

-- The sum as PL/pgSQL, in one pass over the person's intervals: a LANGUAGE sql function that
-- cannot be inlined (it is an UPDATE) is parsed and planned on every call, twice per join or
-- leave; and 012's "is any interval open" test (left_at IS NULL) let the planner AND in the
-- partial index of open intervals, reading every open interval of every room (20,000 at
-- 1,000 rooms of 20: 4 ms a leave). Here the intervals are found by the primary key alone.
-- Same values: sum and max skip the open intervals' NULLs.
CREATE OR REPLACE FUNCTION tel_attendance_sum(p_id bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	UPDATE attendance a SET seconds = x.secs,
	       last_leave = CASE WHEN x.open > 0 THEN NULL ELSE x.last END
	  FROM (SELECT coalesce(round(sum(extract(epoch FROM i.left_at - i.joined_at)))::integer, 0) AS secs,
		       count(*) - count(i.left_at) AS open, max(i.left_at) AS last
		  FROM attendance_intervals i WHERE i.attendance_id = p_id) x
	 WHERE a.id = p_id;
END $$;

-- As in 012, except that a person's first join (the attendance row just made: no closed
-- interval, seconds 0, last_leave NULL) skips the sum, which could only write what is there
-- and would wake the attendance triggers for nothing; and its plans are kept (below).
CREATE OR REPLACE FUNCTION tel_occupant_joined(p_room text, p_occ text, p_at timestamptz, p_person text,
    p_uid bigint, p_name text, p_email text, p_external boolean, p_moderator boolean)
    RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
	sid bigint;
	aid bigint;
	fresh boolean;
	n integer;
	uid bigint;
BEGIN
	SELECT id INTO sid FROM jitsi_sessions
	 WHERE room = p_room AND started_at <= p_at AND (ended_at IS NULL OR ended_at >= p_at)
	 ORDER BY started_at DESC LIMIT 1;
	IF NOT FOUND THEN
		-- The creation was never seen (the room predates the module): start it here.
		sid := tel_room_created(p_room, p_at);
		IF sid IS NULL THEN RETURN NULL; END IF;
	END IF;
	SELECT id INTO uid FROM users WHERE id = p_uid;
	INSERT INTO attendance (session_id, person, user_id, name, email, external, moderator, first_join)
	VALUES (sid, p_person, uid, left(p_name, 200), nullif(left(p_email, 254), ''), p_external,
		p_moderator, p_at)
	ON CONFLICT (session_id, person) DO UPDATE
	   SET moderator = attendance.moderator OR excluded.moderator,
	       first_join = least(attendance.first_join, excluded.first_join)
	RETURNING id, xmax = 0 INTO aid, fresh;	-- xmax 0: inserted, not updated
	INSERT INTO attendance_intervals (attendance_id, occupant, joined_at)
	VALUES (aid, p_occ, p_at) ON CONFLICT DO NOTHING;
	IF NOT FOUND THEN	-- a replay
		SELECT participants INTO n FROM jitsi_sessions WHERE id = sid;
		RETURN n;
	END IF;
	IF NOT fresh THEN
		PERFORM tel_attendance_sum(aid);
	END IF;
	UPDATE jitsi_sessions SET participants = participants + 1,
	       peak_participants = greatest(peak_participants, participants + 1),
	       seen_at = greatest(seen_at, p_at)
	 WHERE id = sid AND ended_at IS NULL
	RETURNING participants INTO n;
	RETURN n;
END $$;

-- A session closes with one statement over its open intervals (by the session's attendance),
-- not one per person: at a room's end nobody is usually left, and 012's loop still planned
-- and ran an UPDATE for each of its people. Sums only where an interval was closed.
CREATE OR REPLACE FUNCTION tel_session_close(p_id bigint, p_at timestamptz, p_est boolean)
    RETURNS void LANGUAGE plpgsql SET plan_cache_mode = force_custom_plan AS $$
DECLARE
	s jitsi_sessions%ROWTYPE;
	aid bigint;
BEGIN
	SELECT * INTO s FROM jitsi_sessions WHERE id = p_id AND ended_at IS NULL FOR UPDATE;
	IF NOT FOUND THEN RETURN; END IF;
	p_at := greatest(p_at, s.started_at);
	FOR aid IN WITH closed AS (
		UPDATE attendance_intervals i SET left_at = greatest(p_at, i.joined_at), estimated = p_est
		  FROM attendance a
		 WHERE a.session_id = p_id AND i.attendance_id = a.id AND i.left_at IS NULL
		RETURNING i.attendance_id)
	    SELECT DISTINCT attendance_id FROM closed LOOP
		PERFORM tel_attendance_sum(aid);
	END LOOP;
	UPDATE jitsi_sessions SET ended_at = p_at, estimated = p_est, seen_at = p_at, participants = 0
	 WHERE id = p_id;
END $$;

-- The hot functions keep their plans (the default plan_cache_mode), which makes a join or a
-- leave about 1.7 times cheaper than planning every statement on every call. 012 forced custom
-- plans because of a statement that counted open intervals (gone since); every statement left
-- in these is a lookup by a primary key, a unique key or the partial index of open intervals,
-- and their generic plans use those indexes even on empty tables (checked with EXPLAIN of the
-- generic plans on a fresh database; ANALYZE invalidates them anyway). The rare ones (room
-- created, destroyed, session closed) still plan per call: a generic plan of the close was
-- measured slower.
ALTER FUNCTION tel_occupant_left(text, text, timestamptz, boolean) RESET plan_cache_mode;
ALTER FUNCTION tel_bridge_sample(text, timestamptz, double precision, text, text, double precision,
    double precision, double precision, double precision, double precision, integer, integer,
    integer, double precision, double precision) RESET plan_cache_mode;
ALTER FUNCTION tel_bridge_span(integer, timestamptz, timestamptz) RESET plan_cache_mode;

-- 011's trigger, cheaper for the collector's commonest write: every join and leave updates
-- the session's counters (participants, seen_at: not in stat_sessions) and a join often its
-- peak. Those now skip the owner lookup (stat_owner), which was most of an event's cost: a
-- counters-only update writes the peak alone when it changed. Any other change (the end, the
-- meeting, ...) looks the owner up again and writes the whole row, as before, so a session's
-- final row is the same as 011 made it.
CREATE OR REPLACE FUNCTION stat_jitsi_sessions() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	v_owner	bigint;
	v_unit	integer;
BEGIN
	IF TG_OP = 'UPDATE' AND (NEW.started_at, NEW.ended_at, NEW.kind, NEW.meeting_id,
	    NEW.personal_owner_id, NEW.estimated) IS NOT DISTINCT FROM (OLD.started_at,
	    OLD.ended_at, OLD.kind, OLD.meeting_id, OLD.personal_owner_id, OLD.estimated) THEN
		IF NEW.peak_participants IS DISTINCT FROM OLD.peak_participants THEN
			UPDATE stat_sessions SET peak = NEW.peak_participants WHERE session_id = NEW.id;
		END IF;
		RETURN NULL;
	END IF;
	-- No row (a room Sekkan does not know) leaves both NULL.
	SELECT o.owner, o.unit INTO v_owner, v_unit FROM stat_owner(NEW) o;
	IF TG_OP = 'INSERT' THEN
		INSERT INTO stat_sessions (session_id, started_at, ended_at, kind, meeting_id, owner_id, unit_id,
			peak, estimated)
		VALUES (NEW.id, NEW.started_at, NEW.ended_at, NEW.kind, NEW.meeting_id, v_owner, v_unit,
			NEW.peak_participants, NEW.estimated);
	ELSE
		UPDATE stat_sessions SET started_at = NEW.started_at, ended_at = NEW.ended_at, kind = NEW.kind,
			meeting_id = NEW.meeting_id, owner_id = v_owner, unit_id = v_unit,
			peak = NEW.peak_participants, estimated = NEW.estimated
		WHERE session_id = NEW.id;
	END IF;
	RETURN NULL;
END
$$;

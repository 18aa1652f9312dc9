-- 021_collector_rows.sql: what is left of PostgreSQL's cost per collector event after 019
-- (doc/BENCHMARKS.md, Collector): row updates that could be HOT, and row triggers that ran
-- PL/pgSQL for nothing.
--
-- 1. Room of a row update. The collector updates every attendance row when its person leaves
--    (seconds, last_leave) and its session's row at every join and leave (participants, peak,
--    seen_at), and at the end. No index of either table holds those columns, so with free room
--    on the page the new version is a heap-only tuple (HOT): no index entry is written, and the
--    page is pruned in passing. With 100 % full pages, every one of those updates wrote a new
--    entry in each index (three on attendance, six on jitsi_sessions). Only new pages take
--    the setting: rows already there are not moved (no table rewrite at migration time).
--    attendance_intervals is not given it: its open-interval index (012) is partial on
--    left_at, the very column a leave sets, and a column in an index's predicate stops HOT.
ALTER TABLE attendance SET (fillfactor = 80);
ALTER TABLE jitsi_sessions SET (fillfactor = 70);

-- 2. 011/019's row trigger on jitsi_sessions ran PL/pgSQL for every updated session row
--    (5,000 calls in the benchmark's join and leave phases), most of them for counters that
--    are not in stat_sessions (participants, seen_at). Inserts (a room's start) now go to
--    stat_sessions once per statement, each session with its owner and unit (looked up only
--    when it has a meeting or a personal room), as 019's function did row by row. Updates
--    keep 019's row function, behind a WHEN clause (tested without calling PL/pgSQL) that
--    lets through only a change of what stat_sessions holds: the peak, the end, the kind...
--    (A statement trigger for updates too was tried: joining its old and new transition
--    tables, which the planner cannot size, was a nested loop of every row by every row: 0.4 s
--    for the census's 1,000-row update.)
CREATE FUNCTION stat_tg_jitsi_sessions_ins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO stat_sessions (session_id, started_at, ended_at, kind, meeting_id, owner_id, unit_id,
		peak, estimated)
	SELECT n.id, n.started_at, n.ended_at, n.kind, n.meeting_id, o.owner, o.unit,
	       n.peak_participants, n.estimated
	  FROM new_rows n
	  LEFT JOIN LATERAL (
		SELECT u.id AS owner, d.unit_id AS unit
		  FROM users u LEFT JOIN directory d ON d.employee_no = u.employee_no
		 WHERE (n.personal_owner_id IS NOT NULL OR n.meeting_id IS NOT NULL)
		   AND u.id = coalesce(n.personal_owner_id,
				       (SELECT m.owner_id FROM meetings m WHERE m.id = n.meeting_id))
		 LIMIT 1) o ON true
	 ORDER BY n.id;
	RETURN NULL;
END $$;

DROP TRIGGER stat_jitsi_sessions ON jitsi_sessions;
CREATE TRIGGER stat_jitsi_sessions_ins AFTER INSERT ON jitsi_sessions
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_tg_jitsi_sessions_ins();
CREATE TRIGGER stat_jitsi_sessions_upd AFTER UPDATE ON jitsi_sessions
    FOR EACH ROW WHEN ((NEW.started_at, NEW.ended_at, NEW.kind, NEW.meeting_id, NEW.personal_owner_id,
	NEW.peak_participants, NEW.estimated) IS DISTINCT FROM (OLD.started_at, OLD.ended_at, OLD.kind,
	OLD.meeting_id, OLD.personal_owner_id, OLD.peak_participants, OLD.estimated))
    EXECUTE FUNCTION stat_jitsi_sessions();

-- 3. 011's row trigger on stat_sessions adds a session to the roll-ups only once it has ended
--    (stat_apply returns at once for an open one), yet it ran, with two calls of stat_apply,
--    for every update of an open session's row (its peak, at joins). An update now runs it
--    only when the row was or is ended: a WHEN clause, tested without calling PL/pgSQL.
--    Inserts and deletes keep the trigger of that name (stat_rebuild disables it by name).
DROP TRIGGER stat_sessions_apply ON stat_sessions;
CREATE TRIGGER stat_sessions_apply AFTER INSERT OR DELETE ON stat_sessions
    FOR EACH ROW EXECUTE FUNCTION stat_sessions_apply();
CREATE TRIGGER stat_sessions_apply_upd AFTER UPDATE ON stat_sessions
    FOR EACH ROW WHEN (OLD.ended_at IS NOT NULL OR NEW.ended_at IS NOT NULL)
    EXECUTE FUNCTION stat_sessions_apply();

-- 4. tel_events (019) with its joins and leaves in two statements each, so that no step has
--    to join rows the planner cannot count (a CTE's, an INSERT's RETURNING) with more than an
--    index probe per row; same results (t22c compares them with one call per item).
CREATE OR REPLACE FUNCTION tel_events(p_type text[], p_room text[], p_occ text[], p_at double precision[],
    p_person text[], p_uid bigint[], p_name text[], p_email text[], p_external boolean[],
    p_moderator boolean[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	e record;
	missing bigint[];
	ids bigint[];
	ends bigint[];
	ends_at timestamptz[];
	ats timestamptz[];
	jsid bigint[];
	jord bigint[];
	lsid bigint[];
	laid bigint[];
	locc text[];
	lat timestamptz[];
BEGIN
	IF EXISTS (
	    SELECT 1 FROM (
		SELECT x.ph, lag(x.ph) OVER (PARTITION BY x.room ORDER BY x.ord) AS prev,
		       count(*) OVER (PARTITION BY x.room, x.ph,
				      CASE WHEN x.ph IN (2, 3) THEN x.occ END) AS times
		  FROM (SELECT y.room, y.occ, y.ord,
			       array_position(ARRAY['created', 'joined', 'left', 'destroyed'], y.type) AS ph
			  FROM unnest(p_type, p_room, p_occ) WITH ORDINALITY AS y(type, room, occ, ord)) x) z
	     WHERE z.ph IS NULL OR z.prev > z.ph OR z.times > 1) THEN
		FOR e IN SELECT * FROM unnest(p_type, p_room, p_occ, p_at, p_person, p_uid, p_name,
		    p_email, p_external, p_moderator) WITH ORDINALITY AS y(type, room, occ, at, person,
		    uid, name, email, external, moderator, ord) ORDER BY y.ord LOOP
			PERFORM tel_event_one(e.type, e.room, e.occ, to_timestamp(e.at), e.person, e.uid,
			    e.name, e.email, e.external, e.moderator);
		END LOOP;
		RETURN;
	END IF;

	-- Rooms created, as tel_room_created (012) does each: the common case (no session of the
	-- room open, none begun at that time) is one INSERT for all, each with its kind
	-- (tel_room_kind); the others (a replay, a session still open whose end was lost) go one
	-- by one through tel_room_created itself.
	WITH c AS (
		SELECT y.ord, y.room, to_timestamp(y.at) AS at,
		       EXISTS (SELECT 1 FROM jitsi_sessions s WHERE s.room = y.room
				AND (s.ended_at IS NULL OR s.started_at = to_timestamp(y.at))) AS hard
		  FROM unnest(p_type, p_room, p_at) WITH ORDINALITY AS y(type, room, at, ord)
		 WHERE y.type = 'created'
	), k AS (
		SELECT c.room, c.at, (SELECT m.id FROM meetings m WHERE m.room = c.room) AS meeting_id,
		       (SELECT p.user_id FROM personal_rooms p WHERE p.room = c.room) AS owner_id
		  FROM c WHERE NOT c.hard
	), ins AS (
		INSERT INTO jitsi_sessions (room, kind, meeting_id, personal_owner_id, started_at, seen_at)
		SELECT k.room, CASE WHEN k.meeting_id IS NOT NULL THEN 'meeting'
				    WHEN k.owner_id IS NOT NULL THEN 'personal' ELSE 'unknown' END,
		       k.meeting_id, CASE WHEN k.meeting_id IS NULL THEN k.owner_id END, k.at, k.at
		  FROM k ORDER BY k.room
		RETURNING 1
	)
	SELECT array_agg(c.ord ORDER BY c.ord) FROM c WHERE c.hard INTO missing;
	IF missing IS NOT NULL THEN
		FOR e IN SELECT y.room, y.at FROM unnest(p_room, p_at) WITH ORDINALITY AS y(room, at, ord)
		    WHERE y.ord = ANY (missing) ORDER BY y.ord LOOP
			PERFORM tel_room_created(e.room, to_timestamp(e.at));
		END LOOP;
	END IF;

	-- Joins, as tel_occupant_joined (013) does each: the session that covers the join's time;
	-- the person's attendance (made on first sight; a second join of the same person, a
	-- reconnect, merges into it: the first join's identity, any moderator, the earliest join);
	-- an interval, unless it is there already (a replay); participants, peak and seen_at by
	-- the intervals really opened. A join whose room has no session covering its time starts
	-- one: those go one by one afterwards, through tel_occupant_joined itself (a room older
	-- than the module: rare), and touch no session the others use.
	-- Two statements (021): the attendance rows, then the intervals, each finding its
	-- attendance by the key (session, person), which the second statement sees. In one
	-- statement (019) the intervals joined the attendance INSERT's RETURNING, which the planner
	-- cannot size, and it compared every join with every row (a nested loop: 15,000 tests for
	-- a batch of 122).
	WITH j AS (
		SELECT y.ord, y.occ, to_timestamp(y.at) AS at, y.person, y.uid, y.name, y.email,
		       y.external, y.moderator,
		       (SELECT s.id FROM jitsi_sessions s
			 WHERE s.room = y.room AND s.started_at <= to_timestamp(y.at)
			   AND (s.ended_at IS NULL OR s.ended_at >= to_timestamp(y.at))
			 ORDER BY s.started_at DESC LIMIT 1) AS sid
		  FROM unnest(p_type, p_room, p_occ, p_at, p_person, p_uid, p_name, p_email,
			      p_external, p_moderator) WITH ORDINALITY
		       AS y(type, room, occ, at, person, uid, name, email, external, moderator, ord)
		 WHERE y.type = 'joined'
	), p AS (
		SELECT DISTINCT ON (j.sid, j.person) j.sid, j.person, j.uid, j.name, j.email, j.external,
		       bool_or(j.moderator) OVER (PARTITION BY j.sid, j.person) AS moderator,
		       min(j.at) OVER (PARTITION BY j.sid, j.person) AS first_join
		  FROM j WHERE j.sid IS NOT NULL
		 ORDER BY j.sid, j.person, j.ord
	), a AS (
		INSERT INTO attendance (session_id, person, user_id, name, email, external, moderator, first_join)
		SELECT p.sid, p.person, (SELECT u.id FROM users u WHERE u.id = p.uid), left(p.name, 200),
		       nullif(left(p.email, 254), ''), p.external, p.moderator, p.first_join
		  FROM p
		 ORDER BY p.sid, p.person
		ON CONFLICT (session_id, person) DO UPDATE
		   SET moderator = attendance.moderator OR excluded.moderator,
		       first_join = least(attendance.first_join, excluded.first_join)
		RETURNING id, xmax = 0 AS fresh	-- xmax 0: inserted, not updated
	)
	SELECT (SELECT array_agg(j.ord ORDER BY j.ord) FROM j WHERE j.sid IS NULL),
	       (SELECT array_agg(j.ord ORDER BY j.ord) FROM j WHERE j.sid IS NOT NULL),
	       (SELECT array_agg(j.sid ORDER BY j.ord) FROM j WHERE j.sid IS NOT NULL),
	       (SELECT array_agg(a.id) FROM a WHERE NOT a.fresh)
	  INTO missing, jord, jsid, ids;
	-- The intervals; participants, peak and seen_at by those really opened (not a replay's).
	IF jord IS NOT NULL THEN
		WITH i AS (
			INSERT INTO attendance_intervals (attendance_id, occupant, joined_at)
			SELECT (SELECT a.id FROM attendance a WHERE a.session_id = x.sid AND a.person = p_person[x.ord::integer]),
			       p_occ[x.ord::integer], to_timestamp(p_at[x.ord::integer])
			  FROM unnest(jord, jsid) AS x(ord, sid)
			ON CONFLICT DO NOTHING
			RETURNING attendance_id, joined_at
		)
		UPDATE jitsi_sessions s SET participants = s.participants + n.k,
		       peak_participants = greatest(s.peak_participants, s.participants + n.k),
		       seen_at = greatest(s.seen_at, n.last)
		  FROM (SELECT (SELECT a.session_id FROM attendance a WHERE a.id = i.attendance_id) AS session_id,
			       count(*) AS k, max(i.joined_at) AS last
			  FROM i GROUP BY 1) n
		 WHERE s.id = ANY (jsid)	-- (by the key, not every open session)
		   AND s.id = n.session_id AND s.ended_at IS NULL;
	END IF;
	-- A person's first row needs no sum (no closed interval: seconds 0, last_leave NULL); a
	-- merged one gets its sum again (unchanged by a replay: tel_attendance_sums then writes
	-- nothing).
	IF ids IS NOT NULL THEN
		PERFORM tel_attendance_sums(ids);
	END IF;
	IF missing IS NOT NULL THEN
		FOR e IN SELECT y.* FROM unnest(p_room, p_occ, p_at, p_person, p_uid, p_name, p_email,
		    p_external, p_moderator) WITH ORDINALITY AS y(room, occ, at, person, uid, name, email,
		    external, moderator, ord) WHERE y.ord = ANY (missing) ORDER BY y.ord LOOP
			PERFORM tel_occupant_joined(e.room, e.occ, to_timestamp(e.at), e.person, e.uid,
			    e.name, e.email, e.external, e.moderator);
		END LOOP;
	END IF;

	-- Leaves, as tel_occupant_left (012) does each: in the room's open session, the
	-- occupant's latest open interval begun by then, and with it any other interval of that
	-- occupant in that attendance still open; participants down by the intervals closed.
	-- Two statements (021): the attendance of each leave, then the intervals by the key's first
	-- column. In one statement (019) the planner joined the leaves to the open-interval index
	-- and read every open interval of every room (18,000 at 1,000 rooms of 20: 8 ms a batch).
	SELECT array_agg(t.sid), array_agg(t.aid), array_agg(t.occ), array_agg(t.at)
	  INTO lsid, laid, locc, lat
	  FROM (SELECT s.id AS sid, y.occ, to_timestamp(y.at) AS at,
		       (SELECT a.id FROM attendance_intervals i JOIN attendance a ON a.id = i.attendance_id
			 WHERE i.occupant = y.occ AND i.left_at IS NULL AND a.session_id = s.id
			   AND i.joined_at <= to_timestamp(y.at)
			 ORDER BY i.joined_at DESC LIMIT 1) AS aid
		  FROM unnest(p_type, p_room, p_occ, p_at) AS y(type, room, occ, at)
		  JOIN jitsi_sessions s ON s.room = y.room AND s.ended_at IS NULL
		 WHERE y.type = 'left') t
	 WHERE t.aid IS NOT NULL;
	IF laid IS NOT NULL THEN
		WITH c AS (
			UPDATE attendance_intervals i SET left_at = t.at, estimated = false
			  FROM unnest(laid, locc, lat, lsid) AS t(aid, occ, at, sid)
			 WHERE i.attendance_id = ANY (laid)	-- (by the key: see tel_attendance_sums)
			   AND i.attendance_id = t.aid AND i.occupant = t.occ
			   AND CASE WHEN i.left_at IS NULL THEN true ELSE false END	-- (see the rooms ended, below)
			   AND i.joined_at <= t.at
			RETURNING i.attendance_id, t.sid, t.at
		), s AS (
			UPDATE jitsi_sessions s SET seen_at = greatest(s.seen_at, k.last),
			       participants = greatest(s.participants - k.k, 0)
			  FROM (SELECT c.sid, count(*) AS k, max(c.at) AS last FROM c GROUP BY c.sid) k
			 WHERE s.id = ANY (lsid) AND s.id = k.sid
			RETURNING s.id
		)
		SELECT array_agg(DISTINCT c.attendance_id) FROM c INTO ids;
		IF ids IS NOT NULL THEN
			PERFORM tel_attendance_sums(ids);
		END IF;
	END IF;

	-- Rooms destroyed, as tel_room_destroyed and tel_session_close (015) do each: the room's
	-- open session begun by then ends; intervals still open in it close then (not estimated),
	-- their people's sums follow, and then the sessions' ends.
	SELECT array_agg(s.id), array_agg(to_timestamp(y.at)) INTO ends, ends_at
	  FROM unnest(p_type, p_room, p_at) AS y(type, room, at)
	  JOIN jitsi_sessions s ON s.room = y.room AND s.ended_at IS NULL AND s.started_at <= to_timestamp(y.at)
	 WHERE y.type = 'destroyed';
	IF ends IS NOT NULL THEN
		-- Their people first, then the intervals by the key's first column (as 015 does: a
		-- join on "left_at IS NULL" lets the planner read every open interval of every room).
		SELECT array_agg(a.id), array_agg(d.at) INTO ids, ats
		  FROM unnest(ends, ends_at) AS d(id, at) JOIN attendance a ON a.session_id = d.id
		 WHERE a.session_id = ANY (ends);	-- (by the index: see tel_attendance_sums)
		WITH c AS (
			UPDATE attendance_intervals i SET left_at = greatest(x.at, i.joined_at), estimated = false
			  FROM unnest(ids, ats) AS x(id, at)
			 WHERE i.attendance_id = ANY (ids) AND i.attendance_id = x.id
			   -- "left_at IS NULL" written so that it does not match the open intervals'
			   -- partial index: else the planner ANDs that index's bitmap (every open
			   -- interval of every room: 20,000 entries) with the key's (the few wanted).
			   AND CASE WHEN i.left_at IS NULL THEN true ELSE false END
			RETURNING i.attendance_id
		)
		SELECT array_agg(DISTINCT c.attendance_id) FROM c INTO ids;
		IF ids IS NOT NULL THEN
			PERFORM tel_attendance_sums(ids);
		END IF;
		UPDATE jitsi_sessions s SET ended_at = d.at, estimated = false, seen_at = d.at, participants = 0
		  FROM unnest(ends, ends_at) AS d(id, at) WHERE s.id = ANY (ends) AND s.id = d.id;
	END IF;
END $$;

-- 5. SQL-language functions are parsed and planned again at every call (PL/pgSQL keeps its
--    plans): a fifth of the backend's time in the benchmark went to fmgr_sql. The ones the
--    collector's writes call per statement or per row become PL/pgSQL, same bodies:
--    stat_bridge_rows (every upsert of bridge_minutes) and stat_zone (twice per ended session
--    in stat_apply, and in the per-user statistics). tel_attendance_sums (every batch of
--    joins, leaves, room ends) is PL/pgSQL from 020 on.
CREATE OR REPLACE FUNCTION stat_bridge_rows(p_new bridge_minutes[], p_old bridge_minutes[]) RETURNS void
    LANGUAGE plpgsql AS $$
BEGIN
	WITH r AS (
		SELECT n.bridge_id, n.minute, 1 AS sign, n.samples, n.seconds_available, n.stress_sum,
		       n.stress_max, n.bitrate_down_sum, n.bitrate_down_max, n.bitrate_up_sum,
		       n.bitrate_up_max, n.conferences_sum, n.conferences_max, n.endpoints_sum,
		       n.endpoints_max
		  FROM unnest(p_new) n
		UNION ALL
		SELECT o.bridge_id, o.minute, -1, o.samples, o.seconds_available, o.stress_sum,
		       CASE WHEN del.yes THEN o.stress_max END, o.bitrate_down_sum,
		       CASE WHEN del.yes THEN o.bitrate_down_max END, o.bitrate_up_sum,
		       CASE WHEN del.yes THEN o.bitrate_up_max END, o.conferences_sum,
		       CASE WHEN del.yes THEN o.conferences_max END, o.endpoints_sum,
		       CASE WHEN del.yes THEN o.endpoints_max END
		  FROM unnest(p_old) o CROSS JOIN (SELECT coalesce(cardinality(p_new), 0) = 0 AS yes) del
	), h AS (
		INSERT INTO stat_bridge_hours AS t (bridge_id, hour, samples, seconds_available, stress_sum,
		    stress_max, bitrate_down_sum, bitrate_down_max, bitrate_up_sum, bitrate_up_max,
		    conferences_sum, conferences_max, endpoints_sum, endpoints_max)
		SELECT r.bridge_id, date_trunc('hour', r.minute), sum(r.sign * r.samples),
		       sum(r.sign * r.seconds_available), sum(r.sign * r.stress_sum), coalesce(max(r.stress_max), 0),
		       sum(r.sign * r.bitrate_down_sum), coalesce(max(r.bitrate_down_max), 0),
		       sum(r.sign * r.bitrate_up_sum), coalesce(max(r.bitrate_up_max), 0),
		       sum(r.sign * r.conferences_sum), coalesce(max(r.conferences_max), 0),
		       sum(r.sign * r.endpoints_sum), coalesce(max(r.endpoints_max), 0)
		  FROM r GROUP BY 1, 2 ORDER BY 1, 2
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
			endpoints_max = greatest(t.endpoints_max, EXCLUDED.endpoints_max)
		RETURNING 1
	)
	INSERT INTO stat_bridge_days AS t (bridge_id, day, samples, seconds_available, stress_sum,
	    stress_max, bitrate_down_sum, bitrate_down_max, bitrate_up_sum, bitrate_up_max,
	    conferences_sum, conferences_max, endpoints_sum, endpoints_max)
	SELECT r.bridge_id, (r.minute AT TIME ZONE stat_zone())::date, sum(r.sign * r.samples),
	       sum(r.sign * r.seconds_available), sum(r.sign * r.stress_sum), coalesce(max(r.stress_max), 0),
	       sum(r.sign * r.bitrate_down_sum), coalesce(max(r.bitrate_down_max), 0),
	       sum(r.sign * r.bitrate_up_sum), coalesce(max(r.bitrate_up_max), 0),
	       sum(r.sign * r.conferences_sum), coalesce(max(r.conferences_max), 0),
	       sum(r.sign * r.endpoints_sum), coalesce(max(r.endpoints_max), 0)
	  FROM r GROUP BY 1, 2 ORDER BY 1, 2
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
END $$;

CREATE OR REPLACE FUNCTION stat_zone() RETURNS text LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN (SELECT time_zone FROM stat_settings);
END $$;

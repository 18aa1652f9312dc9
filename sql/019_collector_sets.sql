-- 019_collector_sets.sql: the collector's writes as a few statements per batch instead of one
-- function call per event. With one call per event PostgreSQL spent 150-340 us on each (the
-- event's own statements and, row by row, the statistics triggers of 010 and 011), so a burst
-- drained at 2,700-4,200 stanzas/s (doc/BENCHMARKS.md, Collector). Here the collector hands
-- over a batch's events (or bridge samples) as parallel arrays, one element per item in
-- arrival order, and each phase of the batch is one set-based statement; the statistics
-- triggers on attendance and bridge_minutes run once per statement over its transition tables.
--
-- Same results as the per-event functions of 012/013/015/018, which stay: the census and the
-- collector's item-by-item retry after a refused batch still call them, and tel_events falls
-- back to them when a batch's order could not be kept by phases (below).

-- seconds and last_leave of many attendance rows at once: tel_attendance_sum (013) for a set.
-- Rows whose values would not change are not written (no trigger has anything to do).
CREATE FUNCTION tel_attendance_sums(p_ids bigint[]) RETURNS void LANGUAGE sql AS $$
	UPDATE attendance a SET seconds = x.secs, last_leave = x.last
	  FROM (SELECT i.attendance_id AS id,
		       coalesce(round(sum(extract(epoch FROM i.left_at - i.joined_at)))::integer, 0) AS secs,
		       CASE WHEN count(*) > count(i.left_at) THEN NULL ELSE max(i.left_at) END AS last
		  FROM attendance_intervals i WHERE i.attendance_id = ANY (p_ids)
		 GROUP BY i.attendance_id) x
	 WHERE a.id = ANY (p_ids)	-- (by the key: the planner cannot tell how few x has)
	   AND a.id = x.id AND (a.seconds, a.last_leave) IS DISTINCT FROM (x.secs, x.last)
$$;

-- One event as 012's functions take it: what tel_events does when it cannot go by phases.
CREATE FUNCTION tel_event_one(p_type text, p_room text, p_occ text, p_at timestamptz,
    p_person text, p_uid bigint, p_name text, p_email text, p_external boolean,
    p_moderator boolean) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	CASE p_type
	WHEN 'created' THEN PERFORM tel_room_created(p_room, p_at);
	WHEN 'joined' THEN PERFORM tel_occupant_joined(p_room, p_occ, p_at, p_person, p_uid, p_name,
	    p_email, p_external, p_moderator);
	WHEN 'left' THEN PERFORM tel_occupant_left(p_room, p_occ, p_at, false);
	WHEN 'destroyed' THEN PERFORM tel_room_destroyed(p_room, p_at);
	ELSE RAISE EXCEPTION 'tel_events: unknown event type %', p_type;
	END CASE;
END $$;

-- A batch of events, element i of each array being event i in arrival order (p_at: Unix
-- seconds; p_occ NULL for created and destroyed; identity arrays as tel_occupant_joined takes
-- them, NULL for other types). It runs in four phases: every room created, then every join,
-- every leave, every room destroyed. That is the arrival order as long as, for each room, the
-- batch's events come in that order (created, joined..., left..., destroyed) and no room is
-- created or destroyed twice and no occupant joins or leaves twice; the collector cuts its
-- batches where that would not hold (a leave then a rejoin, a room destroyed and created again,
-- a duplicate), and this checks it again: a batch that does not qualify is applied event by
-- event with 012's functions, in order. Rooms are independent of one another (sessions,
-- attendance and intervals belong to one room; the statistics are sums, maxima and
-- recomputations that do not depend on order), so only each room's own order matters.
CREATE FUNCTION tel_events(p_type text[], p_room text[], p_occ text[], p_at double precision[],
    p_person text[], p_uid bigint[], p_name text[], p_email text[], p_external boolean[],
    p_moderator boolean[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	e record;
	missing bigint[];
	ids bigint[];
	ends bigint[];
	ends_at timestamptz[];
	ats timestamptz[];
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
		SELECT p.sid, p.person, u.id, left(p.name, 200), nullif(left(p.email, 254), ''), p.external,
		       p.moderator, p.first_join
		  FROM p LEFT JOIN users u ON u.id = p.uid
		 ORDER BY p.sid, p.person
		ON CONFLICT (session_id, person) DO UPDATE
		   SET moderator = attendance.moderator OR excluded.moderator,
		       first_join = least(attendance.first_join, excluded.first_join)
		RETURNING id, session_id, person, xmax = 0 AS fresh	-- xmax 0: inserted, not updated
	), i AS (
		INSERT INTO attendance_intervals (attendance_id, occupant, joined_at)
		SELECT a.id, j.occ, j.at FROM j JOIN a ON a.session_id = j.sid AND a.person = j.person
		ON CONFLICT DO NOTHING
		RETURNING attendance_id, joined_at
	), n AS (
		SELECT a.session_id, count(*) AS k, max(i.joined_at) AS last
		  FROM i JOIN a ON a.id = i.attendance_id GROUP BY a.session_id
	), s AS (
		UPDATE jitsi_sessions s SET participants = s.participants + n.k,
		       peak_participants = greatest(s.peak_participants, s.participants + n.k),
		       seen_at = greatest(s.seen_at, n.last)
		  FROM n WHERE s.id = n.session_id AND s.ended_at IS NULL
		RETURNING s.id
	)
	SELECT (SELECT array_agg(j.ord ORDER BY j.ord) FROM j WHERE j.sid IS NULL),
	       (SELECT array_agg(DISTINCT a.id) FROM i JOIN a ON a.id = i.attendance_id WHERE NOT a.fresh)
	  INTO missing, ids;
	-- A person's new row needs no sum (no closed interval: seconds 0, last_leave NULL).
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
	WITH l AS (
		SELECT y.occ, to_timestamp(y.at) AS at, s.id AS sid
		  FROM unnest(p_type, p_room, p_occ, p_at) AS y(type, room, occ, at)
		  JOIN jitsi_sessions s ON s.room = y.room AND s.ended_at IS NULL
		 WHERE y.type = 'left'
	), t AS (
		SELECT l.*, (SELECT a.id FROM attendance_intervals i JOIN attendance a ON a.id = i.attendance_id
			      WHERE i.occupant = l.occ AND i.left_at IS NULL AND a.session_id = l.sid
				AND i.joined_at <= l.at
			      ORDER BY i.joined_at DESC LIMIT 1) AS aid
		  FROM l
	), c AS (
		UPDATE attendance_intervals i SET left_at = t.at, estimated = false
		  FROM t
		 WHERE i.attendance_id = t.aid AND i.occupant = t.occ AND i.left_at IS NULL
		   AND i.joined_at <= t.at
		RETURNING i.attendance_id, t.sid, t.at
	), s AS (
		UPDATE jitsi_sessions s SET seen_at = greatest(s.seen_at, k.last),
		       participants = greatest(s.participants - k.k, 0)
		  FROM (SELECT c.sid, count(*) AS k, max(c.at) AS last FROM c GROUP BY c.sid) k
		 WHERE s.id = k.sid
		RETURNING s.id
	)
	SELECT array_agg(DISTINCT c.attendance_id) FROM c INTO ids;
	IF ids IS NOT NULL THEN
		PERFORM tel_attendance_sums(ids);
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
			 WHERE i.attendance_id = ANY (ids) AND i.attendance_id = x.id AND i.left_at IS NULL
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

-- A batch of stats presences (element i of each array: presence i in arrival order, p_at Unix
-- seconds; a figure not reported is NULL), with tel_bridge_sample's results (018): a sample is
-- counted when newer than everything counted before it (the database's last_seen and the
-- batch's earlier samples of that bridge), so after a bridge's first counted sample of the
-- batch it is up, and each counted sample's predecessor is the one counted before it. Each
-- counted sample then makes, exactly as there: an up transition (the bridge was down), or an
-- available span since its predecessor, or, after a silence longer than p_stale, either a down
-- period (transitions at the predecessor and at the sample) or, when a blind span of the
-- collector overlaps the silence and began while the bridge was fresh, the spans seen on either
-- side of it. Spans and figures are added to bridge_minutes once per minute touched.
-- Returns the number of samples counted.
CREATE FUNCTION tel_bridge_samples(p_name text[], p_at double precision[], p_stale double precision,
    p_region text[], p_version text[], p_stress double precision[], p_bd double precision[],
    p_bu double precision[], p_pd double precision[], p_pu double precision[], p_conf integer[],
    p_endp integer[], p_largest integer[], p_loss double precision[], p_rtt double precision[])
    RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
	counted integer;
BEGIN
	-- A bridge seen for the first time, with its first presence's values.
	INSERT INTO bridges (name, region, version, first_seen, last_seen)
	SELECT DISTINCT ON (y.name) y.name, left(y.region, 200), left(y.version, 200), to_timestamp(y.at),
	       '-infinity'
	  FROM unnest(p_name, p_at, p_region, p_version) WITH ORDINALITY AS y(name, at, region, version, ord)
	 ORDER BY y.name, y.ord
	ON CONFLICT (name) DO NOTHING;
	PERFORM 1 FROM bridges WHERE name = ANY (p_name) ORDER BY id FOR UPDATE;

	WITH x AS (
		SELECT y.ord, y.name, to_timestamp(y.at) AS at, y.region, y.version, y.stress, y.bd, y.bu,
		       y.pd, y.pu, y.conf, y.endp, y.largest, y.loss, y.rtt
		  FROM unnest(p_name, p_at, p_region, p_version, p_stress, p_bd, p_bu, p_pd, p_pu, p_conf,
			      p_endp, p_largest, p_loss, p_rtt) WITH ORDINALITY
		       AS y(name, at, region, version, stress, bd, bu, pd, pu, conf, endp, largest, loss, rtt, ord)
	), b AS (
		SELECT b.id, b.name, b.last_seen,
		       coalesce((SELECT t.up FROM bridge_transitions t WHERE t.bridge_id = b.id
				 ORDER BY t.at DESC, t.up ASC LIMIT 1), false) AS up
		  FROM bridges b WHERE b.name = ANY (p_name)
	), c AS (
		SELECT x.*, b.id, b.last_seen, b.up,
		       max(x.at) OVER (PARTITION BY x.name ORDER BY x.ord
				       ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before
		  FROM x JOIN b ON b.name = x.name
	), k AS (
		SELECT c.*, row_number() OVER w AS nth, coalesce(lag(c.at) OVER w, c.last_seen) AS prev
		  FROM c WHERE c.at > greatest(c.last_seen, c.before)	-- greatest skips a NULL before
		WINDOW w AS (PARTITION BY c.id ORDER BY c.ord)
	), u AS (
		SELECT k.*, (k.nth > 1 OR k.up) AS was_up,
		       (k.nth > 1 OR k.up) AND extract(epoch FROM k.at - k.prev) > p_stale AS stale
		  FROM k
	), g AS (
		SELECT u.*, gg.g0, gg.g1,
		       u.stale AND gg.g0 IS NOT NULL AND extract(epoch FROM gg.g0 - u.prev) <= p_stale AS blind
		  FROM u LEFT JOIN LATERAL (
			SELECT min(cg.started_at) AS g0, max(cg.ended_at) AS g1 FROM collector_gaps cg
			 WHERE u.stale AND cg.started_at < u.at AND cg.ended_at > u.prev) gg ON true
	), tr AS (
		INSERT INTO bridge_transitions (bridge_id, at, up)
		SELECT DISTINCT v.id, v.at, v.up FROM (
			SELECT g.id, g.prev AS at, false AS up FROM g WHERE g.stale AND NOT g.blind
			UNION ALL
			SELECT g.id, g.at, true FROM g WHERE NOT g.was_up OR (g.stale AND NOT g.blind)) v
		ON CONFLICT DO NOTHING
		RETURNING 1
	), sp AS (	-- available spans (lo, hi]
		SELECT g.id, g.prev AS lo, g.at AS hi FROM g WHERE g.was_up AND NOT g.stale
		UNION ALL
		SELECT g.id, g.prev, g.g0 FROM g WHERE g.blind AND g.g0 > g.prev
		UNION ALL
		SELECT g.id, g.g1, g.at FROM g
		 WHERE g.blind AND g.at > g.g1 AND extract(epoch FROM g.at - g.g1) <= p_stale
	), spm AS (	-- as tel_bridge_span: each span's milliseconds in each minute it covers
		SELECT sp.id, m.minute,
		       sum(round(extract(epoch FROM least(sp.hi, m.minute + interval '1 minute')
					 - greatest(sp.lo, m.minute)) * 1000)::integer) AS ms
		  FROM sp CROSS JOIN LATERAL generate_series(date_trunc('minute', sp.lo), sp.hi,
							     interval '1 minute') AS m(minute)
		 WHERE m.minute < sp.hi
		 GROUP BY sp.id, m.minute
	), fig AS (
		SELECT g.id, date_trunc('minute', g.at) AS minute, count(*) AS samples,
		       sum(coalesce(g.stress, 0)) AS stress_sum, max(coalesce(g.stress, 0)) AS stress_max,
		       sum(coalesce(g.bd, 0)) AS bd_sum, max(coalesce(g.bd, 0)) AS bd_max,
		       sum(coalesce(g.bu, 0)) AS bu_sum, max(coalesce(g.bu, 0)) AS bu_max,
		       sum(coalesce(g.pd, 0)) AS pd_sum, max(coalesce(g.pd, 0)) AS pd_max,
		       sum(coalesce(g.pu, 0)) AS pu_sum, max(coalesce(g.pu, 0)) AS pu_max,
		       sum(coalesce(g.conf, 0)) AS conf_sum, max(coalesce(g.conf, 0)) AS conf_max,
		       sum(coalesce(g.endp, 0)) AS endp_sum, max(coalesce(g.endp, 0)) AS endp_max,
		       max(coalesce(g.largest, 0)) AS largest_max,
		       sum(g.loss) AS loss_sum, count(g.loss) AS loss_samples,
		       sum(g.rtt) AS rtt_sum, count(g.rtt) AS rtt_samples
		  FROM g GROUP BY g.id, date_trunc('minute', g.at)
	), mi AS (
		INSERT INTO bridge_minutes AS x (bridge_id, minute, samples, stress_sum, stress_max,
		    bitrate_down_sum, bitrate_down_max, bitrate_up_sum, bitrate_up_max, packets_down_sum,
		    packets_down_max, packets_up_sum, packets_up_max, conferences_sum, conferences_max,
		    endpoints_sum, endpoints_max, largest_conference_max, loss_sum, loss_samples, rtt_sum,
		    rtt_samples, available_ms, seconds_available)
		SELECT coalesce(f.id, s.id), coalesce(f.minute, s.minute), coalesce(f.samples, 0),
		       coalesce(f.stress_sum, 0), coalesce(f.stress_max, 0), coalesce(f.bd_sum, 0),
		       coalesce(f.bd_max, 0), coalesce(f.bu_sum, 0), coalesce(f.bu_max, 0),
		       coalesce(f.pd_sum, 0), coalesce(f.pd_max, 0), coalesce(f.pu_sum, 0),
		       coalesce(f.pu_max, 0), coalesce(f.conf_sum, 0), coalesce(f.conf_max, 0),
		       coalesce(f.endp_sum, 0), coalesce(f.endp_max, 0), coalesce(f.largest_max, 0),
		       f.loss_sum, coalesce(f.loss_samples, 0), f.rtt_sum, coalesce(f.rtt_samples, 0),
		       least(coalesce(s.ms, 0), 60000), round(least(coalesce(s.ms, 0), 60000) / 1000.0)
		  FROM fig f FULL JOIN spm s ON s.id = f.id AND s.minute = f.minute
		 ORDER BY 1, 2
		ON CONFLICT (bridge_id, minute) DO UPDATE SET
		    samples = x.samples + excluded.samples,
		    stress_sum = x.stress_sum + excluded.stress_sum,
		    stress_max = greatest(x.stress_max, excluded.stress_max),
		    bitrate_down_sum = x.bitrate_down_sum + excluded.bitrate_down_sum,
		    bitrate_down_max = greatest(x.bitrate_down_max, excluded.bitrate_down_max),
		    bitrate_up_sum = x.bitrate_up_sum + excluded.bitrate_up_sum,
		    bitrate_up_max = greatest(x.bitrate_up_max, excluded.bitrate_up_max),
		    packets_down_sum = x.packets_down_sum + excluded.packets_down_sum,
		    packets_down_max = greatest(x.packets_down_max, excluded.packets_down_max),
		    packets_up_sum = x.packets_up_sum + excluded.packets_up_sum,
		    packets_up_max = greatest(x.packets_up_max, excluded.packets_up_max),
		    conferences_sum = x.conferences_sum + excluded.conferences_sum,
		    conferences_max = greatest(x.conferences_max, excluded.conferences_max),
		    endpoints_sum = x.endpoints_sum + excluded.endpoints_sum,
		    endpoints_max = greatest(x.endpoints_max, excluded.endpoints_max),
		    largest_conference_max = greatest(x.largest_conference_max, excluded.largest_conference_max),
		    loss_sum = CASE WHEN excluded.loss_sum IS NULL THEN x.loss_sum
				    ELSE coalesce(x.loss_sum, 0) + excluded.loss_sum END,
		    loss_samples = x.loss_samples + excluded.loss_samples,
		    rtt_sum = CASE WHEN excluded.rtt_sum IS NULL THEN x.rtt_sum
				   ELSE coalesce(x.rtt_sum, 0) + excluded.rtt_sum END,
		    rtt_samples = x.rtt_samples + excluded.rtt_samples,
		    available_ms = least(x.available_ms + excluded.available_ms, 60000),
		    seconds_available = round(least(x.available_ms + excluded.available_ms, 60000) / 1000.0)
		RETURNING 1
	), bu AS (	-- the last counted sample's time; the last region and version reported
		UPDATE bridges b SET last_seen = v.last, region = coalesce(v.region, b.region),
		       version = coalesce(v.version, b.version)
		  FROM (SELECT g.id, max(g.at) AS last,
			       (array_agg(left(g.region, 200) ORDER BY g.ord DESC)
				    FILTER (WHERE g.region IS NOT NULL))[1] AS region,
			       (array_agg(left(g.version, 200) ORDER BY g.ord DESC)
				    FILTER (WHERE g.version IS NOT NULL))[1] AS version
			  FROM g GROUP BY g.id) v
		 WHERE b.id = v.id
		RETURNING 1
	)
	SELECT count(*) INTO counted FROM g;
	RETURN counted;
END $$;

-- 013's stat_jitsi_sessions, without stat_owner where there can be no owner: a room Sekkan does
-- not know (no meeting, no personal room) has none, and stat_owner, a SQL function planned on
-- every call, was half the trigger's cost at each room's start and end. The lookup is the same
-- query, inline.
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
	IF NEW.personal_owner_id IS NOT NULL OR NEW.meeting_id IS NOT NULL THEN
		SELECT u.id, d.unit_id INTO v_owner, v_unit
		  FROM users u LEFT JOIN directory d ON d.employee_no = u.employee_no
		 WHERE u.id = coalesce(NEW.personal_owner_id,
				       (SELECT m.owner_id FROM meetings m WHERE m.id = NEW.meeting_id));
	END IF;
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

-- The statistics triggers of 010 and 011 on attendance and bridge_minutes, once per statement
-- over its transition tables instead of once per row: a batch's joins are one INSERT of
-- attendance, its stats presences one upsert of bridge_minutes. Same sums; each statement's
-- rows come to a helper as arrays (p_new: rows as they are now, p_old: as they were).

-- 011's stat_attendance: participants and externals per session, the members' last time seen.
CREATE FUNCTION stat_attendance_rows(p_new attendance[], p_old attendance[]) RETURNS void
    LANGUAGE plpgsql AS $$
BEGIN
	-- An update that moved no row to another session nor changed external nets to zero.
	UPDATE stat_sessions s SET participants = s.participants + d.n, externals = s.externals + d.e
	  FROM (SELECT r.session_id, sum(r.sign)::integer AS n, sum(r.sign * r.external::integer)::integer AS e
		  FROM (SELECT n.session_id, 1 AS sign, n.external FROM unnest(p_new) n
			UNION ALL
			SELECT o.session_id, -1, o.external FROM unnest(p_old) o) r
		 GROUP BY r.session_id) d
	 WHERE s.session_id = d.session_id AND (d.n <> 0 OR d.e <> 0);
	INSERT INTO stat_user_seen AS t (user_id, last_seen)
	SELECT n.user_id, max(coalesce(n.last_leave, n.first_join)) FROM unnest(p_new) n
	 WHERE n.user_id IS NOT NULL GROUP BY n.user_id ORDER BY n.user_id
	ON CONFLICT (user_id) DO UPDATE SET last_seen = greatest(t.last_seen, EXCLUDED.last_seen);
END $$;

-- 010's ustats_tg_attendance: each meeting whose members' attendance changed is recomputed,
-- once per statement (ustats_meeting recomputes a meeting from its rows, so once is enough).
-- An update counts only where session, user or seconds changed and a member is involved.
CREATE FUNCTION ustats_attendance_rows(p_new attendance[], p_old attendance[], p_update boolean)
    RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	m bigint;
BEGIN
	FOR m IN
		WITH ch AS (
			SELECT n.session_id AS new_sid, o.session_id AS old_sid
			  FROM unnest(p_new) n JOIN unnest(p_old) o ON o.id = n.id
			 WHERE p_update AND (o.user_id IS NOT NULL OR n.user_id IS NOT NULL)
			   AND (o.session_id, o.user_id, o.seconds) IS DISTINCT FROM (n.session_id, n.user_id, n.seconds)
		), sids AS (
			SELECT n.session_id FROM unnest(p_new) n WHERE NOT p_update AND n.user_id IS NOT NULL
			UNION SELECT o.session_id FROM unnest(p_old) o WHERE NOT p_update AND o.user_id IS NOT NULL
			UNION SELECT ch.old_sid FROM ch
			UNION SELECT ch.new_sid FROM ch
		)
		SELECT DISTINCT s.meeting_id FROM jitsi_sessions s JOIN sids ON sids.session_id = s.id
		 WHERE s.meeting_id IS NOT NULL ORDER BY 1
	LOOP
		PERFORM ustats_meeting(m);
	END LOOP;
END $$;

-- 011's stat_bridge_minutes: each statement's differences added to the hour and day rows
-- (sums: now minus before; maxima: now, or what was deleted, as the row trigger did).
CREATE FUNCTION stat_bridge_rows(p_new bridge_minutes[], p_old bridge_minutes[]) RETURNS void
    LANGUAGE sql AS $$
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
		endpoints_max = greatest(t.endpoints_max, EXCLUDED.endpoints_max)
$$;

-- The trigger functions: the statement's transition tables as arrays, to the helpers above.
-- A statement that changed no row (an upsert fires both its INSERT and UPDATE triggers, one
-- of them usually empty) returns at once.
CREATE FUNCTION stat_tg_attendance_ins() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	n attendance[] := ARRAY(SELECT r::attendance FROM new_rows r);
BEGIN
	IF cardinality(n) > 0 THEN
		PERFORM stat_attendance_rows(n, '{}');
		PERFORM ustats_attendance_rows(n, '{}', false);
	END IF;
	RETURN NULL;
END $$;
CREATE FUNCTION stat_tg_attendance_upd() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	n attendance[] := ARRAY(SELECT r::attendance FROM new_rows r);
	o attendance[] := ARRAY(SELECT r::attendance FROM old_rows r);
BEGIN
	IF cardinality(n) > 0 THEN
		PERFORM stat_attendance_rows(n, o);
		PERFORM ustats_attendance_rows(n, o, true);
	END IF;
	RETURN NULL;
END $$;
CREATE FUNCTION stat_tg_attendance_del() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	o attendance[] := ARRAY(SELECT r::attendance FROM old_rows r);
BEGIN
	IF cardinality(o) > 0 THEN
		PERFORM stat_attendance_rows('{}', o);
		PERFORM ustats_attendance_rows('{}', o, false);
	END IF;
	RETURN NULL;
END $$;
CREATE FUNCTION stat_tg_bridge_minutes_ins() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	n bridge_minutes[] := ARRAY(SELECT r::bridge_minutes FROM new_rows r);
BEGIN
	IF cardinality(n) > 0 THEN
		PERFORM stat_bridge_rows(n, '{}');
	END IF;
	RETURN NULL;
END $$;
CREATE FUNCTION stat_tg_bridge_minutes_upd() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	n bridge_minutes[] := ARRAY(SELECT r::bridge_minutes FROM new_rows r);
BEGIN
	IF cardinality(n) > 0 THEN
		PERFORM stat_bridge_rows(n, ARRAY(SELECT r::bridge_minutes FROM old_rows r));
	END IF;
	RETURN NULL;
END $$;
CREATE FUNCTION stat_tg_bridge_minutes_del() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	o bridge_minutes[] := ARRAY(SELECT r::bridge_minutes FROM old_rows r);
BEGIN
	IF cardinality(o) > 0 THEN
		PERFORM stat_bridge_rows('{}', o);
	END IF;
	RETURN NULL;
END $$;

-- The row triggers go; the statement triggers take their place (one per event: a trigger
-- with transition tables names one). An UPDATE trigger with transition tables cannot be
-- limited to columns: the helpers look at what changed.
DROP TRIGGER stat_attendance ON attendance;
DROP TRIGGER ustats_attendance_ins ON attendance;
DROP TRIGGER ustats_attendance_del ON attendance;
DROP TRIGGER ustats_attendance_upd ON attendance;
DROP TRIGGER stat_bridge_minutes ON bridge_minutes;
CREATE TRIGGER stat_attendance_ins AFTER INSERT ON attendance
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_tg_attendance_ins();
CREATE TRIGGER stat_attendance_upd AFTER UPDATE ON attendance
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stat_tg_attendance_upd();
CREATE TRIGGER stat_attendance_del AFTER DELETE ON attendance
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_tg_attendance_del();
CREATE TRIGGER stat_bridge_minutes_ins AFTER INSERT ON bridge_minutes
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_tg_bridge_minutes_ins();
CREATE TRIGGER stat_bridge_minutes_upd AFTER UPDATE ON bridge_minutes
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stat_tg_bridge_minutes_upd();
CREATE TRIGGER stat_bridge_minutes_del AFTER DELETE ON bridge_minutes
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_tg_bridge_minutes_del();

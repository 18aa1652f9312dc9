-- 012_collector.sql: the collector's writes as functions, one round trip per event, each
-- idempotent (the same event applied twice changes nothing), plus the two columns they need.
-- The tables are 008_telemetry.sql's; nothing there changes, columns are only added.
-- Every function plans its statements per call (plan_cache_mode): PL/pgSQL would otherwise
-- keep the plan it made while the tables were empty (sequential scans) for the life of the
-- collector's connection, and each event would cost more as history grows.

-- The last time the collector knew the session was live (any event, or the room listed in
-- prosody's census). A session whose end was never seen is closed at this time, estimated.
ALTER TABLE jitsi_sessions ADD COLUMN seen_at timestamptz;
-- Available time in milliseconds, so that spans between samples add up without rounding;
-- seconds_available is kept equal to round(available_ms / 1000).
ALTER TABLE bridge_minutes ADD COLUMN available_ms integer NOT NULL DEFAULT 0
	CHECK (available_ms BETWEEN 0 AND 60000);

-- People in the room now: kept as a count, changed only when an interval really opens or
-- closes (so replays leave it alone), rather than counted over the open intervals on every
-- event, which with 1,000 live rooms made each event scan 20,000 rows.
ALTER TABLE jitsi_sessions ADD COLUMN participants integer NOT NULL DEFAULT 0;
-- A leave names its occupant: the open interval is found by it, among open intervals only.
CREATE INDEX attendance_intervals_open ON attendance_intervals (occupant) WHERE left_at IS NULL;

-- Which Sekkan room a Jitsi room is: a meeting, someone's personal room, or unknown.
CREATE FUNCTION tel_room_kind(p_room text, OUT kind text, OUT meeting_id bigint,
    OUT owner_id bigint) LANGUAGE plpgsql STABLE AS $$
BEGIN
	SELECT m.id INTO meeting_id FROM meetings m WHERE m.room = p_room;
	IF FOUND THEN kind := 'meeting'; RETURN; END IF;
	SELECT p.user_id INTO owner_id FROM personal_rooms p WHERE p.room = p_room;
	IF FOUND THEN kind := 'personal'; RETURN; END IF;
	kind := 'unknown';
END $$;

-- Close one session and any interval still open in it at p_at (estimated or seen).
CREATE FUNCTION tel_session_close(p_id bigint, p_at timestamptz, p_est boolean)
    RETURNS void LANGUAGE plpgsql SET plan_cache_mode = force_custom_plan AS $$
DECLARE
	s jitsi_sessions%ROWTYPE;
	aid bigint;
BEGIN
	SELECT * INTO s FROM jitsi_sessions WHERE id = p_id AND ended_at IS NULL FOR UPDATE;
	IF NOT FOUND THEN RETURN; END IF;
	p_at := greatest(p_at, s.started_at);
	-- One attendance at a time: each lookup is then by the intervals' primary key.
	FOR aid IN SELECT a.id FROM attendance a WHERE a.session_id = p_id LOOP
		UPDATE attendance_intervals i SET left_at = greatest(p_at, i.joined_at), estimated = p_est
		 WHERE i.attendance_id = aid AND i.left_at IS NULL;
		IF FOUND THEN PERFORM tel_attendance_sum(aid); END IF;
	END LOOP;
	UPDATE jitsi_sessions SET ended_at = p_at, estimated = p_est, seen_at = p_at, participants = 0
	 WHERE id = p_id;
END $$;

-- seconds = the closed intervals, summed once (never incremented, so replays cannot add);
-- last_leave = the latest leave while no interval is open.
CREATE FUNCTION tel_attendance_sum(p_id bigint) RETURNS void LANGUAGE sql AS $$
	UPDATE attendance a SET
	    seconds = coalesce((SELECT round(sum(extract(epoch FROM i.left_at - i.joined_at)))::integer
				  FROM attendance_intervals i
				 WHERE i.attendance_id = a.id AND i.left_at IS NOT NULL), 0),
	    last_leave = CASE WHEN EXISTS (SELECT 1 FROM attendance_intervals i
					   WHERE i.attendance_id = a.id AND i.left_at IS NULL)
			 THEN NULL
			 ELSE (SELECT max(i.left_at) FROM attendance_intervals i
				WHERE i.attendance_id = a.id) END
	 WHERE a.id = p_id
$$;

-- Room created at p_at: a new session, unless that one exists already. A session of the
-- same room still open from before (its end was lost) is closed first, estimated.
CREATE FUNCTION tel_room_created(p_room text, p_at timestamptz) RETURNS bigint
    LANGUAGE plpgsql SET plan_cache_mode = force_custom_plan AS $$
DECLARE
	k record;
	sid bigint;
	old jitsi_sessions%ROWTYPE;
BEGIN
	SELECT id INTO sid FROM jitsi_sessions WHERE room = p_room AND started_at = p_at;
	IF FOUND THEN RETURN sid; END IF;
	SELECT * INTO old FROM jitsi_sessions WHERE room = p_room AND ended_at IS NULL;
	IF FOUND THEN
		IF old.started_at > p_at THEN
			RETURN NULL;	-- an old creation replayed after a newer session began
		END IF;
		PERFORM tel_session_close(old.id, least(coalesce(old.seen_at, old.started_at), p_at), true);
	END IF;
	k := tel_room_kind(p_room);
	INSERT INTO jitsi_sessions (room, kind, meeting_id, personal_owner_id, started_at, seen_at)
	VALUES (p_room, k.kind, k.meeting_id, k.owner_id, p_at, p_at)
	RETURNING id INTO sid;
	RETURN sid;
END $$;

-- Occupant joined: its person's attendance (made on first sight, merged on reconnects) gets
-- an interval. Returns the session's participants now (open intervals).
CREATE FUNCTION tel_occupant_joined(p_room text, p_occ text, p_at timestamptz, p_person text,
    p_uid bigint, p_name text, p_email text, p_external boolean, p_moderator boolean)
    RETURNS integer LANGUAGE plpgsql SET plan_cache_mode = force_custom_plan AS $$
DECLARE
	sid bigint;
	aid bigint;
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
	RETURNING id INTO aid;
	INSERT INTO attendance_intervals (attendance_id, occupant, joined_at)
	VALUES (aid, p_occ, p_at) ON CONFLICT DO NOTHING;
	IF NOT FOUND THEN	-- a replay
		SELECT participants INTO n FROM jitsi_sessions WHERE id = sid;
		RETURN n;
	END IF;
	PERFORM tel_attendance_sum(aid);
	UPDATE jitsi_sessions SET participants = participants + 1,
	       peak_participants = greatest(peak_participants, participants + 1),
	       seen_at = greatest(seen_at, p_at)
	 WHERE id = sid AND ended_at IS NULL
	RETURNING participants INTO n;
	RETURN n;
END $$;

-- Occupant left: close its open interval. Returns the participants now, NULL if unknown.
CREATE FUNCTION tel_occupant_left(p_room text, p_occ text, p_at timestamptz, p_est boolean)
    RETURNS integer LANGUAGE plpgsql SET plan_cache_mode = force_custom_plan AS $$
DECLARE
	sid bigint;
	aid bigint;
	n integer;
	k integer;
BEGIN
	SELECT id INTO sid FROM jitsi_sessions WHERE room = p_room AND ended_at IS NULL;
	IF NOT FOUND THEN RETURN NULL; END IF;
	SELECT a.id INTO aid FROM attendance_intervals i JOIN attendance a ON a.id = i.attendance_id
	 WHERE i.occupant = p_occ AND i.left_at IS NULL AND a.session_id = sid AND i.joined_at <= p_at
	 ORDER BY i.joined_at DESC LIMIT 1;
	IF NOT FOUND THEN RETURN NULL; END IF;	-- never seen, or a replay
	UPDATE attendance_intervals SET left_at = p_at, estimated = p_est
	 WHERE attendance_id = aid AND occupant = p_occ AND left_at IS NULL AND joined_at <= p_at;
	GET DIAGNOSTICS k = ROW_COUNT;
	PERFORM tel_attendance_sum(aid);
	UPDATE jitsi_sessions SET seen_at = greatest(seen_at, p_at),
	       participants = greatest(participants - k, 0)
	 WHERE id = sid
	RETURNING participants INTO n;
	RETURN n;
END $$;

-- Room destroyed: its open session ends.
CREATE FUNCTION tel_room_destroyed(p_room text, p_at timestamptz) RETURNS void
    LANGUAGE plpgsql SET plan_cache_mode = force_custom_plan AS $$
DECLARE
	sid bigint;
BEGIN
	SELECT id INTO sid FROM jitsi_sessions
	 WHERE room = p_room AND ended_at IS NULL AND started_at <= p_at;
	IF FOUND THEN PERFORM tel_session_close(sid, p_at, false); END IF;
END $$;

-- One stats presence of a bridge at p_at. Counted once: a sample not newer than the last
-- one counted (bridges.last_seen) is a replay (the brewery resends the last presence on
-- every join) and changes nothing. The span since the previous sample is available time
-- when the bridge was up and not silent for longer than p_stale seconds; a longer silence
-- was a down period (closed at the last sample) and this sample brings it back up.
-- Returns true when the sample was counted and the bridge came up with it.
CREATE FUNCTION tel_bridge_sample(p_name text, p_at timestamptz, p_stale double precision,
    p_region text, p_version text, p_stress double precision, p_bd double precision,
    p_bu double precision, p_pd double precision, p_pu double precision, p_conf integer,
    p_endp integer, p_largest integer, p_loss double precision, p_rtt double precision,
    OUT counted boolean, OUT came_up boolean) LANGUAGE plpgsql SET plan_cache_mode = force_custom_plan AS $$
DECLARE
	b bridges%ROWTYPE;
	up boolean;
	m timestamptz := date_trunc('minute', p_at);
BEGIN
	counted := false;
	came_up := false;
	INSERT INTO bridges (name, region, version, first_seen, last_seen)
	VALUES (p_name, left(p_region, 200), left(p_version, 200), p_at, '-infinity')
	ON CONFLICT (name) DO NOTHING;
	SELECT * INTO b FROM bridges WHERE name = p_name FOR UPDATE;
	IF b.last_seen >= p_at THEN RETURN; END IF;
	SELECT t.up INTO up FROM bridge_transitions t WHERE t.bridge_id = b.id
	 ORDER BY t.at DESC, t.up ASC LIMIT 1;
	up := coalesce(up, false);
	IF up THEN
		-- (a separate test: SQL does not promise to skip the subtraction when up is false)
		IF extract(epoch FROM p_at - b.last_seen) > p_stale THEN
			INSERT INTO bridge_transitions VALUES (b.id, b.last_seen, false) ON CONFLICT DO NOTHING;
			up := false;
		END IF;
	END IF;
	IF up THEN
		PERFORM tel_bridge_span(b.id, b.last_seen, p_at);
	ELSE
		INSERT INTO bridge_transitions VALUES (b.id, p_at, true) ON CONFLICT DO NOTHING;
		came_up := true;
	END IF;
	UPDATE bridges SET last_seen = p_at, region = coalesce(left(p_region, 200), region),
	       version = coalesce(left(p_version, 200), version)
	 WHERE id = b.id;
	INSERT INTO bridge_minutes AS x (bridge_id, minute, samples, stress_sum, stress_max,
	    bitrate_down_sum, bitrate_down_max, bitrate_up_sum, bitrate_up_max, packets_down_sum,
	    packets_down_max, packets_up_sum, packets_up_max, conferences_sum, conferences_max,
	    endpoints_sum, endpoints_max, largest_conference_max, loss_sum, loss_samples, rtt_sum,
	    rtt_samples)
	VALUES (b.id, m, 1, coalesce(p_stress, 0), coalesce(p_stress, 0), coalesce(p_bd, 0),
	    coalesce(p_bd, 0), coalesce(p_bu, 0), coalesce(p_bu, 0), coalesce(p_pd, 0),
	    coalesce(p_pd, 0), coalesce(p_pu, 0), coalesce(p_pu, 0), coalesce(p_conf, 0),
	    coalesce(p_conf, 0), coalesce(p_endp, 0), coalesce(p_endp, 0), coalesce(p_largest, 0),
	    p_loss, (p_loss IS NOT NULL)::integer, p_rtt, (p_rtt IS NOT NULL)::integer)
	ON CONFLICT (bridge_id, minute) DO UPDATE SET
	    samples = x.samples + 1,
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
	    rtt_samples = x.rtt_samples + excluded.rtt_samples;
	counted := true;
END $$;

-- Add the available span (a, b] to the minutes it covers.
CREATE FUNCTION tel_bridge_span(p_id integer, a timestamptz, b timestamptz) RETURNS void
    LANGUAGE plpgsql SET plan_cache_mode = force_custom_plan AS $$
DECLARE
	m timestamptz := date_trunc('minute', a);
	lo timestamptz;
	hi timestamptz;
	ms integer;
BEGIN
	WHILE m < b LOOP
		lo := greatest(a, m);
		hi := least(b, m + interval '1 minute');
		ms := round(extract(epoch FROM hi - lo) * 1000)::integer;
		IF ms > 0 THEN
			INSERT INTO bridge_minutes AS x (bridge_id, minute, available_ms, seconds_available)
			VALUES (p_id, m, ms, round(ms / 1000.0))
			ON CONFLICT (bridge_id, minute) DO UPDATE SET
			    available_ms = least(x.available_ms + ms, 60000),
			    seconds_available = round(least(x.available_ms + ms, 60000) / 1000.0);
		END IF;
		m := m + interval '1 minute';
	END LOOP;
END $$;

-- The bridge went down: it left the brewery at p_at (the span since its last sample was
-- still available) or went silent (p_at = its last sample). Idempotent by the key.
CREATE FUNCTION tel_bridge_down(p_name text, p_at timestamptz) RETURNS boolean
    LANGUAGE plpgsql SET plan_cache_mode = force_custom_plan AS $$
DECLARE
	b bridges%ROWTYPE;
	up boolean;
BEGIN
	SELECT * INTO b FROM bridges WHERE name = p_name FOR UPDATE;
	IF NOT FOUND THEN RETURN false; END IF;
	SELECT t.up INTO up FROM bridge_transitions t WHERE t.bridge_id = b.id
	 ORDER BY t.at DESC, t.up ASC LIMIT 1;
	IF up IS NOT TRUE OR p_at < b.last_seen THEN RETURN false; END IF;
	PERFORM tel_bridge_span(b.id, b.last_seen, p_at);
	UPDATE bridges SET last_seen = p_at WHERE id = b.id;
	INSERT INTO bridge_transitions VALUES (b.id, p_at, false) ON CONFLICT DO NOTHING;
	RETURN true;
END $$;

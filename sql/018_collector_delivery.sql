-- 018_collector_delivery.sql: the collector's blind spans. While it hears nothing from prosody
-- (it is dead, stopped, disconnected, or prosody is) it cannot know whether a bridge is up:
-- that time is unknown, not down. The collector records each such span when it hears prosody
-- again (doc/telemetry.md, "Blind spans"); a bridge's silence across one is not a down period,
-- and weekly availability leaves unknown time out of both the up time and the period.

-- One row per blind span [started_at, ended_at): from the last time the collector heard
-- prosody to the first time it heard it again.
CREATE TABLE collector_gaps (
	started_at	timestamptz PRIMARY KEY,
	ended_at	timestamptz NOT NULL,
	CHECK (ended_at > started_at)
);
CREATE INDEX collector_gaps_end ON collector_gaps (ended_at);

-- The last time the collector heard prosody (written every second while it does), so that
-- the next run knows where its blindness began: a kill leaves no chance to say.
CREATE TABLE collector_seen (
	one		boolean PRIMARY KEY DEFAULT true CHECK (one),
	seen_at		timestamptz NOT NULL
);

CREATE FUNCTION tel_collector_seen(p_at timestamptz) RETURNS void LANGUAGE sql AS $$
	INSERT INTO collector_seen AS s (seen_at) VALUES (p_at)
	ON CONFLICT (one) DO UPDATE SET seen_at = greatest(s.seen_at, excluded.seen_at)
$$;

-- The collector heard prosody again at p_to after hearing nothing since p_from (NULL: since
-- an earlier run last heard it, collector_seen; nothing before the first run). Idempotent:
-- a replay finds seen_at at p_to already, or the same span by its key.
CREATE FUNCTION tel_collector_gap(p_from timestamptz, p_to timestamptz) RETURNS boolean
    LANGUAGE plpgsql AS $$
DECLARE
	f timestamptz := p_from;
BEGIN
	IF f IS NULL THEN
		SELECT seen_at INTO f FROM collector_seen;
	END IF;
	PERFORM tel_collector_seen(p_to);
	IF f IS NULL OR f >= p_to THEN
		RETURN false;
	END IF;
	INSERT INTO collector_gaps AS g VALUES (f, p_to)
	ON CONFLICT (started_at) DO UPDATE SET ended_at = greatest(g.ended_at, excluded.ended_at);
	RETURN true;
END $$;

-- As in 012 (plans kept as 013 left them), except for a silence longer than p_stale: when a
-- blind span of the collector overlaps it and began within p_stale of the bridge's last
-- sample, the bridge was fresh when the collector went blind, and what it did next is
-- unknown: no down period, and only the time the collector could see counts as available
-- (up to the span's start, and from its end when that is within p_stale of this sample). A
-- silence the collector heard (no overlapping span, or one that began after the bridge was
-- already stale) is a down period, as before.
CREATE OR REPLACE FUNCTION tel_bridge_sample(p_name text, p_at timestamptz, p_stale double precision,
    p_region text, p_version text, p_stress double precision, p_bd double precision,
    p_bu double precision, p_pd double precision, p_pu double precision, p_conf integer,
    p_endp integer, p_largest integer, p_loss double precision, p_rtt double precision,
    OUT counted boolean, OUT came_up boolean) LANGUAGE plpgsql AS $$
DECLARE
	b bridges%ROWTYPE;
	up boolean;
	blind boolean := false;
	g0 timestamptz;
	g1 timestamptz;
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
			SELECT min(g.started_at), max(g.ended_at) INTO g0, g1 FROM collector_gaps g
			 WHERE g.started_at < p_at AND g.ended_at > b.last_seen;
			IF g0 IS NOT NULL AND extract(epoch FROM g0 - b.last_seen) <= p_stale THEN
				blind := true;
				IF g0 > b.last_seen THEN
					PERFORM tel_bridge_span(b.id, b.last_seen, g0);
				END IF;
				IF p_at > g1 AND extract(epoch FROM p_at - g1) <= p_stale THEN
					PERFORM tel_bridge_span(b.id, g1, p_at);
				END IF;
			ELSE
				INSERT INTO bridge_transitions VALUES (b.id, b.last_seen, false) ON CONFLICT DO NOTHING;
				up := false;
			END IF;
		END IF;
	END IF;
	IF up THEN
		IF NOT blind THEN
			PERFORM tel_bridge_span(b.id, b.last_seen, p_at);
		END IF;
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

-- Seconds in a set of spans.
CREATE FUNCTION stat_span_seconds(p tstzmultirange) RETURNS double precision
    LANGUAGE sql IMMUTABLE AS $$
	SELECT coalesce(sum(extract(epoch FROM upper(r) - lower(r))), 0)::double precision FROM unnest(p) r
$$;

-- As in 011, from each bridge's transitions, but only over the time the collector could see:
-- up_seconds leaves out the blind spans (collector_gaps), and unknown_seconds says how much
-- of [p_from, p_to) they cover (the same for every bridge), so that availability is
-- up_seconds / (period - unknown_seconds). The return type changes, hence DROP and CREATE;
-- cgi-bin/admin-infraestructura.c is its only reader.
DROP FUNCTION stat_availability(timestamptz, timestamptz);
CREATE FUNCTION stat_availability(p_from timestamptz, p_to timestamptz)
RETURNS TABLE (bridge_id integer, up_seconds double precision, unknown_seconds double precision)
LANGUAGE sql STABLE AS $$
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
	), blind AS (
		SELECT coalesce(range_agg(tstzrange(greatest(g.started_at, p_from), least(g.ended_at, p_to))),
			'{}'::tstzmultirange) AS spans
		FROM collector_gaps g WHERE g.started_at < p_to AND g.ended_at > p_from
	)
	SELECT seg.bridge_id,
		coalesce(sum(stat_span_seconds(tstzmultirange(tstzrange(seg.at, seg.nxt)) - blind.spans))
			FILTER (WHERE seg.up AND seg.nxt > seg.at), 0)::double precision,
		stat_span_seconds(blind.spans)
	FROM seg CROSS JOIN blind GROUP BY seg.bridge_id, blind.spans
$$;

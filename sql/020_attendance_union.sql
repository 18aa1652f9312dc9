-- 020_attendance_union.sql: an attendance's seconds cannot exceed its session.
--
-- An attendance's seconds are the length of the union of its closed intervals, not their
--    sum. Guests without an e-mail are merged by display name (person 'n:<name>'), so two
--    different guests with one name in one room are one attendance with two intervals that
--    overlap; summed, their seconds could exceed the session's length. A reconnect (intervals
--    one after the other) gives the same figure as before. Ordered by start, each interval adds
--    what lies beyond the furthest end of those before it.

CREATE OR REPLACE FUNCTION tel_attendance_sum(p_id bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	UPDATE attendance a SET seconds = x.secs,
	       last_leave = CASE WHEN x.open > 0 THEN NULL ELSE x.last END
	  FROM (SELECT coalesce(round(sum(greatest(extract(epoch FROM u.left_at -
				greatest(u.joined_at, u.reach)), 0)))::integer, 0) AS secs,
		       count(*) - count(u.left_at) AS open, max(u.left_at) AS last
		  FROM (SELECT i.joined_at, i.left_at,
			       max(i.left_at) OVER (ORDER BY i.joined_at, i.left_at
				   ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach
			  FROM attendance_intervals i WHERE i.attendance_id = p_id) u) x
	 WHERE a.id = p_id;
END $$;

-- PL/pgSQL, whose plans are kept (an SQL-language function is planned at every call: see 021).
CREATE OR REPLACE FUNCTION tel_attendance_sums(p_ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	UPDATE attendance a SET seconds = x.secs, last_leave = x.last
	  FROM (SELECT u.attendance_id AS id,
		       coalesce(round(sum(greatest(extract(epoch FROM u.left_at -
				greatest(u.joined_at, u.reach)), 0)))::integer, 0) AS secs,
		       CASE WHEN count(*) > count(u.left_at) THEN NULL ELSE max(u.left_at) END AS last
		  FROM (SELECT i.attendance_id, i.joined_at, i.left_at,
			       max(i.left_at) OVER (PARTITION BY i.attendance_id ORDER BY i.joined_at, i.left_at
				   ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach
			  FROM attendance_intervals i WHERE i.attendance_id = ANY (p_ids)) u
		 GROUP BY u.attendance_id) x
	 WHERE a.id = ANY (p_ids)	-- (by the key: the planner cannot tell how few x has)
	   AND a.id = x.id AND (a.seconds, a.last_leave) IS DISTINCT FROM (x.secs, x.last);
END $$;

-- What is there already, again: only attendance rows whose intervals overlap change.
SELECT tel_attendance_sums(array_agg(DISTINCT i.attendance_id))
  FROM attendance_intervals i
 WHERE EXISTS (SELECT 1 FROM attendance_intervals o
		WHERE o.attendance_id = i.attendance_id AND (o.occupant, o.joined_at) <> (i.occupant, i.joined_at)
		  AND o.joined_at < coalesce(i.left_at, 'infinity') AND i.joined_at < coalesce(o.left_at, 'infinity'));

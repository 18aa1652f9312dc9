-- 015_session_close.sql: closing a session finds its open intervals through its attendance
-- rows, by the intervals' primary key. 013's single statement joined attendance to
-- attendance_intervals on "left_at IS NULL", and the planner answered with a scan of every
-- open interval of every room (hash join): 4 ms per room end with 1,000 rooms of 20 live,
-- growing with what is live (doc/BENCHMARKS.md, Collector). The ids as an array make it an
-- index scan on (attendance_id, …): 0.4 ms. Same results.
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
		 WHERE i.attendance_id = ANY (ARRAY(SELECT a.id FROM attendance a WHERE a.session_id = p_id))
		   AND i.left_at IS NULL
		RETURNING i.attendance_id)
	    SELECT DISTINCT attendance_id FROM closed LOOP
		PERFORM tel_attendance_sum(aid);
	END LOOP;
	UPDATE jitsi_sessions SET ended_at = p_at, estimated = p_est, seen_at = p_at, participants = 0
	 WHERE id = p_id;
END $$;

-- 013_ustats_touched.sql: which users' dashboards a transaction changed, so that the program
-- that commits it can drop their cached /tablero figures from Redis (lib/ustats.c,
-- ustats_commit). Every change a dashboard shows (a meeting created, moved, cancelled; a
-- person invited or removed; attendance) passes through ustats_meetings, whose rows are
-- deleted and inserted again by ustats_meeting(): the old rows name the people who no longer
-- see it, the new ones those who now do. The ids gather in a transaction-local setting, so
-- nothing is stored and a rollback forgets them; duplicates are left out as they come.

CREATE FUNCTION ustats_tg_touched() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	cur text := coalesce(current_setting('sekkan.ustats_touched', true), '');
	ids text;
BEGIN
	IF TG_OP = 'DELETE' THEN
		SELECT string_agg(DISTINCT user_id::text, ',') INTO ids FROM old_rows
		WHERE user_id::text <> ALL (string_to_array(cur, ','));
	ELSE
		SELECT string_agg(DISTINCT user_id::text, ',') INTO ids FROM new_rows
		WHERE user_id::text <> ALL (string_to_array(cur, ','));
	END IF;
	IF ids IS NOT NULL THEN
		PERFORM set_config('sekkan.ustats_touched',
		    CASE WHEN cur = '' THEN ids ELSE cur || ',' || ids END, true);
	END IF;
	RETURN NULL;
END
$$;

-- Per statement, with the statement's rows: one call for a whole meeting's people.
CREATE TRIGGER ustats_touched_ins AFTER INSERT ON ustats_meetings
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ustats_tg_touched();
CREATE TRIGGER ustats_touched_upd AFTER UPDATE ON ustats_meetings
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ustats_tg_touched();
CREATE TRIGGER ustats_touched_del AFTER DELETE ON ustats_meetings
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ustats_tg_touched();

-- 014_ustats_touched.sql: which users' dashboards a transaction changed, so that the program
-- that commits it can drop their cached /tablero figures from Redis (lib/ustats.c,
-- ustats_commit). Every change a dashboard shows (a meeting created, moved, cancelled; a
-- person invited or removed; attendance) passes through ustats_meetings, whose rows are
-- deleted and inserted again by ustats_meeting(): the old rows name the people who no longer
-- see it, the new ones those who now do. A new name changes no row there, so it lists that
-- meeting's people itself. The ids gather in a transaction-local setting, so nothing is
-- stored and a rollback forgets them; each id is listed once.

CREATE FUNCTION ustats_touch(ids bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	cur text := coalesce(current_setting('sekkan.ustats_touched', true), '');
	more text;
BEGIN
	SELECT string_agg(DISTINCT x::text, ',') INTO more FROM unnest(ids) x
	WHERE x IS NOT NULL AND x::text <> ALL (string_to_array(cur, ','));
	IF more IS NOT NULL THEN
		PERFORM set_config('sekkan.ustats_touched',
		    CASE WHEN cur = '' THEN more ELSE cur || ',' || more END, true);
	END IF;
END
$$;

CREATE FUNCTION ustats_tg_touched() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'DELETE' THEN
		PERFORM ustats_touch(ARRAY(SELECT user_id FROM old_rows));
	ELSE
		PERFORM ustats_touch(ARRAY(SELECT user_id FROM new_rows));
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

-- On every update, not "UPDATE OF name": a trigger naming a column would forbid later
-- migrations from changing that column's type.
CREATE FUNCTION ustats_tg_renamed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF OLD.name IS DISTINCT FROM NEW.name THEN
		PERFORM ustats_touch(ARRAY(SELECT user_id FROM ustats_meetings WHERE meeting_id = NEW.id));
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER ustats_touched_name AFTER UPDATE ON meetings
    FOR EACH ROW EXECUTE FUNCTION ustats_tg_renamed();

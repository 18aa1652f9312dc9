-- 007_recurrence.sql: recurring meetings. A series is only the rule it was made with; each
-- occurrence is a meetings row of its own (own room, details page, join window and, later,
-- attendance and calendar UID), expanded once, when the series is created.

-- freq: daily; weekdays (Monday to Friday); weekly on the days of the weekdays bitmask
-- (Monday = 1, Tuesday = 2, … Sunday = 64); monthly on the first occurrence's day of the
-- month, months without that day skipped (RFC 5545). It ends on until_date (inclusive, in
-- the meeting's zone) or after count occurrences: exactly one of the two.
CREATE TABLE meeting_series (
	id		bigserial PRIMARY KEY,
	owner_id	bigint NOT NULL REFERENCES users (id),
	freq		text NOT NULL CHECK (freq IN ('daily', 'weekdays', 'weekly', 'monthly')),
	weekdays	smallint CHECK (weekdays BETWEEN 1 AND 127),
	until_date	date,
	count		integer CHECK (count BETWEEN 1 AND 200),
	created_at	timestamptz NOT NULL DEFAULT now(),
	CHECK ((until_date IS NULL) <> (count IS NULL)),
	CHECK ((freq = 'weekly') = (weekdays IS NOT NULL))
);

ALTER TABLE meetings ADD COLUMN series_id bigint REFERENCES meeting_series (id);
-- "This and the following": a series' occurrences by time.
CREATE INDEX meetings_series_time ON meetings (series_id, starts_at) WHERE series_id IS NOT NULL;

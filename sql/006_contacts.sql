-- 006_contacts.sql: "Contactos": favourite contacts, and the indexes that keep the directory
-- search fast with the whole institution (~25,000 employees) in it.

-- Each user's favourites are directory entries (by RFC, like meeting_participants: they may
-- not have an account yet).
CREATE TABLE favourite_contacts (
	user_id		bigint NOT NULL REFERENCES users (id),
	rfc		text NOT NULL REFERENCES directory (rfc) ON UPDATE CASCADE,
	created_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (user_id, rfc)
);
-- The directory's ON UPDATE CASCADE looks favourites up by RFC.
CREATE INDEX favourite_contacts_by_rfc ON favourite_contacts (rfc);

-- The form names are searched in: lower case without accents, so "hernandez", "HERNÁNDEZ"
-- and "hernández" all find "Luis Hernández Ríos". translate() rather than the unaccent
-- extension: it needs nothing installed, and is immutable as an index expression must be.
-- The upper-case letters are listed too, for databases whose lower() leaves them alone
-- (ctype C). translate() is not cheap (a few microseconds a name), so the folded name is
-- stored beside the name, kept current by PostgreSQL itself, and searched there.
CREATE FUNCTION search_fold(text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT translate(lower($1),
	'ÁÀÄÂÃÉÈËÊÍÌÏÎÓÒÖÔÕÚÙÜÛÑÇáàäâãéèëêíìïîóòöôõúùüûñç',
	'aaaaaeeeeiiiiooooouuuuncaaaaaeeeeiiiiooooouuuunc') $$;
ALTER TABLE directory ADD COLUMN name_search text GENERATED ALWAYS AS (search_fold(name)) STORED;

-- An RFC is searched by its prefix ("GOMA8"); the unique index cannot serve LIKE 'x%' under a
-- collation other than C. Employee numbers are found by the primary key, e-mails exactly or
-- by substring (below), units by their own small table.
CREATE INDEX directory_rfc_prefix ON directory (rfc text_pattern_ops);

-- Words anywhere in a name ("hernández luis") and parts of an e-mail are LIKE '%word%':
-- trigram GIN indexes serve those. pg_trgm ships with PostgreSQL's contrib (in Debian's
-- postgresql-NN package) and is a trusted extension since PostgreSQL 13, so the database
-- owner who runs migrations may create it. Where it is missing or not allowed, the search
-- still works, by scanning the directory: the migration says so rather than failing.
DO $$
BEGIN
	CREATE EXTENSION IF NOT EXISTS pg_trgm;
	CREATE INDEX directory_name_trgm ON directory USING gin (name_search gin_trgm_ops);
	CREATE INDEX directory_email_trgm ON directory USING gin (lower(email) gin_trgm_ops);
EXCEPTION WHEN undefined_file OR insufficient_privilege OR feature_not_supported THEN
	RAISE WARNING 'pg_trgm unavailable (%): the directory search works, but scans the table', SQLERRM;
END
$$;

-- 005_guests.sql: guests without an account: personal links for invited external guests
-- (revocable, replaced on reactivation) and the open guest page's e-mail requirement.

-- 256 random bits as base64url (43 characters). gen_random_uuid() is in core PostgreSQL
-- (13 and later) and draws from the strong random source, so pgcrypto is not needed; two
-- UUIDs because each carries only 122 random bits.
CREATE FUNCTION guest_token_new() RETURNS text LANGUAGE sql VOLATILE AS $$
	SELECT rtrim(translate(encode(uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid()),
	    'base64'), '+/', '-_'), '=')
$$;

-- guest_token: the personal link /i/<token> of an external guest (never of an employee,
-- who signs in); revoked_at: the owner turned the link off.
ALTER TABLE meeting_participants ADD COLUMN guest_token text CHECK (guest_token ~ '^[A-Za-z0-9_-]{32,64}$');
ALTER TABLE meeting_participants ADD COLUMN revoked_at timestamptz;
UPDATE meeting_participants SET guest_token = guest_token_new() WHERE email IS NOT NULL;
ALTER TABLE meeting_participants ADD CHECK ((guest_token IS NULL) = (email IS NULL));
CREATE UNIQUE INDEX meeting_participants_guest_token ON meeting_participants (guest_token)
	WHERE guest_token IS NOT NULL;

-- Every way of adding a guest gets a link without having to remember it (invitation mail
-- included), and no program has to make tokens itself.
CREATE FUNCTION meeting_participants_token() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.email IS NOT NULL AND NEW.guest_token IS NULL THEN
		NEW.guest_token := guest_token_new();
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER meeting_participants_token BEFORE INSERT ON meeting_participants
	FOR EACH ROW EXECUTE FUNCTION meeting_participants_token();

-- Links replaced by "Reactivar": kept so the old link says it was revoked (410) rather
-- than that it never existed.
CREATE TABLE guest_tokens_retired (
	token		text PRIMARY KEY,
	participant_id	bigint NOT NULL REFERENCES meeting_participants (id) ON DELETE CASCADE,
	retired_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX guest_tokens_retired_participant ON guest_tokens_retired (participant_id);

-- The open guest page (/j/<room> without a session) asks for an e-mail too when set.
ALTER TABLE meetings ADD COLUMN guests_need_email boolean NOT NULL DEFAULT false;

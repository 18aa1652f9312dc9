-- 004_personal_rooms.sql: every user's personal room ("Mi sala") and its standing participants.

-- One room per user, made the first time its owner opens /sala. slug is the secret in the
-- shared link (/s/<slug>); room is the Jitsi room name. Both are random (130 bits, the shape
-- of jitsi_room()) and independent, so knowing the Jitsi room (every participant sees it)
-- says nothing about the link. "Regenerar" replaces both at once: the old link finds no row
-- and the old Jitsi room is never signed for again.
CREATE TABLE personal_rooms (
	user_id		bigint PRIMARY KEY REFERENCES users (id),
	slug		text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]{26,64}$'),
	room		text NOT NULL UNIQUE CHECK (room ~ '^[a-z0-9]{26,64}$'),
	lobby		boolean NOT NULL DEFAULT false,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now()
);

-- Standing participants are directory entries (by RFC, like meeting_participants: they may
-- not have an account yet), each with the role they get whenever they enter.
CREATE TABLE personal_room_members (
	user_id		bigint NOT NULL REFERENCES personal_rooms (user_id) ON DELETE CASCADE,
	rfc		text NOT NULL REFERENCES directory (rfc) ON UPDATE CASCADE,
	role		text NOT NULL CHECK (role IN ('moderator', 'participant')),
	created_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (user_id, rfc)
);
-- The directory's ON UPDATE CASCADE, and "the rooms I belong to", look members up by RFC.
CREATE INDEX personal_room_members_by_rfc ON personal_room_members (rfc);

-- mod_sekkan_lobby.lua: turns on Jitsi's lobby in a room whose moderator's token asks for it.
--
-- Load it on the conference MUC component. Sekkan puts context.room.lobby = true in the
-- token of a personal room's moderators when its owner ticked "sala de espera" (lib/jitsi.c).
-- No URL option can turn a lobby on: it is a room setting kept here, by Jitsi's
-- mod_muc_lobby_rooms. So when an occupant whose token carries that claim has joined, this
-- module asks the lobby module to turn the room's lobby on, through the events it listens to
-- on prosody's global bus: "create-persistent-lobby-room" (mod_persistent_lobby: the room
-- also outlives its last occupant while people wait in the lobby), else "create-lobby-room"
-- (mod_muc_lobby_rooms alone). Both take { room = room }; the lobby module makes everyone
-- already inside a member (so nobody is thrown out), makes the room members-only and
-- attaches the lobby room, whose address it keeps in room._data.lobbyroom. Everyone who
-- comes later without an affiliation waits in the lobby until a moderator admits them.
--
-- Why on join, not on room creation: in Jitsi jicofo's focus creates every room, so no
-- token is at hand then; and a participant who arrives before the owner must not close the
-- room with nobody inside who can admit people.
--
-- Why not jitsi-contrib's token_lobby_autostart: it turns the lobby on in every room unless
-- a token says otherwise, and reads session.jitsi_meet_context_room, which the mod_auth_token
-- versions read do not set (they keep context.user, .group and .features only). This module
-- uses that field when some token module sets it, else reads context.room from the token
-- mod_auth_token already verified during SASL (session.auth_token).
--
-- The claim counts only in a moderator's token (context.user.moderator true, or affiliation
-- owner or moderator) and never in a guest's (affiliation guest), whatever else it says.
-- The lobby is turned on once per room: a moderator who turns it off in the meeting is
-- not overruled when another moderator joins.
--
-- Options (component section): none. The lobby itself needs, on the main VirtualHost,
-- "muc_lobby_rooms" (and "persistent_lobby"), lobby_muc and main_muc; see doc/jitsi.md.

local jid = require "util.jid";
local json = require "util.json";
local base64 = require "util.encodings".base64;

local function truthy(v) return v == true or v == "true"; end

-- The JSON payload of a compact JWT, without checking it: mod_auth_token checked the
-- signature, issuer, audience and dates before this session could sign in at all.
local function jwt_payload(token)
	if type(token) ~= "string" then return nil; end
	local b64 = token:match("^[%w_-]+%.([%w_-]+)%.[%w_-]*$");
	if b64 == nil then return nil; end
	b64 = b64:gsub("%-", "+"):gsub("_", "/");
	b64 = b64 .. string.rep("=", (4 - #b64 % 4) % 4);
	local raw = base64.decode(b64);
	local ok, claims = pcall(json.decode, raw or "");
	if ok and type(claims) == "table" then return claims; end
	return nil;
end

-- Whether this session's token asks for the lobby, and the token's user id for the log.
local function wants_lobby(session)
	if session == nil or session.auth_token == nil then return false; end
	local user, room = session.jitsi_meet_context_user, session.jitsi_meet_context_room;
	if room == nil then
		local claims = jwt_payload(session.auth_token);
		local ctx = claims and claims.context;
		if type(ctx) ~= "table" then return false; end
		room, user = ctx.room, user or ctx.user;
	end
	if type(room) ~= "table" or not truthy(room.lobby) or type(user) ~= "table" then
		return false;
	end
	if user.affiliation == "guest" then return false; end
	if not (truthy(user.moderator) or user.affiliation == "owner" or user.affiliation == "moderator") then
		return false;
	end
	return true, tostring(user.id);
end

module:hook("muc-occupant-joined", function(event)
	local room = event.room;
	local node = jid.node(room.jid);
	if node == nil or node:sub(1, 21) == "__jicofo-health-check" then return; end
	if room._data.lobbyroom ~= nil or room._data.sekkan_lobby_done then return; end
	local want, who = wants_lobby(event.origin);
	if not want then return; end
	-- Once per room, and before firing: the lobby module's own events come back here.
	room._data.sekkan_lobby_done = true;
	prosody.events.fire_event("create-persistent-lobby-room", { room = room });
	if room._data.lobbyroom == nil then
		prosody.events.fire_event("create-lobby-room", { room = room });
	end
	if room._data.lobbyroom == nil then
		module:log("error", "room %s: a moderator's token asks for the lobby but no lobby module answered"
			.. " (load muc_lobby_rooms and persistent_lobby on the main VirtualHost)", room.jid);
		return;
	end
	module:log("info", "room %s: lobby on, asked by the token of user %s", room.jid, who);
end, -10);

module:log("info", "turning lobbies on from tokens in %s", module.host);

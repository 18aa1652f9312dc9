-- mod_sekkan_test_lobby.lua: TEST FIXTURE, loaded only by tools/dev test instances.
-- Jitsi's mod_muc_lobby_rooms and mod_persistent_lobby (not packaged by Debian) turn a
-- room's lobby on when "create-lobby-room" or "create-persistent-lobby-room" is fired on
-- prosody's global bus with { room = room }. This stands in for them with the same contract
-- and the part of their effect that decides who gets in: everyone already inside becomes a
-- member, the room becomes members-only, and room._data.lobbyroom names the lobby. A later
-- occupant without an affiliation is then refused with registration-required, which is
-- where Jitsi's client goes to the lobby. No lobby room is made and the room is not made
-- persistent (the real persistent_lobby keeps it until both are empty): tests only need
-- to see who is let in.
local st = require "util.stanza";
local jid = require "util.jid";

local function lobby_on(event)
	local room = event.room;
	if room == nil or room._data.lobbyroom ~= nil then return; end
	for _, occupant in room:each_occupant() do
		local aff = room:get_affiliation(occupant.bare_jid);
		if aff == nil or aff == "none" then
			room:set_affiliation(true, occupant.bare_jid, "member");
		end
	end
	room:set_members_only(true);
	room._data.lobbyroom = jid.node(room.jid) .. "@lobby." .. module.host:gsub("^conference%.", "");
	-- Status 104 tells the occupants the configuration changed, as the real module does.
	room:broadcast_message(st.message({ type = "groupchat", from = room.jid })
		:tag("x", { xmlns = "http://jabber.org/protocol/muc#user" }):tag("status", { code = "104" }));
	module:log("info", "TEST lobby on in %s (%s)", room.jid, event.persistent and "persistent" or "plain");
end

module:hook_global("create-lobby-room", lobby_on);
module:hook_global("create-persistent-lobby-room", function(event)
	lobby_on({ room = event.room, persistent = true });
end);

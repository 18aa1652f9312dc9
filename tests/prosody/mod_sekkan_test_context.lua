-- mod_sekkan_test_context.lua: TEST FIXTURE, loaded only by tools/dev test instances.
-- Jitsi's mod_auth_token (which Debian does not package) verifies the JWT and puts its
-- context.user on the session as jitsi_meet_context_user. This stands in for that step: for
-- accounts listed in a JSON file the test writes, it sets the same fields at resource bind,
-- so mod_sekkan_events and mod_sekkan_lobby see what they would in Jitsi. An entry is either
-- context.user itself ({"member-42": {"id": "42", "name": …}}) or a whole JWT as Sekkan
-- signed it ({"owner-1": "eyJ…"}): then, as mod_auth_token does, the token is kept as
-- session.auth_token and its room and context.user are bound to the session (context.room
-- is not, as in the mod_auth_token versions read). The tests check the signature with
-- PyJWT; here only the payload is read.
local json = require "util.json";
local base64 = require "util.encodings".base64;
local file = module:get_option_string("sekkan_test_context_file");

local function payload(token)
	local b64 = token:match("^[%w_-]+%.([%w_-]+)%.[%w_-]*$");
	if b64 == nil then return nil; end
	b64 = b64:gsub("%-", "+"):gsub("_", "/");
	return json.decode(base64.decode(b64 .. string.rep("=", (4 - #b64 % 4) % 4)) or "");
end

module:hook("resource-bind", function(event)
	local session = event.session;
	local f = file and io.open(file, "r");
	if not f then return; end
	local data = json.decode(f:read("*a"));
	f:close();
	local entry = type(data) == "table" and data[session.username];
	if type(entry) == "table" then
		session.jitsi_meet_context_user = entry;
	elseif type(entry) == "string" then
		local claims = payload(entry);
		if type(claims) ~= "table" then
			module:log("error", "TEST token for %s is not a JWT", session.username);
			return;
		end
		session.auth_token = entry;
		session.jitsi_meet_room = claims.room;
		session.jitsi_meet_context_user = type(claims.context) == "table" and claims.context.user or nil;
	end
end);

-- mod_sekkan_test_context.lua: TEST FIXTURE, loaded only by tools/dev test instances.
-- Jitsi's mod_auth_token (which Debian does not package) verifies the JWT and puts its
-- context.user on the session as jitsi_meet_context_user. This stands in for that step: for
-- accounts listed in a JSON file the test writes ({"member-42": {"id": "42", "name": …}}),
-- it sets the same field at resource bind, so mod_sekkan_events sees what it would in Jitsi.
local json = require "util.json";
local file = module:get_option_string("sekkan_test_context_file");

module:hook("resource-bind", function(event)
	local session = event.session;
	local f = file and io.open(file, "r");
	if not f then return; end
	local data = json.decode(f:read("*a"));
	f:close();
	if type(data) == "table" and type(data[session.username]) == "table" then
		session.jitsi_meet_context_user = data[session.username];
	end
end);

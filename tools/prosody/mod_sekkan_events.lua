-- mod_sekkan_events.lua: tells Sekkan's collector about Jitsi conference rooms and occupants.
--
-- Load it on the conference MUC component. On room created, occupant joined, occupant left
-- and room destroyed it sends one message to the collector's account (sekkan_collector_jid)
-- carrying <event xmlns="urn:xmpp:sekkan:jitsi:0"/>; the format is in doc/telemetry.md.
-- Messages go to an account, not a session, so prosody's offline storage keeps them while
-- the collector is away. It also answers the collector's census IQ: every live room and
-- occupant, with the times it reported them, so a collector that was killed mid-stream can
-- recover joins it lost and close what ended while it was gone.
--
-- Options (component section):
--   sekkan_collector_jid = "collector@auth.meet.example.gob.mx"   -- required
--   sekkan_events_skip_nicks = { "focus" }     -- occupants never reported (jicofo)
--   sekkan_events_skip_users = { "focus" }     -- account names (node) never reported
--   sekkan_census_page_rooms = 100, sekkan_census_page_occupants = 400   -- census page size
-- Skipped always: jicofo's health-check rooms (__jicofo-health-check…).

local st = require "util.stanza";
local jid = require "util.jid";
local now = require "util.time".now;
local uuid = require "util.uuid".generate;

local NS = "urn:xmpp:sekkan:jitsi:0";
local collector = module:get_option_string("sekkan_collector_jid");
local skip_nicks = module:get_option_set("sekkan_events_skip_nicks", { "focus" });
local skip_users = module:get_option_set("sekkan_events_skip_users", { "focus" });

if not collector then
	module:log("error", "sekkan_collector_jid is not set: no events will be sent");
end

-- What we reported, so the census tells the same times: [room jid] = { created, occ = { [nick] = event } }.
local live = {};

local function ts() return string.format("%.3f", now()); end

local function skip_room(room)
	local node = jid.node(room.jid);
	return node == nil or node:sub(1, 21) == "__jicofo-health-check";
end

local function skip_occupant(occupant)
	local nick = jid.resource(occupant.nick);
	if nick == nil or skip_nicks:contains(nick) then return true; end
	local user = occupant.bare_jid and jid.node(occupant.bare_jid);
	return user ~= nil and skip_users:contains(user);
end

local function send(ev)
	if not collector then return; end
	local m = st.message({ to = collector, from = module.host, type = "normal", id = uuid() });
	m:add_child(ev);
	module:send(m);
end

local function str(v)
	if v == nil then return nil; end
	v = tostring(v);
	-- No control characters (the collector refuses them) and a sane length.
	v = v:gsub("[%z\1-\31\127]", ""):sub(1, 250);
	return v;
end

-- Who the occupant is: the JWT context the token module put on the session, else what the
-- client said in its presence (display name, e-mail), which makes it a guest.
local function identity(occupant, origin, stanza)
	local session = origin;
	if session == nil or session.jitsi_meet_context_user == nil then
		session = prosody.full_sessions[occupant.jid] or session;
	end
	local user = session and session.jitsi_meet_context_user;
	if type(user) == "table" then
		local moderator = user.moderator == true or user.moderator == "true"
			or user.affiliation == "owner" or user.affiliation == "moderator";
		local guest = user.affiliation == "guest" or user.id == nil;
		return { source = "token", id = str(user.id), name = str(user.name), email = str(user.email),
			affiliation = str(user.affiliation), moderator = moderator and "true" or "false" }, guest;
	end
	local pr = stanza or occupant:get_presence();
	local name = pr and pr:get_child_text("nick", "http://jabber.org/protocol/nick");
	local email = pr and pr:get_child_text("email");
	return { source = "presence", name = str(name), email = str(email),
		moderator = occupant.role == "moderator" and "true" or "false" }, true;
end

local function occupant_event(room, nick, t, id, guest)
	local ev = st.stanza("event", { xmlns = NS, type = "joined", room = jid.node(room.jid),
		occupant = nick, ts = t, guest = guest and "true" or "false" });
	ev:tag("identity", id):up();
	return ev;
end

-- prosody 0.12 fires muc-room-created after the first occupant's muc-occupant-joined, so
-- whichever comes first reports the creation and the other finds it done.
local function created(room)
	local r = live[room.jid];
	if r then return r; end
	r = { created = ts(), occ = {} };
	live[room.jid] = r;
	send(st.stanza("event", { xmlns = NS, type = "created", room = jid.node(room.jid), ts = r.created }));
	return r;
end

module:hook("muc-room-created", function(event)
	if skip_room(event.room) then return; end
	created(event.room);
end, -100);

module:hook("muc-occupant-joined", function(event)
	local room, occupant = event.room, event.occupant;
	if skip_room(room) or skip_occupant(occupant) then return; end
	local r = created(room);
	local nick = jid.resource(occupant.nick);
	local id, guest = identity(occupant, event.origin, event.stanza);
	local ev = occupant_event(room, nick, ts(), id, guest);
	r.occ[nick] = ev;
	send(st.clone(ev));
end, -100);

module:hook("muc-occupant-left", function(event)
	local room, occupant = event.room, event.occupant;
	local r = live[room.jid];
	local nick = occupant and jid.resource(occupant.nick);
	if r == nil or nick == nil or r.occ[nick] == nil then return; end
	r.occ[nick] = nil;
	send(st.stanza("event", { xmlns = NS, type = "left", room = jid.node(room.jid), occupant = nick, ts = ts() }));
end, -100);

module:hook("muc-room-destroyed", function(event)
	local room = event.room;
	if live[room.jid] == nil then return; end
	live[room.jid] = nil;
	send(st.stanza("event", { xmlns = NS, type = "destroyed", room = jid.node(room.jid), ts = ts() }));
end, -100);

-- The census, only for the collector's own account. 1,000 rooms of 20 would make one answer
-- of megabytes, over any sane stanza cap, so it goes in pages of a snapshot taken at the
-- first request: <census/> starts one and answers page 1 of N; <census snapshot= page=/>
-- fetches the others. Only the latest snapshot per collector account is kept.
local PAGE_OCCUPANTS = module:get_option_number("sekkan_census_page_occupants", 400);
local PAGE_ROOMS = module:get_option_number("sekkan_census_page_rooms", 100);
local snapshots = {};

local function snapshot()
	local snap = { id = uuid(), ts = ts(), pages = {} };
	local cur, nocc = {}, 0;
	for room_jid, r in pairs(live) do
		local el = st.stanza("room", { name = jid.node(room_jid), created = r.created });
		local n = 0;
		for _, ev in pairs(r.occ) do
			el:add_child(st.clone(ev));
			n = n + 1;
		end
		if #cur > 0 and (nocc + n > PAGE_OCCUPANTS or #cur >= PAGE_ROOMS) then
			table.insert(snap.pages, cur);
			cur, nocc = {}, 0;
		end
		table.insert(cur, el);
		nocc = nocc + n;
	end
	table.insert(snap.pages, cur);
	return snap;
end

module:hook("iq-get/host/" .. NS .. ":census", function(event)
	local origin, stanza = event.origin, event.stanza;
	local who = jid.bare(stanza.attr.from);
	if collector == nil or who ~= jid.bare(collector) then
		origin.send(st.error_reply(stanza, "auth", "forbidden"));
		return true;
	end
	local req = stanza:get_child("census", NS);
	local snap, page;
	if req.attr.snapshot == nil then
		snap, page = snapshot(), 1;
		snapshots[who] = snap;
	else
		snap, page = snapshots[who], tonumber(req.attr.page);
		if snap == nil or snap.id ~= req.attr.snapshot or page == nil or snap.pages[page] == nil then
			origin.send(st.error_reply(stanza, "cancel", "item-not-found"));
			return true;
		end
	end
	local reply = st.reply(stanza):tag("census", { xmlns = NS, ts = snap.ts, snapshot = snap.id,
		page = tostring(page), pages = tostring(#snap.pages) });
	for _, el in ipairs(snap.pages[page]) do
		reply:add_child(el);
	end
	if page == #snap.pages then
		snapshots[who] = nil;
	end
	origin.send(reply);
	return true;
end);

module:log("info", "reporting rooms of %s to %s", module.host, tostring(collector));

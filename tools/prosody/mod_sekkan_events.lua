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
-- Delivery (doc/telemetry.md, "Acknowledgement"): each event carries seq (1, 2, … in this
-- prosody process) and epoch (an id of the process). prosody drops a message once it has
-- written it to a live session, so what a collector had not stored when it was killed (in
-- its socket, or read but not committed) would be lost. While a collector that acknowledges
-- is online, each event sent to it is kept here until it acknowledges its seq (an <ack/> IQ
-- after each commit); on reconnecting, before its initial presence makes prosody hand over
-- the offline messages, it asks for a <replay/> and gets every event not acknowledged, in
-- order, then its offline messages (taken from mod_offline's store into the same queue), then
-- the answer. Events sent while no such session is online go to offline storage and are not
-- kept. The queue is bounded (sekkan_events_unacked_max); a collector that never
-- acknowledges (an older one) never has anything kept for it.
--
-- Options (component section):
--   sekkan_collector_jid = "collector@auth.meet.example.gob.mx"   -- required
--   sekkan_events_skip_nicks = { "focus" }     -- occupants never reported (jicofo)
--   sekkan_events_skip_users = { "focus" }     -- account names (node) never reported
--   sekkan_census_page_rooms = 100, sekkan_census_page_occupants = 400   -- census page size
--   sekkan_events_unacked_max = 20000          -- events kept for the collector until acknowledged
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

-- What was sent to a live collector and not yet acknowledged: unacked[first .. last], each
-- { seq =, epoch =, stanza = }, in the order sent. A table used as a queue (indices only grow),
-- so dropping the oldest is O(1).
local epoch = uuid();
local seq = 0;
local unacked, first, last = {}, 1, 0;
local UNACKED_MAX = module:get_option_number("sekkan_events_unacked_max", 20000);
local overflow_logged = false;
local collector_bare = collector and jid.bare(collector);
local collector_node, collector_host = nil, nil;
if collector_bare then collector_node, collector_host = jid.split(collector_bare); end

-- Where an event goes now. To the account (prosody delivers it to the top resources, those
-- with a presence of priority >= 0, or else stores it offline) and kept when one of those
-- acknowledges; or, while a collector that acknowledges is signed in but has not yet sent
-- its presence (between its replay and its presence), to that session itself, kept: offline
-- it would be handed over unprotected. Returns the full JID for the latter, true to keep.
local function route()
	local user = collector_bare and prosody.bare_sessions[collector_bare];
	if user == nil then return nil, false; end
	for _, session in ipairs(user.top_resources or {}) do
		if session.sekkan_acks then return nil, true; end
	end
	if user.top_resources == nil then
		for _, session in pairs(user.sessions or {}) do
			if session.sekkan_acks and session.full_jid then return session.full_jid, true; end
		end
	end
	return nil, false;
end

local function keep(n, ep, m, bounded)
	last = last + 1;
	unacked[last] = { seq = n, epoch = ep, stanza = m };
	if bounded and last - first + 1 > UNACKED_MAX then
		unacked[first] = nil;
		first = first + 1;
		if not overflow_logged then
			-- Once per overflow: the collector stopped acknowledging (stopped, stuck, or its
			-- database away); the census repairs what a crash loses from here on.
			module:log("warn", "%d events not acknowledged by %s: dropping the oldest from the replay queue",
				UNACKED_MAX, collector_bare);
			overflow_logged = true;
		end
	end
end

local function send(ev)
	if not collector then return; end
	seq = seq + 1;
	ev.attr.seq = tostring(seq);
	ev.attr.epoch = epoch;
	local m = st.message({ to = collector, from = module.host, type = "normal", id = uuid() });
	m:add_child(ev);
	local to, kept = route();
	if kept then keep(seq, epoch, m, true); end
	if to then
		m = st.clone(m);
		m.attr.to = to;
	end
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
	send(st.clone(ev));	-- the census lists ev itself, without seq: it is no delivery
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

-- The collector's acknowledgement: <ack epoch= seq=/>, everything up to seq is stored. An ack
-- for another epoch (events of an earlier prosody process, handed over from offline storage)
-- concerns nothing kept here.
module:hook("iq-set/host/" .. NS .. ":ack", function(event)
	local origin, stanza = event.origin, event.stanza;
	if collector == nil or jid.bare(stanza.attr.from) ~= collector_bare then
		origin.send(st.error_reply(stanza, "auth", "forbidden"));
		return true;
	end
	local req = stanza:get_child("ack", NS);
	local n = tonumber(req.attr.seq);
	if n == nil then
		origin.send(st.error_reply(stanza, "modify", "bad-request"));
		return true;
	end
	origin.sekkan_acks = true;
	-- Everything up to the last kept event of that epoch with seq <= n was stored (they arrive
	-- in the order kept; an epoch's seqs only grow); offline ones of an earlier epoch too.
	local upto;
	for i = first, last do
		local e = unacked[i];
		if e.epoch == req.attr.epoch then
			if e.seq > n then break; end
			upto = i;
		end
	end
	if upto then
		for i = first, upto do unacked[i] = nil; end
		first = upto + 1;
		if first > last then overflow_logged = false; end
	end
	origin.send(st.reply(stanza));
	return true;
end);

-- The collector, signed in but before its initial presence, asks for what it may have lost:
-- every event kept, in order, to this session (its full JID: without a presence a message to
-- the bare JID would go to offline storage, behind what is there), then the answer. From now
-- on this session acknowledges, so events sent to it are kept. The account's offline messages
-- (mod_offline's store) come too, after those, and are kept like them: mod_offline would hand
-- them over at the presence and delete them at once, so a collector killed during that
-- hand-over would lose them.
local storagemanager = require "core.storagemanager";

local function take_offline()
	local store = storagemanager.open(collector_host, "offline", "archive");
	local data = store and store:find(collector_node);
	local out = {};
	if not data then return out; end
	for _, stanza in data do
		table.insert(out, stanza);
	end
	if #out > 0 then store:delete(collector_node); end
	return out;
end

module:hook("iq-set/host/" .. NS .. ":replay", function(event)
	local origin, stanza = event.origin, event.stanza;
	if collector == nil or jid.bare(stanza.attr.from) ~= collector_bare then
		origin.send(st.error_reply(stanza, "auth", "forbidden"));
		return true;
	end
	origin.sekkan_acks = true;
	local held = last - first + 1;
	for _, m in ipairs(take_offline()) do
		local ev = m:get_child("event", NS);
		local n = ev and tonumber(ev.attr.seq);
		if n and m.attr.from == module.host then
			keep(n, ev.attr.epoch, m, false);	-- all of them: the bound is for live sends
		else
			m = st.clone(m);
			m.attr.to = stanza.attr.from;
			module:send(m);		-- not ours (a chat message): passed on, not kept
		end
	end
	local n = 0;
	for i = first, last do
		local m = st.clone(unacked[i].stanza);
		m.attr.to = stanza.attr.from;
		module:send(m);
		n = n + 1;
	end
	module:log("debug", "replay to %s: %d kept, %d from offline storage", stanza.attr.from, held, n - held);
	origin.send(st.reply(stanza):tag("replay", { xmlns = NS, epoch = epoch, seq = tostring(seq),
		count = tostring(n) }));
	return true;
end);

module:log("info", "reporting rooms of %s to %s (epoch %s)", module.host, tostring(collector), epoch);

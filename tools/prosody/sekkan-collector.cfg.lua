-- sekkan-collector.cfg.lua: the prosody settings Sekkan's collector needs. A SNIPPET, not a config.
--
-- Merge into the prosody config of your Jitsi Meet domain (Debian:
-- /etc/prosody/conf.avail/meet.example.gob.mx.cfg.lua), next to sekkan-token.cfg.lua's lines.
-- Replace meet.example.gob.mx with your Jitsi domain. Then, as root:
--   cp mod_sekkan_events.lua /usr/share/jitsi-meet/prosody-plugins/   (any of plugin_paths)
--   prosodyctl register collector auth.meet.example.gob.mx "$(cat /etc/sekkan/collector-password)"
--   systemctl restart prosody
-- and set the Collector.* keys of /etc/sekkan/sekkan.hdf (sekkan.conf(5)). Checked on Debian
-- 12's prosody 0.12.3 by tools/dev, whose own full config is tools/prosody/dev.cfg.lua.in.

---------------------------------------------------------------------------------------------
-- Global section.
---------------------------------------------------------------------------------------------

-- XMPP over WebSocket (RFC 7395) at http://127.0.0.1:5280/xmpp-websocket. Debian's stock
-- config has it commented out; Jitsi's web client usually has it on already.
modules_enabled = {
    -- ... the modules already listed ...
    "websocket";
    "offline";      -- keeps the events while the collector is away (on by default)
}

-- The collector connects over loopback ws://; without this prosody offers no sign-in on a
-- connection it does not consider encrypted. For a collector on another machine use wss://
-- (https_ports and a certificate for the host in the collector's Collector.URL; prosody 0.12
-- refuses TLS server names that are not among its VirtualHosts, so use one of those, e.g.
-- meet.example.gob.mx, or let the nginx that serves Jitsi end TLS) and leave this line out.
consider_websocket_secure = true

---------------------------------------------------------------------------------------------
-- The internal auth host: jicofo, the videobridges and now the collector have accounts here.
-- Debian's file has it already; nothing to change but the account (prosodyctl register).
---------------------------------------------------------------------------------------------

-- VirtualHost "auth.meet.example.gob.mx"
--     authentication = "internal_hashed"    -- SCRAM-SHA-1, which the collector uses

---------------------------------------------------------------------------------------------
-- The bridges' brewery MUC. Debian's file has it; if it filters who may join
-- (muc_filter_access), the collector's host auth.<domain> must be in the whitelist, which it
-- normally is already.
---------------------------------------------------------------------------------------------

-- Component "internal.auth.meet.example.gob.mx" "muc"
--     muc_filter_whitelist = { "auth.meet.example.gob.mx" }

---------------------------------------------------------------------------------------------
-- The conference MUC component: ADD the module to the list it already has.
---------------------------------------------------------------------------------------------

Component "conference.meet.example.gob.mx" "muc"
    modules_enabled = {
        -- ... the modules already listed here (token_verification, muc_meeting_id, ...) ...
        "sekkan_events";
    }
    -- Where the events go: the collector's account (Collector.User @ Collector.Domain).
    sekkan_collector_jid = "collector@auth.meet.example.gob.mx"
    -- Occupants never reported: jicofo's focus (nick and account). Defaults shown.
    -- sekkan_events_skip_nicks = { "focus" }
    -- sekkan_events_skip_users = { "focus" }
    -- Events sent to the live collector and kept until it acknowledges them (it stores them
    -- first), replayed when it signs in again after a crash; the oldest go beyond this.
    -- sekkan_events_unacked_max = 20000

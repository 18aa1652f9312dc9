-- sekkan-token.cfg.lua: the prosody settings Sekkan's Jitsi tokens need. A SNIPPET, not a config.
--
-- Merge these lines into the prosody config of your Jitsi Meet domain (Debian:
-- /etc/prosody/conf.avail/meet.example.gob.mx.cfg.lua, written by jitsi-meet-prosody and,
-- for tokens, jitsi-meet-tokens). Keep what that file already has; change only the keys
-- named here. Replace meet.example.gob.mx with your Jitsi domain, and "sekkan", "jitsi"
-- and the secret with the values of Jitsi.AppID, Jitsi.Audience and Jitsi.SecretFile in
-- /etc/sekkan/sekkan.hdf. Why each line is here: tools/prosody/README.md. For personal
-- rooms' "sala de espera", also copy Sekkan's module into one of plugin_paths:
--   cp mod_sekkan_lobby.lua /usr/share/jitsi-meet/prosody-plugins/
-- Restart prosody after the change (systemctl restart prosody), then jicofo
-- (jicofo.conf.snippet).
--
-- Written from the documented key names (lib-jitsi-meet doc/tokens.md; jitsi-meet
-- resources/prosody-plugins/token/util.lib.lua, mod_token_verification.lua,
-- mod_token_affiliation.lua, mod_muc_wait_for_host.lua, mod_muc_lobby_rooms.lua,
-- mod_persistent_lobby.lua). Checked with luac -p only.

---------------------------------------------------------------------------------------------
-- Global section: before the first VirtualHost of the file.
---------------------------------------------------------------------------------------------

-- Jitsi's plugins (mod_auth_token, token_verification, token_affiliation, ...); Debian's
-- file already has this line.
plugin_paths = { "/usr/share/jitsi-meet/prosody-plugins/" }

-- The domain the conference MUC hangs from (conference.<this>); Debian's file sets it.
-- token_verification needs it when enable_domain_verification is on.
muc_mapper_domain_base = "meet.example.gob.mx"

-- The token's "iss" must be in the first list and its "aud" in the second. Older plugins
-- defaulted to { app_id } and { "*" }; newer ones want both set. Sekkan sends
-- iss = Jitsi.AppID and aud = Jitsi.Audience. (They may also go inside the VirtualHost.)
asap_accepted_issuers = { "sekkan" }
asap_accepted_audiences = { "jitsi" }

---------------------------------------------------------------------------------------------
-- The main VirtualHost: where browsers with a Sekkan token sign in (SASL ANONYMOUS, the
-- token checked by mod_auth_token).
---------------------------------------------------------------------------------------------

VirtualHost "meet.example.gob.mx"
    -- Debian's default is "jitsi-anonymous"; jitsi-meet-tokens switches it to "token".
    authentication = "token"

    -- Jitsi.AppID in sekkan.hdf. Required by the plugin even though Sekkan's tokens are
    -- matched through asap_accepted_issuers above.
    app_id = "sekkan"

    -- The shared HS256 key: exactly the bytes of the file named by Jitsi.SecretFile, without
    -- the trailing newline. 16 to 256 bytes; make it with `openssl rand -hex 32` so it is
    -- letters and digits only and fits between Lua's double quotes unchanged.
    app_secret = "CHANGE-ME-the-content-of-/etc/sekkan/jitsi-secret"

    -- Sekkan signs HS256 only; newer plugins read this key (default HS256), older ones
    -- ignore it.
    signature_algorithm = "HS256"

    -- No token, no connection on this host. Guests without a token use the guest host
    -- below instead, never an empty token here.
    allow_empty_token = false

    -- Sekkan always sends "room"; keep it required (the default).
    asap_require_room_claim = true

    -- Off (the default): "sub" is not checked, rooms are matched by the "room" claim alone.
    -- On: "sub" must be this domain (conference.<sub> = the MUC) or, for tenant URLs
    -- https://meet.example.gob.mx/<tenant>/<room>, the tenant; "*" then needs
    -- muc_mapper_domain_base. Set Jitsi.Subject in sekkan.hdf to match before turning it on.
    enable_domain_verification = false

    -- Keep the modules_enabled list Debian wrote for this host. Jitsi's lobby lives here:
    -- "muc_lobby_rooms" (Debian's list has it, with lobby_muc, main_muc and the Component
    -- "lobby.meet.example.gob.mx" it needs) turns a room's lobby on when mod_sekkan_lobby
    -- asks; ADD "persistent_lobby" so the room also outlives its last occupant while people
    -- wait in the lobby (mod_sekkan_lobby asks that module first). Both are needed as well
    -- for guests held until a moderator arrives (optional, see below).
    modules_enabled = {
        -- ... the modules already listed here, "muc_lobby_rooms" among them ...
        "persistent_lobby";
    }
    lobby_muc = "lobby.meet.example.gob.mx"      -- Debian's file has both
    main_muc = "conference.meet.example.gob.mx"

---------------------------------------------------------------------------------------------
-- The conference MUC component: where rooms are created and joined.
---------------------------------------------------------------------------------------------

Component "conference.meet.example.gob.mx" "muc"
    -- ADD the two names to the list this component already has (muc_meeting_id,
    -- muc_domain_mapper, polls, ...); do not replace the list. Not on the breakout or lobby
    -- components.
    --   token_verification: a token only opens the room named in its "room" claim
    --     (checked when a room is created and when someone joins).
    --   token_affiliation: context.user.moderator "true" (or affiliation owner) makes the
    --     occupant owner, so moderator; any other token holder is member. Needs jicofo's
    --     enable-auto-owner = false and jicofo's own authentication off.
    --   sekkan_lobby (Sekkan's mod_sekkan_lobby.lua): when a moderator whose token carries
    --     context.room.lobby (a personal room with "sala de espera" on) has joined, turns
    --     the room's lobby on through muc_lobby_rooms / persistent_lobby above.
    modules_enabled = {
        -- ... the modules already listed here ...
        "token_verification";
        "token_affiliation";
        "sekkan_lobby";
        -- "muc_wait_for_host";   -- optional, with the guest host below
    }

    -- Optional: people without a token (guest host) may not change the room configuration.
    -- token_verification_require_token_for_moderation = true

    -- Only with "muc_wait_for_host": without this line that module makes EVERY token holder
    -- owner, undoing token_affiliation's member for participants.
    -- wait_for_host_disable_auto_owners = true

---------------------------------------------------------------------------------------------
-- Optional: a guest host for people who reach Jitsi with a bare link and no token. Sekkan
-- itself never sends anyone here. Internal name: no DNS record, no certificate. config.js
-- must name it as hosts.anonymousdomain (config.js.snippet). Anyone who knows a room name can
-- then knock; with "muc_wait_for_host" above they wait in the lobby until a token holder is
-- in the room.
---------------------------------------------------------------------------------------------

-- VirtualHost "guest.meet.example.gob.mx"
--     authentication = "jitsi-anonymous"   -- older jitsi-meet-prosody: "anonymous"
--     c2s_require_encryption = false

# sala_lobby.py: the XMPP half of t30_sala_lobby.sh. Real clients (slixmpp) on the test
# instance's prosody enter a personal room with the tokens Sekkan signed (bound to their
# sessions by tests/prosody/mod_sekkan_test_context.lua, as Jitsi's mod_auth_token would)
# and show what tools/prosody/mod_sekkan_lobby.lua does with them, with Jitsi's lobby
# module played by tests/prosody/mod_sekkan_test_lobby.lua: the owner's token with the lobby
# request makes the room members-only (a guest gets registration-required, which sends
# Jitsi's client to the lobby) without throwing out who was already in; the owner's token
# without it, a participant's and a guest's (even one claiming the lobby) leave it open.
import asyncio
import os
import sys
from xml.sax.saxutils import quoteattr

sys.path.insert(0, os.path.dirname(__file__))
from jitsi_sim import CONFERENCE, DOMAIN, Tap

import slixmpp

C2S = int(os.environ["C2S"])
ROOM = os.environ["LOBBY_ROOM"]
PW = os.environ["LOBBY_PW"]
RJID = "%s@%s" % (ROOM, CONFERENCE)
tap = Tap(int(os.environ.get("TAP_START", "0")))


class Client(slixmpp.ClientXMPP):
    """One participant: joins with the presence shape Jitsi's client sends, keeps what the room said."""

    def __init__(self, user, nick):
        if user:
            super().__init__("%s@%s" % (user, DOMAIN), PW)
        else:
            super().__init__("guest." + DOMAIN, "")
        self.nick = nick
        self.full = "%s/%s" % (RJID, nick)
        self.online = asyncio.Event()
        self.self_presence = None       # our own presence back from the room (joined or error)
        self.kicked = False             # an unavailable for us we did not ask for
        self.leaving = False
        self.got = asyncio.Event()
        self.register_plugin("xep_0030")
        self.add_event_handler("session_start", self._start)
        self.add_event_handler("presence", self._presence)

    async def _start(self, event):
        self.send_presence()
        self.online.set()

    def _presence(self, pr):
        if str(pr["from"]) != self.full:
            return
        if pr["type"] == "unavailable" and not self.leaving:
            self.kicked = True
        if self.self_presence is None:
            self.self_presence = pr
            self.got.set()

    async def join(self):
        self.connect(address=("127.0.0.1", C2S), force_starttls=False, disable_starttls=True)
        await asyncio.wait_for(self.online.wait(), 30)
        self.send_raw("<presence to=%s><x xmlns='http://jabber.org/protocol/muc'/>"
                      "<nick xmlns='http://jabber.org/protocol/nick'>%s</nick></presence>"
                      % (quoteattr(self.full), self.nick))
        await asyncio.wait_for(self.got.wait(), 30)
        pr = self.self_presence
        if pr["type"] == "error":
            return pr["error"]["condition"]
        return "joined"

    async def members_only(self):
        info = await self.plugin["xep_0030"].get_info(jid=RJID, cached=False)
        return "muc_membersonly" in info["disco_info"]["features"]

    async def leave(self):
        self.leaving = True
        if self.self_presence is not None and self.self_presence["type"] != "error":
            self.send_raw("<presence to=%s type='unavailable'/>" % quoteattr(self.full))
            await asyncio.sleep(0.3)
        self.disconnect()
        await asyncio.sleep(0.1)


async def until(pred, seconds=5.0):
    """Polls an async predicate: prosody acts on the join after answering it."""
    for _ in range(int(seconds * 10)):
        if await pred():
            return True
        await asyncio.sleep(0.1)
    return False


async def main():
    # 1. The flag on: a participant first, then the owner.
    x = Client("lobby-x", "participante")
    tap.ok(await x.join() == "joined", "flag on: a participant enters the empty room first")
    tap.ok(not await x.members_only(), "and the room stays open: a participant's token asks for nothing")
    owner = Client("lobby-on", "duena")
    tap.ok(await owner.join() == "joined", "the owner enters with the token that asks for the lobby")
    tap.ok(await until(owner.members_only), "the lobby is on: the room is members-only")
    g = Client(None, "invitado")
    cond = await g.join()
    tap.ok(cond == "registration-required", "a guest who comes now gets registration-required "
           "(Jitsi's client goes to the lobby)", cond)
    await g.leave()
    await asyncio.sleep(0.3)
    tap.ok(not x.kicked, "the participant who was already in stays in the room")
    await owner.leave()
    await x.leave()
    await asyncio.sleep(0.5)

    # 2. The flag off: the owner's token without the request.
    owner = Client("lobby-off", "duena")
    tap.ok(await owner.join() == "joined", "flag off: the owner enters (a new room, the last one ended)")
    await asyncio.sleep(0.3)
    tap.ok(not await owner.members_only(), "and the room stays open")
    g = Client(None, "invitado")
    cond = await g.join()
    tap.ok(cond == "joined", "a guest enters", cond)
    await g.leave()
    await owner.leave()
    await asyncio.sleep(0.5)

    # 3. A guest's token that claims the lobby and moderation (Sekkan never signs one).
    forged = Client("lobby-guest", "invitada")
    tap.ok(await forged.join() == "joined", "a guest whose token claims moderator and the lobby enters first")
    await asyncio.sleep(0.3)
    tap.ok(not await forged.members_only(), "and cannot turn the lobby on")
    g = Client(None, "invitado")
    cond = await g.join()
    tap.ok(cond == "joined", "another guest still enters", cond)
    await g.leave()
    await forged.leave()
    print("# tap_count %d" % tap.n)


asyncio.run(main())

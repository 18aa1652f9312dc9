# jitsi_sim.py: simulated Jitsi videobridges and participants for the collector's tests.
#
# Real XMPP clients (slixmpp) against the test instance's prosody: bridges join the brewery
# room and publish <stats> presence in exactly the format of jitsi-videobridge's MucPublisher
# (names and values as ColibriStatsExtension writes them); participants join conference rooms
# with presence as lib-jitsi-meet sends it (nick, email, stats-id, caps). Everything done is
# written to a truth log, which the checks compare with what the collector stored.
import asyncio
import datetime
import json
import logging
import os
import random
import subprocess
import sys
import time
from xml.sax.saxutils import quoteattr, escape

import slixmpp

logging.basicConfig(level=logging.ERROR)
DOMAIN = "meet.jitsi.example"
BREWERY = "jvbbrewery@internal.auth." + DOMAIN
CONFERENCE = "conference." + DOMAIN


def now():
    return time.time()


class Client(slixmpp.ClientXMPP):
    """One XMPP connection; waits for its own MUC presences so actions have known times."""

    def __init__(self, jid, password, port):
        super().__init__(jid, password)
        self.port = port
        self.waiters = {}
        self.online = asyncio.Event()
        self.add_event_handler("session_start", self._start)
        self.add_event_handler("presence", self._presence)
        self.add_event_handler("disconnected", lambda e: self.online.clear())

    async def _start(self, event):
        self.send_presence()
        self.online.set()

    def _presence(self, pr):
        key = (str(pr["from"]), pr["type"] == "unavailable")
        fut = self.waiters.pop(key, None)
        if fut and not fut.done():
            fut.set_result(now())

    async def start(self):
        self.connect(address=("127.0.0.1", self.port), force_starttls=False, disable_starttls=True)
        await asyncio.wait_for(self.online.wait(), 30)

    async def send_and_wait(self, xml, full, leaving):
        fut = asyncio.get_running_loop().create_future()
        self.waiters[(full, leaving)] = fut
        t0 = now()
        self.send_raw(xml)
        t1 = await asyncio.wait_for(fut, 30)
        return t0, t1


def jvb_time(t):
    d = datetime.datetime.fromtimestamp(t, datetime.timezone.utc)
    return d.strftime("%Y-%m-%d %H:%M:%S.") + "%03d" % (d.microsecond // 1000)


class Bridge:
    """A videobridge in the brewery: stats presence every interval, as MucPublisher does."""

    def __init__(self, sim, name, extra=None, skew=0.0):
        # skew: seconds the bridge's own clock (current_timestamp) runs ahead of ours
        self.sim, self.name, self.extra, self.skew = sim, name, extra or {}, skew
        self.task = None
        self.client = None
        self.full = BREWERY + "/" + name

    def stats(self):
        r = self.sim.rng
        t = now() + self.skew
        # Milliseconds as Jitsi sends them; the stored sample time is this, exactly.
        t = int(t * 1000) / 1000.0
        v = {
            "stress_level": round(r.uniform(0, 0.9), 3),
            "bit_rate_download": r.randint(0, 90000),
            "bit_rate_upload": r.randint(0, 90000),
            "packet_rate_download": r.randint(0, 8000),
            "packet_rate_upload": r.randint(0, 8000),
            "conferences": r.randint(0, 40),
            "endpoints": r.randint(0, 300),
            "largest_conference": r.randint(0, 30),
            "overall_loss": round(r.uniform(0, 0.05), 4),
            "rtt_aggregate": round(r.uniform(5, 200), 1),
        }
        for k in self.extra:
            v.pop(k, None)     # the test's own (hostile) value replaces the normal one
        stat = "".join("<stat name=%s value=%s/>" % (quoteattr(k), quoteattr(str(x)))
                       for k, x in v.items())
        stat += ("<stat name='version' value='2.3.160-g7f8b8b2'/><stat name='region' value='mx-centro'/>"
                 "<stat name='drain' value='false'/><stat name='graceful_shutdown' value='false'/>"
                 "<stat name='healthy' value='true'/><stat name='current_timestamp' value='%s'/>" % jvb_time(t))
        for k, x in self.extra.items():
            stat += "<stat name=%s value=%s/>" % (quoteattr(k), quoteattr(x))
        return t, v, stat

    def presence(self, join):
        t, v, stat = self.stats()
        x = "<x xmlns='http://jabber.org/protocol/muc'/>" if join else ""
        xml = ("<presence to=%s>%s<stats xmlns='http://jitsi.org/protocol/colibri'>%s</stats></presence>"
               % (quoteattr(self.full), x, stat))
        return t, v, xml

    async def join(self):
        self.client = Client("jvb@auth.%s/%s" % (DOMAIN, self.name), self.sim.jvb_password, self.sim.c2s)
        await self.client.start()
        t, v, xml = self.presence(True)
        await self.client.send_and_wait(xml, self.full, False)
        self.sim.log("sample", bridge=self.name, t=t, v=v)
        self.task = asyncio.ensure_future(self._loop())

    async def _loop(self):
        while True:
            await asyncio.sleep(self.sim.interval)
            t, v, xml = self.presence(False)
            self.client.send_raw(xml)
            self.sim.log("sample", bridge=self.name, t=t, v=v)

    def silence(self):
        """Stay in the room but publish nothing: the collector must call it down after 3 intervals."""
        self.task.cancel()
        self.sim.log("silence", bridge=self.name, t=now())

    async def leave(self):
        self.task.cancel()
        t0, t1 = await self.client.send_and_wait("<presence to=%s type='unavailable'/>" % quoteattr(self.full),
                                                 self.full, True)
        self.sim.log("leave", bridge=self.name, t0=t0, t1=t1)
        self.client.disconnect()


class Person:
    """A participant: a member (token context via the test fixture) or a guest (anonymous)."""

    def __init__(self, sim, room, name, email=None, member=None, moderator=False):
        self.sim, self.room, self.name, self.email = sim, room, name, email
        self.member, self.moderator = member, moderator
        self.client = None
        self.nick = None

    async def join(self):
        if self.member:
            self.client = Client("member-%s@%s" % (self.member, DOMAIN), "pw-%s" % self.member, self.sim.c2s)
        else:
            self.client = Client("guest." + DOMAIN, "", self.sim.c2s)
        await self.client.start()
        self.nick = "%08x" % self.sim.rng.getrandbits(32)   # Jitsi's endpoint id shape
        full = "%s@%s/%s" % (self.room, CONFERENCE, self.nick)
        extra = "<email>%s</email>" % escape(self.email) if self.email else ""
        xml = ("<presence to=%s><x xmlns='http://jabber.org/protocol/muc'/>"
               "<stats-id>%s</stats-id><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' "
               "node='https://jitsi.org/jitsi-meet' ver='cvjWXufsg4xT62Ec2mlATkFZ9lk='/>"
               "<jitsi_participant_codecList>vp9,vp8,h264</jitsi_participant_codecList>"
               "<nick xmlns='http://jabber.org/protocol/nick'>%s</nick>%s</presence>"
               % (quoteattr(full), escape(self.name), escape(self.name), extra))
        t0, t1 = await self.client.send_and_wait(xml, full, False)
        self.sim.log("join", room=self.room, occ=self.nick, name=self.name, email=self.email,
                     member=self.member, t0=t0, t1=t1)

    async def leave(self):
        full = "%s@%s/%s" % (self.room, CONFERENCE, self.nick)
        t0, t1 = await self.client.send_and_wait("<presence to=%s type='unavailable'/>" % quoteattr(full),
                                                 full, True)
        self.sim.log("leave", room=self.room, occ=self.nick, t0=t0, t1=t1)
        self.client.disconnect()


class Sim:
    def __init__(self, truth_path, c2s, jvb_password, interval=1.0, seed=7):
        self.truth = open(truth_path, "a")
        self.c2s, self.jvb_password, self.interval = c2s, jvb_password, interval
        self.rng = random.Random(seed)

    def log(self, kind, **kw):
        kw["kind"] = kind
        self.truth.write(json.dumps(kw) + "\n")
        self.truth.flush()


def read_truth(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


class Tap:
    def __init__(self, start=0):
        self.n = start

    def ok(self, cond, what, detail=""):
        self.n += 1
        print("%s %d - %s" % ("ok" if cond else "not ok", self.n, what))
        if not cond and detail:
            print("#   " + str(detail).replace("\n", "\n#   "))
        sys.stdout.flush()
        return cond


def psql(state, sql):
    out = subprocess.run(["runuser", "-u", "sekkan", "--", "psql", "-X", "-tA", "-F", "\t", "-h",
                          state + "/run", "-d", "sekkan", "-c", sql], check=True,
                         capture_output=True, text=True).stdout
    return [line.split("\t") for line in out.splitlines() if line]

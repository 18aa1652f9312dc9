# collector_t24.py: bursts (t24_collector_burst.sh). Hundreds of joins and leaves sent
# back-to-back through prosody, first while the collector is dead (prosody's offline storage
# hands them all over at once when it comes back), then live, then live while PostgreSQL stops
# and starts again under the collector (a batch in flight when it goes, the next ones kept in
# memory): every one must land exactly, in order, nothing twice, however the collector batches
# them.
import asyncio
import os
import subprocess
import sys
import time
from xml.sax.saxutils import quoteattr, escape

sys.path.insert(0, os.path.dirname(__file__))
import collector_check as cc
from jitsi_sim import CONFERENCE, DOMAIN, Client, Sim, Tap, psql, read_truth

STATE, C2S, TRUTH, ROOT = os.environ["STATE"], int(os.environ["C2S"]), os.environ["TRUTH"], os.environ["ROOT"]
PREFIX = os.environ["ROOM_PREFIX"]
JVBPW = os.environ["JVBPW"]
CLIENTS, ROOMS, LIVE_ROOMS = 10, 20, 5
OFFLINE = ["%s%02d" % (PREFIX, i) for i in range(ROOMS)]
LIVE = ["%s%02d" % (PREFIX, i) for i in range(ROOMS, ROOMS + LIVE_ROOMS)]
ALL = OFFLINE + LIVE
OUTAGE = ["%s%02d" % (PREFIX, i) for i in range(ROOMS + LIVE_ROOMS, ROOMS + LIVE_ROOMS + 10)]
IN = ",".join("'%s'" % r for r in ALL)
OFFLINE_FILE = STATE + "/prosody/auth%2emeet%2ejitsi%2eexample/offline/collector.list"


def rd(*a):
    return subprocess.run(["redis-cli", "-s", STATE + "/run/redis.sock"] + list(a), capture_output=True,
                          text=True).stdout.strip()


def service(name, action):
    subprocess.run([ROOT + "/tools/dev", "service", STATE, name, action], check=True,
                   stdout=subprocess.DEVNULL)


def refused():
    """Events and frames the collector logged as refused so far (other tests' hostile bridges
    may still be sending bad figures: those are not ours)."""
    with open(STATE + "/log/collector.log", errors="replace") as f:
        return sum(1 for line in f if "event ignored" in line or "event message ignored" in line or
                   "frame ignored" in line)


def count(sql):
    return psql(STATE, sql)[0][0]


async def poll(fn, timeout=120):
    end = time.time() + timeout
    while time.time() < end:
        if fn():
            return True
        await asyncio.sleep(0.5)
    return False


class Guest:
    """One connection that is in many rooms at once (one occupant per room)."""

    def __init__(self, sim, k):
        self.sim, self.k = sim, k
        self.name, self.email = "Ráfaga %d" % k, "rafaga%d@example.org" % k
        self.nick = {}
        self.client = Client("guest." + DOMAIN, "", C2S)

    def full(self, room):
        return "%s@%s/%s" % (room, CONFERENCE, self.nick[room])


async def burst(sim, guests, rooms, leaving):
    """Every guest's presence in every room, sent without waiting; then every reflection."""
    loop = asyncio.get_running_loop()
    waits = []
    for g in guests:
        for room in rooms:
            if not leaving:
                g.nick[room] = "%08x" % sim.rng.getrandbits(32)
            full = g.full(room)
            fut = loop.create_future()
            g.client.waiters[(full, leaving)] = fut
            if leaving:
                xml = "<presence to=%s type='unavailable'/>" % quoteattr(full)
            else:
                xml = ("<presence to=%s><x xmlns='http://jabber.org/protocol/muc'/>"
                       "<nick xmlns='http://jabber.org/protocol/nick'>%s</nick><email>%s</email></presence>"
                       % (quoteattr(full), escape(g.name), escape(g.email)))
            waits.append((g, room, time.time(), fut))
            g.client.send_raw(xml)
    for g, room, t0, fut in waits:
        t1 = await asyncio.wait_for(fut, 60)
        if leaving:
            sim.log("leave", room=room, occ=g.nick[room], t0=t0, t1=t1)
        else:
            sim.log("join", room=room, occ=g.nick[room], name=g.name, email=g.email, member=None, t0=t0, t1=t1)
    return len(waits)


async def main():
    sim = Sim(TRUTH, C2S, JVBPW, seed=24)
    tap = Tap(int(os.environ.get("TAP_START", "0")))
    guests = [Guest(sim, k) for k in range(CLIENTS)]
    await asyncio.gather(*(g.client.start() for g in guests))
    errors0 = refused()

    # 1. The collector is dead: 200 joins and 100 leaves pile up in prosody's offline storage.
    #    Until prosody notices the dead socket it still writes to it, and what it wrote there is
    #    lost (nothing is acknowledged; the census repairs it, t22): so the burst starts once
    #    prosody is seen storing offline (a plain message, which the collector ignores).
    pid = open(STATE + "/run/collector.pid").read().strip()
    subprocess.run(["kill", "-KILL", pid], check=True)

    def offline():
        guests[0].client.send_raw("<message to='collector@auth.%s' type='normal'><body>t24</body></message>"
                                  % DOMAIN)
        return os.path.exists(OFFLINE_FILE)
    tap.ok(await poll(offline, 60), "prosody stores the collector's messages offline once it is dead")
    n = await burst(sim, guests, OFFLINE, False)
    n += await burst(sim, guests[:CLIENTS // 2], OFFLINE, True)
    os.remove(STATE + "/run/collector.pid")
    service("collector", "start")
    done = await poll(lambda: count("SELECT count(*) FROM attendance_intervals i JOIN attendance a ON a.id ="
                                    " i.attendance_id JOIN jitsi_sessions s ON s.id = a.session_id WHERE s.room IN"
                                    " (%s) AND i.left_at IS NOT NULL" % IN) == str(ROOMS * CLIENTS // 2))
    tap.ok(done, "a burst of %d joins and leaves held offline is stored after the restart" % n)
    rows = psql(STATE, "SELECT count(*), sum(participants), min(peak_participants), max(peak_participants)"
                " FROM jitsi_sessions WHERE room IN (%s) AND ended_at IS NULL" % IN)[0]
    tap.ok(rows == [str(ROOMS), str(ROOMS * CLIENTS // 2), str(CLIENTS), str(CLIENTS)],
           "%d rooms open, %d people in them, each room's peak %d" % (ROOMS, ROOMS * CLIENTS // 2, CLIENTS), rows)
    live = [rd("HGET", "sekkan:tel:room:" + r, "participants") for r in OFFLINE]
    tap.ok(live == [str(CLIENTS // 2)] * ROOMS, "Redis: each room's live count after the burst", live)

    # 2. Live: 50 joins in five new rooms, then everyone leaves every room, back-to-back.
    n = await burst(sim, guests, LIVE, False)
    n += await burst(sim, guests[CLIENTS // 2:], OFFLINE, True)
    n += await burst(sim, guests, LIVE, True)
    done = await poll(lambda: count("SELECT count(*) FROM jitsi_sessions WHERE room IN (%s) AND ended_at IS NOT NULL"
                                    % IN) == str(len(ALL)))
    tap.ok(done, "a live burst of %d joins and leaves is stored; every room ended" % n)
    truth = read_truth(TRUTH)
    cc.attendance(tap, STATE, truth, ALL)
    rows = psql(STATE, "SELECT count(*), count(DISTINCT room), bool_or(estimated), max(participants),"
                " min(peak_participants), max(peak_participants) FROM jitsi_sessions WHERE room IN (%s)" % IN)[0]
    tap.ok(rows == [str(len(ALL)), str(len(ALL)), "f", "0", str(CLIENTS), str(CLIENTS)],
           "one session per room, none estimated, all emptied, each peak %d" % CLIENTS, rows)
    rows = psql(STATE, "SELECT count(*), count(*) FILTER (WHERE i.estimated), count(*) FILTER (WHERE i.left_at IS NULL),"
                " count(DISTINCT a.id) FROM attendance_intervals i JOIN attendance a ON a.id = i.attendance_id"
                " JOIN jitsi_sessions s ON s.id = a.session_id WHERE s.room IN (%s)" % IN)[0]
    want = str(len(ALL) * CLIENTS)
    tap.ok(rows == [want, "0", "0", want], "%s intervals, one per person and room, all closed exactly" % want, rows)
    bad = count("SELECT count(*) FROM attendance a JOIN jitsi_sessions s ON s.id = a.session_id WHERE s.room IN (%s)"
                " AND (a.last_leave IS NULL OR a.seconds <> (SELECT round(sum(extract(epoch FROM i.left_at -"
                " i.joined_at))) FROM attendance_intervals i WHERE i.attendance_id = a.id))" % IN)
    tap.ok(bad == "0", "every attendance's seconds and last leave agree with its interval (%s wrong)" % bad)
    left = [r for r in ALL if rd("EXISTS", "sekkan:tel:room:" + r) != "0" or
            rd("ZSCORE", "sekkan:tel:rooms", r) != ""]
    tap.ok(not left, "Redis: no ended room left in the live state", left[:3])
    tap.ok(refused() == errors0, "the collector refused no event and no frame during the bursts",
           refused() - errors0)

    # 3. PostgreSQL stops while a live burst is being stored (what the collector has sent it is
    #    in flight, or lost with the connection), more comes while it is down, and it starts again.
    with open(STATE + "/log/collector.log", errors="replace") as f:
        log0 = len(f.readlines())
    inn = ",".join("'%s'" % r for r in OUTAGE)
    stopper = asyncio.ensure_future(asyncio.to_thread(service, "postgres", "stop"))
    n = await burst(sim, guests, OUTAGE, False)
    await stopper
    n += await burst(sim, guests[:CLIENTS // 2], OUTAGE, True)
    await asyncio.sleep(2)
    service("postgres", "start")
    done = await poll(lambda: count("SELECT count(*) FROM attendance_intervals i JOIN attendance a ON a.id ="
                                    " i.attendance_id JOIN jitsi_sessions s ON s.id = a.session_id WHERE s.room IN"
                                    " (%s) AND i.left_at IS NOT NULL" % inn) == str(len(OUTAGE) * CLIENTS // 2))
    tap.ok(done, "a burst of %d joins and leaves across a PostgreSQL restart is stored once it is back" % n)
    with open(STATE + "/log/collector.log", errors="replace") as f:
        seen = [line for line in f.readlines()[log0:] if "postgresql:" in line]
    tap.ok(len(seen) > 0, "the collector saw the database go (its log says so)", len(seen))
    rows = psql(STATE, "SELECT count(*), sum(participants), min(peak_participants), max(peak_participants)"
                " FROM jitsi_sessions WHERE room IN (%s) AND ended_at IS NULL" % inn)[0]
    tap.ok(rows == [str(len(OUTAGE)), str(len(OUTAGE) * CLIENTS // 2), str(CLIENTS), str(CLIENTS)],
           "after the outage: one open session per room, %d people in them, each room's peak %d"
           % (len(OUTAGE) * CLIENTS // 2, CLIENTS), rows)
    n = await burst(sim, guests[CLIENTS // 2:], OUTAGE, True)
    done = await poll(lambda: count("SELECT count(*) FROM jitsi_sessions WHERE room IN (%s) AND ended_at IS NOT NULL"
                                    % inn) == str(len(OUTAGE)))
    tap.ok(done, "the rest leave (%d): every room of the outage ended" % n)
    cc.attendance(tap, STATE, read_truth(TRUTH), OUTAGE)
    rows = psql(STATE, "SELECT count(*), count(*) FILTER (WHERE i.estimated), count(*) FILTER (WHERE i.left_at IS NULL),"
                " count(DISTINCT a.id) FROM attendance_intervals i JOIN attendance a ON a.id = i.attendance_id"
                " JOIN jitsi_sessions s ON s.id = a.session_id WHERE s.room IN (%s)" % inn)[0]
    want = str(len(OUTAGE) * CLIENTS)
    tap.ok(rows == [want, "0", "0", want], "across the outage: %s intervals, one per person and room, none"
           " estimated, nothing twice" % want, rows)
    live = [r for r in OUTAGE if rd("EXISTS", "sekkan:tel:room:" + r) != "0"]
    tap.ok(not live, "Redis: no room of the outage left in the live state", live[:3])
    tap.ok(refused() == errors0, "the collector refused no event across the outage", refused() - errors0)
    for g in guests:
        g.client.disconnect()
    print("# tap_count %d" % tap.n)


asyncio.run(main())

# collector_t22.py: restarts in the middle of a scenario (t22_collector_restarts.sh).
# 1. The collector is killed (SIGKILL) while people join and leave, a room ends and another
#    begins, and a bridge leaves; prosody's offline storage holds the events; restarted, the
#    collector must store every one with its exact time, and nothing twice.
# 2. prosody itself restarts with rooms live: every room and person vanishes at once; the
#    collector must close what was open (estimated, at the last time it knew it live), and
#    record the sessions that follow when people come back.
import asyncio
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
import collector_check as cc
from jitsi_sim import Bridge, Person, Sim, Tap, psql, read_truth

STATE, C2S, TRUTH, ROOT = os.environ["STATE"], int(os.environ["C2S"]), os.environ["TRUTH"], os.environ["ROOT"]
R1, R2, R3 = os.environ["ROOM_1"], os.environ["ROOM_2"], os.environ["ROOM_3"]
# Only this test's rooms: other tests share the instance.
MINE = ("SELECT i.* FROM attendance_intervals i JOIN attendance a ON a.id = i.attendance_id JOIN jitsi_sessions s"
        " ON s.id = a.session_id WHERE s.room IN ('%s', '%s', '%s')" % (R1, R2, R3))
JVBPW = os.environ["JVBPW"]
CENSUS = 2.0


def rd(*a):
    return subprocess.run(["redis-cli", "-s", STATE + "/run/redis.sock"] + list(a), capture_output=True,
                          text=True).stdout.strip()


def service(name, action):
    subprocess.run([ROOT + "/tools/dev", "service", STATE, name, action], check=True,
                   stdout=subprocess.DEVNULL)


async def poll(fn, timeout=60):
    end = time.time() + timeout
    while time.time() < end:
        if fn():
            return True
        await asyncio.sleep(0.3)
    return False


async def main():
    sim = Sim(TRUTH, C2S, JVBPW, interval=1.0, seed=22)
    tap = Tap(int(os.environ.get("TAP_START", "0")))
    a, b = Bridge(sim, "jvb-r1"), Bridge(sim, "jvb-r2")
    await asyncio.gather(a.join(), b.join())
    r1 = [Person(sim, R1, "Uno %d" % i, "uno%d@example.org" % i) for i in range(6)]
    r2 = [Person(sim, R2, "Dos %d" % i, "dos%d@example.org" % i) for i in range(3)]
    await asyncio.gather(*(p.join() for p in r1 + r2))
    await asyncio.sleep(1)

    # 1. Kill the collector.
    pid = open(STATE + "/run/collector.pid").read().strip()
    subprocess.run(["kill", "-KILL", pid], check=True)
    sim.log("collector_down", t=time.time())
    # Until prosody notices the dead socket it still writes events to it, and those are lost
    # (nothing is acknowledged; the census would close them as estimates): the scenario goes
    # on once prosody stores offline (a plain message, which the collector ignores).
    offline = STATE + "/prosody/auth%2emeet%2ejitsi%2eexample/offline/collector.list"
    await poll(lambda: (r2[0].client.send_raw("<message to='collector@auth.meet.jitsi.example'"
                                              " type='normal'><body>t22</body></message>"),
                        os.path.exists(offline))[1], 30)
    await asyncio.gather(*(p.leave() for p in r1[:2]))
    late = [Person(sim, R1, "Tarde %d" % i, "tarde%d@example.org" % i) for i in range(2)]
    await asyncio.gather(*(p.join() for p in late))
    await asyncio.gather(*(p.leave() for p in r2))          # R2 ends while nobody listens
    r3 = [Person(sim, R3, "Tres %d" % i, "tres%d@example.org" % i) for i in range(2)]
    await asyncio.gather(*(p.join() for p in r3))           # R3 begins
    await b.leave()
    await asyncio.sleep(1)
    os.remove(STATE + "/run/collector.pid")
    service("collector", "start")
    newpid = open(STATE + "/run/collector.pid").read().strip()
    back = await poll(lambda: rd("HGET", "sekkan:tel:collector", "pid") == newpid and
                      rd("HGET", "sekkan:tel:collector", "connected") == "1")
    sim.log("collector_up", t=time.time())
    tap.ok(back, "the collector restarts and reconnects")
    # Everything that happened while it was dead arrives from prosody's offline storage.
    done = await poll(lambda: psql(STATE, "SELECT count(*) FROM jitsi_sessions WHERE room = '%s'"
                                   " AND ended_at IS NOT NULL" % R2)[0][0] == "1" and
                      psql(STATE, "SELECT count(*) FROM attendance_intervals i JOIN attendance a"
                           " ON a.id = i.attendance_id JOIN jitsi_sessions s ON s.id = a.session_id"
                           " WHERE s.room IN ('%s', '%s')" % (R1, R3))[0][0] == "10")
    tap.ok(done, "events from while it was down are stored after the restart")
    truth = read_truth(TRUTH)
    cc.attendance(tap, STATE, truth, [R1, R2, R3])
    est = psql(STATE, "SELECT count(*) FROM (%s) x WHERE estimated" % MINE)[0][0]
    tap.ok(est == "0", "no estimates needed: every leave was delivered (estimated: %s)" % est)
    ses = psql(STATE, "SELECT room, count(*), bool_or(estimated) FROM jitsi_sessions WHERE room IN ('%s','%s','%s')"
               " GROUP BY room" % (R1, R2, R3))
    tap.ok(sorted(r[1] for r in ses) == ["1", "1", "1"] and all(r[2] == "f" for r in ses),
           "one session per room, none estimated", ses)
    # It was up when the collector died; restarted, the collector waits three intervals for it.
    await poll(lambda: len(cc.transitions(STATE, "jvb-r2")) == 2, 20)
    tb = cc.transitions(STATE, "jvb-r2")
    lv = [e for e in truth if e["kind"] == "leave" and e.get("bridge") == "jvb-r2"][0]
    tap.ok(len(tb) == 2 and not tb[1][1] and tb[1][0] <= lv["t1"] + 1,
           "a bridge that left while the collector was down is down, no later than its leave", (tb, lv))

    # 2. prosody crashes (SIGKILL) with R1 and R3 live: everyone is thrown out at once and no
    #    leave is ever sent; the census after the restart shows the rooms gone.
    b2 = Bridge(sim, "jvb-r2")
    await b2.join()
    await asyncio.sleep(CENSUS + 0.5)
    live = [p for p in r1[2:] + late + r3]
    a.silence()
    b2.silence()
    t0 = time.time()
    subprocess.run(["kill", "-KILL", open(STATE + "/run/prosody.pid").read().strip()], check=True)
    t1 = time.time()
    for p in live:
        sim.log("thrown_out", room=p.room, occ=p.nick, t0=t0, t1=t1)
    for p in live + [a, b2]:
        p.client.disconnect()
    service("prosody", "start")
    reconnected = await poll(lambda: rd("HGET", "sekkan:tel:collector", "connected") == "1", 90)
    tap.ok(reconnected, "the collector reconnects after prosody restarts")
    a2, b3 = Bridge(sim, "jvb-r1"), Bridge(sim, "jvb-r2")
    await asyncio.gather(a2.join(), b3.join())
    again = [Person(sim, R1, "Uno %d" % i, "uno%d@example.org" % i) for i in range(2, 4)]
    await asyncio.gather(*(p.join() for p in again))
    closed = await poll(lambda: psql(STATE, "SELECT count(*) FROM (%s) x WHERE left_at IS NULL" % MINE)[0][0]
                        == "2")
    tap.ok(closed, "everything open when prosody went down is closed")
    truth = read_truth(TRUTH)
    out = {(e["room"], e["occ"]): e for e in truth if e["kind"] == "thrown_out"}
    rows = psql(STATE, "SELECT s.room, i.occupant, extract(epoch FROM i.left_at), i.estimated FROM attendance_intervals i"
                " JOIN attendance a ON a.id = i.attendance_id JOIN jitsi_sessions s ON s.id = a.session_id")
    bad = [(r, out[(r[0], r[1])]["t0"]) for r in rows if (r[0], r[1]) in out and
           not (t0 - CENSUS - 1.5 <= float(r[2]) <= t1 + 1)]
    tap.ok(not bad and len([r for r in rows if (r[0], r[1]) in out]) == len(out),
           "those %d intervals end when prosody stopped (within the census interval)" % len(out), bad[:5])
    s1 = psql(STATE, "SELECT count(*), count(ended_at), bool_or(estimated) FROM jitsi_sessions WHERE room = '%s'" % R1)[0]
    tap.ok(s1 == ["2", "1", "t"], "R1: the session the crash cut short is closed (estimated), a new one is live", s1)
    est = psql(STATE, "SELECT count(*) FROM (%s) x WHERE estimated" % MINE)[0][0]
    tap.ok(est == str(len(out)), "exactly the intervals the crash cut are marked estimated (%s)" % est)

    # 3. A clean restart of prosody: it sends the leaves as it shuts down (kept offline for us),
    #    so these intervals end exactly, not by estimate.
    t0 = time.time()
    service("prosody", "stop")
    t1 = time.time()
    for p in again:
        sim.log("leave", room=p.room, occ=p.nick, t0=t0, t1=t1)
        p.client.disconnect()
    a2.silence()
    b3.silence()
    service("prosody", "start")
    await poll(lambda: rd("HGET", "sekkan:tel:collector", "connected") == "1", 90)
    a2, b3 = Bridge(sim, "jvb-r1"), Bridge(sim, "jvb-r2")
    await asyncio.gather(a2.join(), b3.join())
    again = [Person(sim, R1, "Uno %d" % i, "uno%d@example.org" % i) for i in range(2, 4)]
    await asyncio.gather(*(p.join() for p in again))
    await poll(lambda: psql(STATE, "SELECT count(*) FROM jitsi_sessions WHERE room = '%s'" % R1)[0][0] == "3")
    s1 = psql(STATE, "SELECT count(*), count(ended_at), bool_or(estimated) FILTER (WHERE id > (SELECT min(id) FROM"
              " jitsi_sessions WHERE room = '%s')) FROM jitsi_sessions WHERE room = '%s'" % (R1, R1))[0]
    tap.ok(s1 == ["3", "2", "f"], "R1 after a clean restart: the session before it ended exactly, a third is live", s1)
    truth = read_truth(TRUTH)
    cc.attendance(tap, STATE, [e for e in truth if e["kind"] != "thrown_out"], [R1, R2, R3], slack=CENSUS + 1.5)
    dup = psql(STATE, "SELECT count(*) FROM (SELECT attendance_id, occupant FROM attendance_intervals"
               " GROUP BY 1, 2 HAVING count(*) > 1) x")[0][0]
    tap.ok(dup == "0", "no interval stored twice")
    await asyncio.gather(*(p.leave() for p in again))
    gone = await poll(lambda: psql(STATE, "SELECT count(*) FROM jitsi_sessions WHERE ended_at IS NULL"
                                   " AND room = '%s'" % R1)[0][0] == "0")
    tap.ok(gone, "the new session ends when its room is destroyed")

    # Bridge minutes: counted once. Minutes away from the collector's outage hold exactly the
    # samples sent; those overlapping it hold no more than were sent.
    truth = read_truth(TRUTH)
    down = [e["t"] for e in truth if e["kind"] == "collector_down"][0]
    up = [e["t"] for e in truth if e["kind"] == "collector_up"][0]
    a2.task.cancel()
    b3.task.cancel()
    rows = psql(STATE, "SELECT b.name, extract(epoch FROM m.minute), m.samples FROM bridge_minutes m"
                " JOIN bridges b ON b.id = m.bridge_id WHERE b.name IN ('jvb-r1', 'jvb-r2')")
    sent = {}
    for e in truth:
        if e["kind"] == "sample":
            k = (e["bridge"], int(e["t"] // 60 * 60))
            sent[k] = sent.get(k, 0) + 1
    bad = []
    for r in rows:
        k = (r[0], int(float(r[1])))
        n = int(r[2])
        outage = k[1] <= up and k[1] + 60 >= down
        if n > sent.get(k, 0) or (not outage and n != sent.get(k, 0) and n > 0):
            bad.append((k, n, sent.get(k, 0)))
    tap.ok(not bad, "no bridge sample counted twice across both restarts", bad[:5])
    print("# tap_count %d" % tap.n)


asyncio.run(main())

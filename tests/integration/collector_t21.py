# collector_t21.py: the scripted ground-truth scenario of t21_collector.sh.
# Three bridges (one leaves and comes back, one goes silent), a meeting with members and
# guests (one member reconnects), a personal room, and an unknown room of 25 guests.
import asyncio
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
import collector_check as cc
from jitsi_sim import Bridge, Person, Sim, Tap, psql, read_truth

STATE, C2S, TRUTH = os.environ["STATE"], int(os.environ["C2S"]), os.environ["TRUTH"]
M, P, U = os.environ["ROOM_M"], os.environ["ROOM_P"], os.environ["ROOM_U"]
U1, U2, U3 = os.environ["U1"], os.environ["U2"], os.environ["U3"]
JVBPW = os.environ["JVBPW"]


async def scenario(sim):
    a, b, c = Bridge(sim, "jvb-a"), Bridge(sim, "jvb-b"), Bridge(sim, "jvb-c")
    await asyncio.gather(a.join(), b.join(), c.join())
    m1 = Person(sim, M, "Ana Gómez", "ana@example.mx", member=U1, moderator=True)
    m2 = Person(sim, M, "Juan Pérez", "juan@example.mx", member=U2)
    g1 = Person(sim, M, "Invitada Externa", "Externa@Proveedor.com")
    g2 = Person(sim, M, "Solo Nombre")
    await m1.join()
    await asyncio.gather(m2.join(), g1.join(), g2.join())
    p1 = Person(sim, P, "Luis Hernández", "luis@example.mx", member=U3, moderator=True)
    p2 = Person(sim, P, "Visita", "visita@example.org")
    await p1.join()
    await p2.join()
    crowd = [Person(sim, U, "Persona %d" % i, "p%d@example.org" % i) for i in range(25)]
    await asyncio.gather(*(x.join() for x in crowd))
    await asyncio.sleep(2)
    await b.leave()
    c.silence()
    # Juan drops and comes back on a new connection: one attendance, two intervals.
    await m2.leave()
    await asyncio.sleep(1.5)
    m2b = Person(sim, M, "Juan Pérez", "juan@example.mx", member=U2)
    await m2b.join()
    await g1.leave()
    await asyncio.gather(*(x.leave() for x in crowd[5:]))
    await asyncio.sleep(2)
    b2 = Bridge(sim, "jvb-b")
    await b2.join()
    await asyncio.sleep(2)
    await asyncio.gather(*(x.leave() for x in crowd[:5]))
    await asyncio.gather(m1.leave(), m2b.leave(), g2.leave(), p2.leave())
    await p1.leave()
    return a, b2


def wait_until(what, fn, timeout=60):
    end = time.time() + timeout
    while time.time() < end:
        if fn():
            return True
        time.sleep(0.3)
    return False


async def main():
    sim = Sim(TRUTH, C2S, JVBPW, interval=1.0)
    tap = Tap(int(os.environ.get("TAP_START", "0")))
    rd = lambda *a: subprocess.run(["redis-cli", "-s", STATE + "/run/redis.sock"] + list(a), capture_output=True,
                                   text=True).stdout.strip()
    # The collector is in the brewery before the first bridge publishes: one that joined later
    # (a slow start, under valgrind) would see only a bridge's latest presence, not its first.
    await asyncio.get_running_loop().run_in_executor(None, wait_until, "collector connected",
                                                     lambda: rd("HGET", "sekkan:tel:collector", "connected") == "1")
    a, b2 = await scenario(sim)
    # Let the collector see every leave and the silent bridge go stale (3 intervals), with the
    # live bridges still publishing; polling, never a fixed sleep as the assertion.
    closed = await asyncio.get_running_loop().run_in_executor(None, wait_until, "sessions closed", lambda: psql(
        STATE, "SELECT count(*) FROM jitsi_sessions WHERE room IN ('%s','%s','%s') AND ended_at IS NOT NULL"
        % (M, P, U))[0][0] == "3")
    tap.ok(closed, "the three sessions end when their rooms are destroyed")
    stale = await asyncio.get_running_loop().run_in_executor(None, wait_until, "silent bridge down", lambda: psql(
        STATE, "SELECT count(*) FROM bridge_transitions t JOIN bridges b ON b.id = t.bridge_id"
        " WHERE b.name = 'jvb-c' AND NOT t.up")[0][0] == "1")
    tap.ok(stale, "the silent bridge goes down")
    tap.ok(rd("HGET", "sekkan:tel:bridge:jvb-a", "available") == "1" and
           rd("HGET", "sekkan:tel:bridge:jvb-c", "available") == "0" and
           rd("HGET", "sekkan:tel:collector", "bridges_available") == "2",
           "Redis: jvb-a and jvb-b available while they publish, the silent jvb-c not")
    a.task.cancel()
    b2.task.cancel()
    await asyncio.sleep(0.5)   # the last samples in flight reach the collector
    truth = read_truth(TRUTH)

    cc.attendance(tap, STATE, truth, [M, P, U])
    s = {r[0]: r for r in psql(STATE, "SELECT room, kind, coalesce(meeting_id, 0), coalesce(personal_owner_id, 0),"
                               " peak_participants, estimated, extract(epoch FROM ended_at - started_at)"
                               " FROM jitsi_sessions WHERE room IN ('%s','%s','%s')" % (M, P, U))}
    mid = psql(STATE, "SELECT id FROM meetings WHERE room = '%s'" % M)[0][0]
    tap.ok(s[M][1] == "meeting" and s[M][2] == mid, "the meeting's room is recorded as that meeting", s[M])
    tap.ok(s[P][1] == "personal" and s[P][3] == U3, "the personal room is recorded with its owner", s[P])
    tap.ok(s[U][1] == "unknown", "a room Sekkan does not know is recorded as unknown", s[U])
    tap.ok(s[U][4] == "25" and s[M][4] == "4" and s[P][4] == "2", "peak participants 25, 4 and 2",
           [s[x][4] for x in (U, M, P)])
    tap.ok(all(s[x][5] == "f" for x in (M, P, U)), "nothing estimated in an undisturbed run")
    att = {r[0]: r for r in psql(STATE, "SELECT a.person, coalesce(a.user_id, 0), a.external, a.moderator,"
                                 " a.seconds, (SELECT count(*) FROM attendance_intervals i WHERE i.attendance_id = a.id),"
                                 " round(extract(epoch FROM a.last_leave - a.first_join)), a.name, coalesce(a.email, '')"
                                 " FROM attendance a JOIN jitsi_sessions s ON s.id = a.session_id WHERE s.room = '%s'" % M)}
    tap.ok(sorted(att) == sorted(["u:" + U1, "u:" + U2, "e:externa@proveedor.com", "n:Solo Nombre"]),
           "one attendance per person in the meeting: members by id, guests by e-mail or name", sorted(att))
    j = att.get("u:" + U2)
    tap.ok(j and j[5] == "2" and j[1] == U2 and j[2] == "f", "the member who reconnected has one attendance"
           " with two intervals", j)
    ana = att.get("u:" + U1)
    tap.ok(ana and ana[3] == "t" and ana[2] == "f" and ana[7] == "Ana Gómez", "the moderator's identity comes"
           " from the token context", ana)
    g = att.get("e:externa@proveedor.com")
    tap.ok(g and g[2] == "t" and g[1] == "0" and g[8] == "Externa@Proveedor.com", "a guest is external,"
           " without a user id, with the e-mail from its presence", g)
    iv = psql(STATE, "SELECT a.seconds, round(sum(extract(epoch FROM i.left_at - i.joined_at))) FROM attendance a"
              " JOIN attendance_intervals i ON i.attendance_id = a.id JOIN jitsi_sessions s ON s.id = a.session_id"
              " WHERE s.room IN ('%s','%s','%s') GROUP BY a.id, a.seconds" % (M, P, U))
    tap.ok(all(r[0] == r[1] for r in iv), "attendance seconds are the sum of its closed intervals")

    stored, samples = cc.bridges(tap, STATE, truth, ["jvb-a", "jvb-b", "jvb-c"], 1.0)
    ta, tb, tc = (cc.transitions(STATE, n) for n in ("jvb-a", "jvb-b", "jvb-c"))
    first = {n: samples[n][0]["t"] for n in samples}
    tap.ok(len(ta) == 1 and ta[0][1] and abs(ta[0][0] - first["jvb-a"]) < 0.002,
           "jvb-a: up once, at its first sample", ta)
    lv = [e for e in truth if e["kind"] == "leave" and e.get("bridge") == "jvb-b"][0]
    back = [s["t"] for s in samples["jvb-b"] if s["t"] > lv["t1"]][0]
    tap.ok(len(tb) == 3 and [x[1] for x in tb] == [True, False, True] and abs(tb[0][0] - first["jvb-b"]) < 0.002
           and lv["t0"] - 1 <= tb[1][0] <= lv["t1"] + 1 and abs(tb[2][0] - back) < 0.002,
           "jvb-b: up, down when it left (within 1 s), up again at its first sample back", (tb, lv, back))
    last_c = samples["jvb-c"][-1]["t"]
    tap.ok(len(tc) == 2 and [x[1] for x in tc] == [True, False] and abs(tc[1][0] - last_c) < 0.002,
           "jvb-c: down at its last sample after going silent", (tc, last_c))
    for n in ("jvb-a", "jvb-b", "jvb-c"):
        cc.availability(tap, stored, samples, truth, n, 1.0)
    print("# tap_count %d" % tap.n)


asyncio.run(main())

# collector_t22b.py: delivery across a kill and a reconnect (t22b_collector_delivery.sh).
# 1. The collector is stopped (SIGSTOP) while people join and leave and a room begins: prosody
#    writes those events to its live socket, where nobody reads them. Then it is killed
#    (SIGKILL) and restarted: the module replays every event it never acknowledged, so every
#    interval is exact, none estimated, nothing twice. Meanwhile a bridge went on publishing
#    for longer than three intervals: no down transition, and its availability is 100 % of the
#    time the collector could see; the blind span is recorded.
# 2. Stopped again, more events, and then prosody closes its session (another sign-in with its
#    resource: a conflict): resumed, the collector reads and stores them from the old socket,
#    reconnects, and the module replays them again (never acknowledged): nothing counted twice.
import asyncio
import os
import re
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
import collector_check as cc
from jitsi_sim import Bridge, Client, Person, Sim, Tap, psql, read_truth

STATE, C2S, TRUTH, ROOT = os.environ["STATE"], int(os.environ["C2S"]), os.environ["TRUTH"], os.environ["ROOT"]
R1, R2, R3 = os.environ["ROOM_1"], os.environ["ROOM_2"], os.environ["ROOM_3"]
ROOMS = [R1, R2, R3]
JVBPW = os.environ["JVBPW"]
MINE = ("SELECT i.* FROM attendance_intervals i JOIN attendance a ON a.id = i.attendance_id JOIN jitsi_sessions s"
        " ON s.id = a.session_id WHERE s.room IN ('%s', '%s', '%s')" % (R1, R2, R3))
LOG = STATE + "/log/collector.log"


def rd(*a):
    return subprocess.run(["redis-cli", "-s", STATE + "/run/redis.sock"] + list(a), capture_output=True,
                          text=True).stdout.strip()


def service(name, action):
    subprocess.run([ROOT + "/tools/dev", "service", STATE, name, action], check=True,
                   stdout=subprocess.DEVNULL)


def replays():
    """The counts of the module's replays, as the collector logged them, in order."""
    with open(LOG, errors="replace") as f:
        return [int(m.group(1)) for m in re.finditer(r"prosody replayed (\d+) event", f.read())]


def parent(pid):
    """runuser, which started the collector: when its child stops it stops itself too (job
    control, as su does), so it must be continued to reap or resume the collector."""
    with open("/proc/%d/stat" % pid) as f:
        return int(f.read().rsplit(")", 1)[1].split()[1])


def resume(pid, ppid):
    os.kill(pid, signal.SIGCONT)
    os.kill(ppid, signal.SIGCONT)


def samples():
    return int(psql(STATE, "SELECT coalesce(sum(samples), 0) FROM bridge_minutes m JOIN bridges b"
                    " ON b.id = m.bridge_id WHERE b.name = 'jvb-d1'")[0][0])


def alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False


async def poll(fn, timeout=60):
    end = time.time() + timeout
    while time.time() < end:
        if fn():
            return True
        await asyncio.sleep(0.3)
    return False


def intervals(where=""):
    return int(psql(STATE, "SELECT count(*) FROM (%s) x %s" % (MINE, where))[0][0])


def twice(tap):
    """Nothing counted twice: no interval stored twice, each person's seconds the sum of their
    closed intervals, each session's participants its open intervals."""
    dup = psql(STATE, "SELECT count(*) FROM (SELECT attendance_id, occupant FROM (%s) x GROUP BY 1, 2"
               " HAVING count(*) > 1) y" % MINE)[0][0]
    secs = psql(STATE, "SELECT count(*) FROM attendance a JOIN jitsi_sessions s ON s.id = a.session_id"
                " WHERE s.room IN ('%s', '%s', '%s') AND a.seconds <> coalesce((SELECT round(sum(extract(epoch"
                " FROM i.left_at - i.joined_at)))::integer FROM attendance_intervals i WHERE i.attendance_id = a.id"
                " AND i.left_at IS NOT NULL), 0)" % tuple(ROOMS))[0][0]
    part = psql(STATE, "SELECT count(*) FROM jitsi_sessions s WHERE s.room IN ('%s', '%s', '%s') AND"
                " s.participants <> (SELECT count(*) FROM attendance a JOIN attendance_intervals i ON"
                " i.attendance_id = a.id WHERE a.session_id = s.id AND i.left_at IS NULL)" % tuple(ROOMS))[0][0]
    ses = psql(STATE, "SELECT count(*) FROM jitsi_sessions WHERE room IN ('%s', '%s', '%s') GROUP BY room"
               " HAVING count(*) > 1" % tuple(ROOMS))
    tap.ok(dup == "0" and secs == "0" and part == "0" and not ses,
           "nothing counted twice: intervals, seconds, participants, sessions", (dup, secs, part, ses))


async def main():
    sim = Sim(TRUTH, C2S, JVBPW, interval=1.0, seed=222)
    tap = Tap(int(os.environ.get("TAP_START", "0")))
    br = Bridge(sim, "jvb-d1")
    await br.join()
    r1 = [Person(sim, R1, "Uno %d" % i, "uno%d@example.org" % i) for i in range(4)]
    await asyncio.gather(*(p.join() for p in r1))
    stored = await poll(lambda: intervals() == 4 and samples() >= 3)
    tap.ok(stored, "the first joins and bridge samples are stored while the collector runs")
    before = len(replays())

    # 1. Stopped: prosody goes on writing to its socket.
    pid = int(open(STATE + "/run/collector.pid").read().strip())
    ppid = parent(pid)
    os.kill(pid, signal.SIGSTOP)
    t_stop = time.time()
    sim.log("collector_stopped", t=t_stop)
    await asyncio.gather(*(p.leave() for p in r1[:2]))
    late = [Person(sim, R1, "Tarde %d" % i, "tarde%d@example.org" % i) for i in range(2)]
    await asyncio.gather(*(p.join() for p in late))
    r2 = [Person(sim, R2, "Dos %d" % i, "dos%d@example.org" % i) for i in range(3)]
    await asyncio.gather(*(p.join() for p in r2))         # R2 begins
    await r2[0].leave()
    # Stopped for longer than three bridge intervals while the bridge publishes every second.
    await poll(lambda: time.time() - t_stop > 5, 10)
    os.kill(pid, signal.SIGKILL)
    resume(pid, ppid)                                      # so that runuser reaps it
    gone = await poll(lambda: not alive(pid), 10)
    t_kill = time.time()
    os.remove(STATE + "/run/collector.pid")
    service("collector", "start")
    newpid = open(STATE + "/run/collector.pid").read().strip()
    back = await poll(lambda: rd("HGET", "sekkan:tel:collector", "pid") == newpid and
                      rd("HGET", "sekkan:tel:collector", "connected") == "1")
    t_back = time.time()
    tap.ok(gone and back, "the collector, stopped and then killed, restarts and reconnects")
    done = await poll(lambda: intervals() == 9 and intervals("WHERE left_at IS NOT NULL") == 3)
    tap.ok(done, "every event prosody wrote to the stopped collector's socket is stored after the restart",
           psql(STATE, MINE))
    n = samples()
    heard = await poll(lambda: samples() >= n + 3, 20)
    r = replays()[before:]
    tap.ok(len(r) >= 1 and r[0] >= 9, "the module replayed them (9 events: 3 leaves, 5 joins, 1 room)", r)
    truth = read_truth(TRUTH)
    cc.attendance(tap, STATE, truth, ROOMS)
    est = intervals("WHERE estimated")
    tap.ok(est == 0, "none estimated: no leave was lost (estimated: %d)" % est)
    twice(tap)

    # The bridge published all along: the collector's blindness is no down period.
    tb = cc.transitions(STATE, "jvb-d1")
    tap.ok(len(tb) == 1 and tb[0][1], "jvb-d1: no down transition for the collector's outage", tb)
    gaps = [(float(a), float(b)) for a, b in psql(
        STATE, "SELECT extract(epoch FROM started_at), extract(epoch FROM ended_at) FROM collector_gaps"
        " WHERE ended_at >= to_timestamp(%f)" % t_stop)]
    tap.ok(len(gaps) == 1 and t_stop - 3 <= gaps[0][0] <= t_stop and t_kill <= gaps[0][1] <= t_back + 1,
           "the blind span is recorded: from when it last heard prosody to its reconnection",
           (gaps, t_stop, t_kill, t_back))
    first = tb[0][0]
    av = psql(STATE, "SELECT a.up_seconds, a.unknown_seconds, extract(epoch FROM now() - to_timestamp(%f))"
              " FROM stat_availability(to_timestamp(%f), now()) a JOIN bridges b ON b.id = a.bridge_id"
              " WHERE b.name = 'jvb-d1'" % (first, first))[0]
    up, unknown, period = (float(x) for x in av)
    tap.ok(unknown >= t_kill - t_stop and abs(up - (period - unknown)) < 0.01,
           "jvb-d1 was available 100 %% of the time the collector could see (%.1f s of %.1f s, %.1f s unknown)"
           % (up, period, unknown), av)
    # The minutes end at the last sample stored, not at now(): measured to there, a loaded
    # machine that stores samples late does not make the two differ.
    minutes, seen, unknown_seen = psql(
        STATE, "SELECT (SELECT coalesce(sum(available_ms), 0) FROM bridge_minutes m WHERE m.bridge_id = b.id),"
        " extract(epoch FROM b.last_seen - to_timestamp(%f)), a.unknown_seconds FROM bridges b"
        " JOIN stat_availability(to_timestamp(%f), (SELECT last_seen FROM bridges WHERE name = 'jvb-d1')) a"
        " ON a.bridge_id = b.id WHERE b.name = 'jvb-d1'" % (first, first))[0]
    # Counting the blind span would add all of it (over 5 s); half of it is the margin a loaded
    # machine gets for the samples stored late around the reconnection.
    expect = float(seen) - float(unknown_seen)
    tap.ok(heard and expect - 3 <= int(minutes) / 1000.0 <= expect + max(1.5, (t_kill - t_stop) / 2),
           "its minutes count the time seen as available, and nothing of the blind span (%s ms, %.1f s expected)"
           % (minutes, expect))

    # 2. A normal reconnect, with events it had read and stored but not acknowledged.
    before = len(replays())
    pid = int(newpid)
    ppid = parent(pid)
    os.kill(pid, signal.SIGSTOP)
    r3 = [Person(sim, R3, "Tres %d" % i, "tres%d@example.org" % i) for i in range(2)]
    await asyncio.gather(*(p.join() for p in r3))         # R3 begins
    await r3[0].leave()
    await late[0].leave()
    # Another sign-in with the collector's own resource: prosody closes the stopped one's
    # session (conflict), after what it wrote there; then that client goes away.
    pw = open(STATE + "/conf/collector-password").read().strip()
    kick = Client("collector@auth.meet.jitsi.example/collector-%d" % pid, pw, C2S)
    await kick.start()
    kick.disconnect()
    await poll(lambda: not kick.is_connected(), 10)
    resume(pid, ppid)
    again = await poll(lambda: len(replays()) > before and rd("HGET", "sekkan:tel:collector", "connected") == "1")
    r = replays()[before:]
    tap.ok(again and r and r[0] >= 5, "after the conflict it reconnects and the module replays what it never"
           " acknowledged (5 events: 1 room, 2 joins, 2 leaves)", r)
    done = await poll(lambda: intervals() == 11 and intervals("WHERE left_at IS NOT NULL") == 5)
    tap.ok(done, "and every one of them is stored", psql(STATE, MINE))
    truth = read_truth(TRUTH)
    cc.attendance(tap, STATE, truth, ROOMS)
    tap.ok(intervals("WHERE estimated") == 0, "none estimated")
    twice(tap)

    # The end: everyone leaves, every room ends exactly.
    await asyncio.gather(*(p.leave() for p in r1[2:] + late[1:] + r2[1:] + r3[1:]))
    ended = await poll(lambda: psql(STATE, "SELECT count(*) FROM jitsi_sessions WHERE room IN ('%s', '%s', '%s')"
                                    " AND ended_at IS NOT NULL AND NOT estimated" % tuple(ROOMS))[0][0] == "3")
    tap.ok(ended, "the three rooms end when their last person leaves, none estimated")
    br.task.cancel()
    await br.leave()
    print("# tap_count %d" % tap.n)


asyncio.run(main())

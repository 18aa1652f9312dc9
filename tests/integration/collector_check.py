# collector_check.py: compare what the collector stored with the simulator's truth log.
# Used by t21_collector.sh and t22_collector_restarts.sh; prints TAP.
import collections
import math

from jitsi_sim import psql

FIGS = [("stress_level", "stress"), ("bit_rate_download", "bitrate_down"), ("bit_rate_upload", "bitrate_up"),
        ("packet_rate_download", "packets_down"), ("packet_rate_upload", "packets_up"),
        ("conferences", "conferences"), ("endpoints", "endpoints")]


def near(a, b, eps=1e-6):
    return abs(a - b) <= eps * max(1.0, abs(a), abs(b))


def attendance(tap, state, truth, rooms, slack=0.0):
    """Every join and leave in the truth is one interval within 1 s (plus slack for intervals
    the collector had to close by estimate); no interval the truth does not have."""
    rows = psql(state, "SELECT s.room, i.occupant, extract(epoch FROM i.joined_at),"
                " coalesce(extract(epoch FROM i.left_at), -1), i.estimated, a.person, coalesce(a.user_id, 0),"
                " a.external, a.name, coalesce(a.email, ''), s.id FROM attendance_intervals i"
                " JOIN attendance a ON a.id = i.attendance_id JOIN jitsi_sessions s ON s.id = a.session_id"
                " WHERE s.room IN (%s)" % ",".join("'%s'" % r for r in rooms))
    got = {(r[0], r[1]): r for r in rows}
    joins = {(e["room"], e["occ"]): e for e in truth if e["kind"] == "join" and e["room"] in rooms}
    leaves = {(e["room"], e["occ"]): e for e in truth if e["kind"] == "leave" and "room" in e and e["room"] in rooms}
    bad_join, bad_leave, missing = [], [], []
    for k, j in joins.items():
        r = got.get(k)
        if r is None:
            missing.append(k)
            continue
        t = float(r[2])
        if not (j["t0"] - 1 <= t <= max(j["t1"], j["t0"] + 1)):
            bad_join.append((k, t - j["t0"]))
        lv = leaves.get(k)
        if lv is None:
            continue
        t = float(r[3])
        lo = lv["t0"] - 1 - (slack if r[4] == "t" else 0)
        if not (lo <= t <= max(lv["t1"], lv["t0"] + 1)):
            bad_leave.append((k, t - lv["t0"], r[4]))
    tap.ok(not missing, "every join in the truth is stored (%d joins)" % len(joins), missing[:5])
    tap.ok(not bad_join, "every stored join time is within 1 s of the truth", bad_join[:5])
    tap.ok(not bad_leave, "every stored leave time is within 1 s of the truth (%d leaves)" % len(leaves),
           bad_leave[:5])
    extra = [k for k in got if k not in joins]
    tap.ok(not extra and len(rows) == len(joins), "no interval the truth does not have (%d stored)" % len(rows),
           extra[:5])
    return got


def bridges(tap, state, truth, names, interval):
    samples = collections.defaultdict(list)
    for e in truth:
        if e["kind"] == "sample" and e["bridge"] in names:
            samples[e["bridge"]].append(e)
    rows = psql(state, "SELECT b.name, extract(epoch FROM m.minute), m.samples, m.stress_sum, m.stress_max,"
                " m.bitrate_down_sum, m.bitrate_down_max, m.bitrate_up_sum, m.bitrate_up_max,"
                " m.packets_down_sum, m.packets_down_max, m.packets_up_sum, m.packets_up_max,"
                " m.conferences_sum, m.conferences_max, m.endpoints_sum, m.endpoints_max,"
                " m.largest_conference_max, coalesce(m.loss_sum, -1), m.loss_samples, coalesce(m.rtt_sum, -1),"
                " m.rtt_samples, m.available_ms, m.seconds_available"
                " FROM bridge_minutes m JOIN bridges b ON b.id = m.bridge_id WHERE b.name IN (%s)"
                % ",".join("'%s'" % n for n in names))
    stored = {(r[0], int(float(r[1]))): r for r in rows}
    want = collections.defaultdict(list)
    for name, ss in samples.items():
        for s in ss:
            want[(name, int(s["t"] // 60 * 60))].append(s["v"])
    bad = []
    for k, vs in want.items():
        r = stored.get(k)
        if r is None or int(r[2]) != len(vs):
            bad.append((k, "samples", r and r[2], len(vs)))
            continue
        col = 3
        for fig, _ in FIGS:
            xs = [v[fig] for v in vs]
            if not near(float(r[col]), sum(xs)) or not near(float(r[col + 1]), max(xs)):
                bad.append((k, fig, r[col], sum(xs), r[col + 1], max(xs)))
            col += 2
        if int(r[17]) != max(v["largest_conference"] for v in vs):
            bad.append((k, "largest", r[17]))
        if not near(float(r[18]), sum(v["overall_loss"] for v in vs)) or int(r[19]) != len(vs):
            bad.append((k, "loss", r[18], r[19]))
        if not near(float(r[20]), sum(v["rtt_aggregate"] for v in vs)) or int(r[21]) != len(vs):
            bad.append((k, "rtt", r[20], r[21]))
    tap.ok(not bad, "minute roll-ups are exactly the samples sent (%d bridge-minutes)" % len(want), bad[:5])
    tap.ok(all(k in want or int(r[2]) == 0 for k, r in stored.items()),
           "no minute with samples that were not sent")
    return stored, samples


def transitions(state, name):
    return [(float(r[0]), r[1] == "t") for r in psql(
        state, "SELECT extract(epoch FROM t.at), t.up FROM bridge_transitions t JOIN bridges b"
        " ON b.id = t.bridge_id WHERE b.name = '%s' ORDER BY t.at, t.up DESC" % name)]


def availability(tap, stored, samples, truth, name, interval):
    """Expected available time per minute: spans between consecutive samples of one up period,
    plus the span from the last sample to a leave."""
    ev = [(s["t"], "s") for s in samples[name]]
    ev += [(e["t0"], "l") for e in truth if e["kind"] == "leave" and e.get("bridge") == name]
    ev.sort()
    spans = []
    prev = None
    for t, k in ev:
        if prev is not None and t - prev <= 3 * interval:
            spans.append((prev, t))
        prev = t if k == "s" else None
    per = collections.defaultdict(float)
    for a, b in spans:
        m = a // 60 * 60
        while m < b:
            per[int(m)] += max(0.0, min(b, m + 60) - max(a, m))
            m += 60
    bad = [(m, per[m], stored.get((name, m), [0] * 24)[22]) for m in per
           if abs(per[m] - int(stored.get((name, m), [0] * 24)[22]) / 1000.0) > 1.0]
    tap.ok(not bad, "%s: available seconds per minute within 1 s of the truth" % name, bad[:5])

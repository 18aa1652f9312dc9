#!/usr/bin/python3
# mailbox.py: the SMTP sink's mail read back with independent parsers (Python's email
# package and Debian's python3-icalendar), as JSON on stdout, for the mail tests.
#
#   mailbox.py DIR [MESSAGE-ID…]   every mail in DIR (arrival order), or only those IDs
import datetime
import email
import email.policy
import json
import os
import sys

import icalendar


def people(v):
    if v is None:
        return []
    return v if isinstance(v, list) else [v]


def calendar(raw):
    c = icalendar.Calendar.from_ical(raw)
    ev = list(c.walk("VEVENT"))[0]
    tzs = {str(t["TZID"]): t for t in c.walk("VTIMEZONE")}
    tzid = ev["DTSTART"].params.get("TZID")
    start = ev.decoded("DTSTART")
    # Our VTIMEZONE, read on its own: the offset it gives the local start time must be the
    # one the system's zone database gives (checked by the test against zoneinfo).
    vt_offset = None
    if tzid in tzs:
        tz = tzs[tzid].to_tz()
        local = ev["DTSTART"].dt.replace(tzinfo=None)
        vt_offset = tz.utcoffset(local).total_seconds() if hasattr(tz, "utcoffset") else None
        if vt_offset is None:
            vt_offset = local.replace(tzinfo=tz).utcoffset().total_seconds()
    return {
        "method": str(c.get("METHOD")),
        "uid": str(ev["UID"]),
        "sequence": int(ev["SEQUENCE"]),
        "status": str(ev.get("STATUS")),
        "summary": str(ev.get("SUMMARY")),
        "description": str(ev.get("DESCRIPTION", "")),
        "tzid": tzid,
        "local_start": ev["DTSTART"].dt.replace(tzinfo=None).isoformat(),
        "local_end": ev["DTEND"].dt.replace(tzinfo=None).isoformat(),
        "utc_start": start.astimezone(datetime.timezone.utc).isoformat() if start.tzinfo else None,
        "vtimezone_offset": vt_offset,
        "vtimezones": sorted(tzs),
        "url": str(ev.get("URL", "")),
        "location": str(ev.get("LOCATION", "")),
        "organizer": str(ev.get("ORGANIZER", "")),
        "attendees": [{"addr": str(a), "role": a.params.get("ROLE"), "cn": a.params.get("CN")}
                      for a in people(ev.get("ATTENDEE"))],
    }


def load(path, name):
    raw = open(path, "rb").read()
    m = email.message_from_bytes(raw, policy=email.policy.default)
    rec = {
        "file": name,
        "envelope_to": m["X-Sink-Rcpt-To"],
        "envelope_from": m["X-Sink-Mail-From"],
        "from": str(m["From"]),
        "to": [a.addr_spec for a in m["To"].addresses],
        "to_name": [a.display_name for a in m["To"].addresses],
        "subject": str(m["Subject"]),
        "message_id": str(m["Message-ID"]).strip("<>"),
        "headers": [k.lower() for k in m.keys()],
        "defects": [str(d) for d in m.defects],
        "text": None, "html": None, "ical": None, "ct_method": None,
        "content_type": m.get_content_type(), "attachment_same": None,
    }
    cal_raw = att_raw = None
    for part in m.walk():
        ct = part.get_content_type()
        if ct == "text/plain":
            rec["text"] = part.get_content()
        elif ct == "text/html":
            rec["html"] = part.get_content()
        elif ct == "text/calendar":
            rec["ct_method"] = part.get_param("method")
            cal_raw = part.get_content()
            rec["ical"] = calendar(cal_raw)
        elif ct == "application/ics":
            att_raw = part.get_payload(decode=True).decode("utf-8")
            rec["attachment_name"] = part.get_filename()
    if att_raw is not None:
        rec["attachment_same"] = att_raw == cal_raw
    return rec


def main():
    d = sys.argv[1]
    want = set(sys.argv[2:])
    out = []
    for n in sorted(f for f in os.listdir(d) if f.endswith(".eml")):
        r = load(os.path.join(d, n), n)
        if not want or r["message_id"] in want:
            out.append(r)
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()

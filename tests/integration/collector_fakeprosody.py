# collector_fakeprosody.py: a hostile XMPP-over-WebSocket server for t23_collector_hostile.sh.
# It logs a collector in (PLAIN: the test marks the link secure) and then sends what a broken
# or malicious peer could: malformed XML, a DTD with entity expansion, a frame over the cap,
# a binary frame, forged and invalid events, stats with garbage values, a ping; then a valid
# event split over three WebSocket fragments, then it closes the stream to see the collector
# come back; the second time it answers the login with an oversized SASL challenge, which the
# collector must refuse by dropping the link; the third time it goes silent (no answer to the
# collector's pings), and the collector must give that link up and come back a fourth time. It writes what it saw to a JSON file. It offers PLAIN only, so t24b_collector_tls.sh
# also uses it to see that a collector on a link not marked secure never sends that.
import asyncio
import base64
import json
import os
import sys

import websockets

PORT, PASSWORD, OUT = int(sys.argv[1]), sys.argv[2], sys.argv[3]
D = "meet.jitsi.example"
FR = "urn:ietf:params:xml:ns:xmpp-framing"
seen = {"connections": 0, "auths": 0, "auth_ok": False, "pong": False, "census": 0}


def save():
    # Whole or not at all: the test greps the file while later connections rewrite it.
    with open(OUT + ".tmp", "w") as f:
        json.dump(seen, f)
    os.replace(OUT + ".tmp", OUT)


def ev(attrs, inner=""):
    return ("<message xmlns='jabber:client' from='conference.%s' to='collector@auth.%s'>"
            "<event xmlns='urn:xmpp:sekkan:jitsi:0' %s>%s</event></message>" % (D, D, attrs, inner))


async def handler(ws, path=None):
    seen["connections"] += 1
    me = seen["connections"]
    save()
    stage = 0
    async for msg in ws:
        if isinstance(msg, bytes):
            continue
        if "<open" in msg:
            await ws.send("<open xmlns='%s' from='auth.%s' id='s%d' version='1.0' xml:lang='en'/>" % (FR, D, stage))
            if stage == 0:
                await ws.send("<stream:features xmlns:stream='http://etherx.jabber.org/streams'>"
                              "<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism>"
                              "</mechanisms></stream:features>")
            else:
                await ws.send("<stream:features xmlns:stream='http://etherx.jabber.org/streams'>"
                              "<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></stream:features>")
        elif "<auth" in msg:
            seen["auths"] += 1     # t24b: none may come over ws:// not marked secure
            b64 = msg.split(">", 1)[1].split("<", 1)[0]
            seen["auth_ok"] = base64.b64decode(b64) == b"\0collector\0" + PASSWORD.encode()
            save()
            if me == 2:
                # A challenge far over what SASL needs (it once overflowed a stack buffer):
                # the collector must drop this link and come back.
                await ws.send("<challenge xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>%s</challenge>"
                              % ("QUFB" * 15000))
                continue
            await ws.send("<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>" if seen["auth_ok"] else
                          "<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><not-authorized/></failure>")
            stage = 1
        elif "bind1" in msg:
            await ws.send("<iq xmlns='jabber:client' type='result' id='bind1'><bind xmlns='urn:ietf:params:xml:ns:"
                          "xmpp-bind'><jid>collector@auth.%s/c</jid></bind></iq>" % D)
        elif "<replay" in msg:
            # As the module does, with nothing to replay: the collector then sends its presence.
            await ws.send("<iq xmlns='jabber:client' type='result' from='conference.%s' id='replay1'><replay "
                          "xmlns='urn:xmpp:sekkan:jitsi:0' epoch='fake' seq='0' count='0'/></iq>" % D)
        elif "census" in msg and "type='get'" in msg and me != 3:
            seen["census"] += 1
            save()
            iq_id = msg.split("id='", 1)[1].split("'", 1)[0]
            await ws.send("<iq xmlns='jabber:client' type='result' from='conference.%s' id='%s'><census "
                          "xmlns='urn:xmpp:sekkan:jitsi:0' ts='%d'/></iq>" % (D, iq_id, 1796300000))
            if seen["connections"] == 1 and seen["census"] == 1:
                await attack(ws)
                return   # close: the collector must reconnect
        elif "type='result'" in msg and "ping1" in msg:
            seen["pong"] = True
            save()
        elif "urn:xmpp:ping" in msg and "type='get'" in msg and me != 3:
            # The collector's own pings, answered as prosody does; the third connection goes
            # silent instead, as a half-open link would, and must be dropped by the collector.
            iq_id = msg.split("id='", 1)[1].split("'", 1)[0]
            await ws.send("<iq xmlns='jabber:client' type='result' from='%s' id='%s'/>" % (D, iq_id))


async def attack(ws):
    big = "<message xmlns='jabber:client' from='conference.%s'><body>%s</body></message>" % (D, "x" * 100000)
    frames = [
        "<message from='conference.%s'><event" % D,                                   # cut short
        "<?xml version='1.0'?><!DOCTYPE m [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;&a;'>]>"
        "<message from='conference.%s'>&b;</message>" % D,                             # DTD
        big,                                                                           # over the cap
        "<message from='conference.%s'>\x01</message>" % D,                            # not XML
        "<a/><b/>",                                                                    # two elements
        ("<message xmlns='jabber:client' from='intruso@%s/x' to='collector@auth.%s'><event "
         "xmlns='urn:xmpp:sekkan:jitsi:0' type='created' room='forjada' ts='1796300000'/></message>" % (D, D)),
        ev("type='created' room='' ts='1796300000'"),                                   # no room
        ev("type='created' room='sinhora' ts='pronto'"),                               # bad time
        ev("type='boom' room='x' ts='1796300000'"),                                    # bad type
        ev("type='joined' room='x' ts='1796300000'"),                                  # no occupant
        ("<presence xmlns='jabber:client' from='jvbbrewery@internal.auth.%s/jvb-hostil'><stats "
         "xmlns='http://jitsi.org/protocol/colibri'><stat name='stress_level' value='mucho'/>"
         "<stat name='conferences' value='-3'/><stat name='endpoints' value='1e999'/>"
         "<stat name='bit_rate_download' value='777'/></stats></presence>" % D),
        # An error presence as if our brewery join were refused, from someone else: ignored.
        "<presence xmlns='jabber:client' type='error' from='intruso@%s/x'><error type='cancel'>"
        "<conflict xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></presence>" % D,
        "<iq xmlns='jabber:client' type='get' id='ping1' from='auth.%s'><ping xmlns='urn:xmpp:ping'/></iq>" % D,
    ]
    for f in frames:
        await ws.send(f)
    await ws.send(b"<presence/>")                                                      # binary
    ok1 = ev("type='created' room='hostilok' ts='1796300100.5'")
    ok2 = ev("type='joined' room='hostilok' occupant='f00d' ts='1796300101.25' guest='true'",
             "<identity source='presence' name='Bien' email='bien@example.org'/>")
    await ws.send(ok1)
    await ws.send(iter([ok2[:40], ok2[40:90], ok2[90:]]))                              # fragments
    # Read until the collector answers the ping, before the stream goes away.
    try:
        while not seen["pong"]:
            msg = await asyncio.wait_for(ws.recv(), 20)
            if isinstance(msg, str) and "type='result'" in msg and "ping1" in msg:
                seen["pong"] = True
                save()
    except asyncio.TimeoutError:
        pass


async def main():
    async with websockets.serve(handler, "127.0.0.1", PORT, subprotocols=["xmpp"], max_size=None):
        await asyncio.Future()

asyncio.run(main())

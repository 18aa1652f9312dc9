/* t_stanza.c: frames to trees (tools/collector/stanza.c) and trees to telemetry (tel.c). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "stanza.h"
#include "tel.h"
#include "tap.h"

static struct arena	A;

static struct xel *
P(const char *s, enum xs_status want, const char *what)
{
	struct xel	*x = NULL;
	enum xs_status	 st = xs_parse(&A, s, strlen(s), XS_MAX_BYTES, &x);

	ok(st == want, "%s (%s)", what, xs_strerror(st));
	return x;
}

#define BREWERY	"jvbbrewery@internal.auth.meet.test"
#define CONF	"conference.meet.test"

/* A bridge presence exactly as jicoco's MucClient sends it (prosody's quoting). */
static const char jvb[] =
    "<presence xmlns='jabber:client' from='jvbbrewery@internal.auth.meet.test/jvb-1' "
    "to='collector@auth.meet.test/c'><x xmlns='http://jabber.org/protocol/muc#user'><item "
    "jid='jvb@auth.meet.test/x' affiliation='none' role='participant'/></x>"
    "<stats xmlns='http://jitsi.org/protocol/colibri'>"
    "<stat value='0.37' name='stress_level'/><stat name='bit_rate_download' value='1234'/>"
    "<stat name='bit_rate_upload' value='4321'/><stat name='packet_rate_download' value='300'/>"
    "<stat name='packet_rate_upload' value='310'/><stat name='conferences' value='3'/>"
    "<stat name='endpoints' value='17'/><stat name='participants' value='99'/>"
    "<stat name='largest_conference' value='9'/><stat name='overall_loss' value='1.0E-4'/>"
    "<stat name='rtt_aggregate' value='23.5'/><stat name='version' value='2.3.59'/>"
    "<stat name='region' value='mx-central'/><stat name='drain' value='false'/>"
    "<stat name='graceful_shutdown' value='true'/>"
    "<stat name='current_timestamp' value='2026-12-03 19:00:41.250'/></stats></presence>";

int
main(void)
{
	struct xel		*x;
	struct tel_stats	 s;
	struct tel_event	 ev;
	struct tel_census_room	*rooms;
	const char		*why;
	double			 d, ts;
	int			 member;
	long long		 uid;
	char			*big;

	ar_init(&A);

	/* Parsing and caps. */
	x = P("<message xmlns='jabber:client' from='a@b'><body>hola &amp; adi\xc3\xb3s</body></message>",
	    XS_OK, "a message parses");
	ok(x && xs_is(x, "jabber:client", "message"), "namespace and name split");
	is_str(xs_attr(x, "from"), "a@b", "attribute read");
	is_str(x ? xs_child(x, NULL, "body")->x_text : NULL, "hola & adi\xc3\xb3s", "text joined across entities");
	P("<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' to='x' version='1.0'/>", XS_OK, "RFC 7395 open");
	P("<a><b></a>", XS_MALFORMED, "mismatched tags refused");
	P("<a/><b/>", XS_MALFORMED, "two elements in one frame refused");
	P("", XS_MALFORMED, "empty frame refused");
	P("hello", XS_MALFORMED, "text only refused");
	P("<?xml version='1.0'?><!DOCTYPE a [<!ENTITY x 'y'>]><a>&x;</a>", XS_DTD, "DTD refused");
	P("<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;\">]><a>&lol2;</a>",
	    XS_DTD, "billion laughs refused at the DTD");
	P("<a>&undefined;</a>", XS_MALFORMED, "undefined entity refused");
	P("<a>\xff\xfe</a>", XS_MALFORMED, "invalid UTF-8 refused");
	big = malloc(XS_MAX_BYTES + 100);
	memset(big, 'a', XS_MAX_BYTES + 100);
	memcpy(big, "<a>", 3);
	memcpy(big + XS_MAX_BYTES + 96, "</a>", 4);
	ok(xs_parse(&A, big, XS_MAX_BYTES + 100, XS_MAX_BYTES, &x) == XS_TOO_BIG, "over the cap refused");
	ok(xs_parse(&A, big, XS_MAX_BYTES + 100, XS_MAX_BYTES * 2, &x) == XS_OK && x->x_textlen ==
	    XS_MAX_BYTES + 93, "a large text within a larger cap is read whole");
	free(big);
	big = malloc(40 * 3 + 40 * 4 + 1);
	big[0] = '\0';
	for (int i = 0; i < 40; i++) strcat(big, "<a>");
	for (int i = 0; i < 40; i++) strcat(big, "</a>");
	P(big, XS_TOO_DEEP, "nesting beyond the cap refused");
	free(big);
	big = malloc(6 * 30000 + 10);
	strcpy(big, "<a>");
	for (int i = 0; i < 30000; i++) strcat(big + 3 + i * 4 - (i ? 0 : 0), "<b/>");
	strcat(big, "</a>");
	P(big, XS_TOO_DEEP, "too many elements refused");
	free(big);
	ar_reset(&A);

	/* Bridge stats. */
	x = P(jvb, XS_OK, "bridge presence parses");
	ok(tel_stats(x, BREWERY, "me", &s, &why) == TEL_OK, "bridge presence read");
	is_str(s.bridge, "jvb-1", "bridge name is the nick");
	ok(s.have == (1u << TF__MAX) - 1 && s.bad == 0, "every figure present and valid");
	ok(s.fig[TF_STRESS] == 0.37 && s.fig[TF_BIT_DOWN] == 1234 && s.fig[TF_BIT_UP] == 4321,
	    "stress and bit rates");
	ok(s.fig[TF_ENDPOINTS] == 17, "endpoints wins over the deprecated participants");
	ok(fabs(s.fig[TF_LOSS] - 1e-4) < 1e-12 && s.fig[TF_RTT] == 23.5, "Java double notation read");
	ok(s.fig[TF_CONFERENCES] == 3 && s.fig[TF_LARGEST] == 9, "conferences, largest");
	is_str(s.version, "2.3.59", "version");
	is_str(s.region, "mx-central", "region");
	ok(s.drain == 0 && s.shutdown == 1 && !s.leaving, "flags");
	ok(fabs(s.ts - 1796324441.25) < 1e-6, "current_timestamp is UTC with milliseconds (%.3f)", s.ts);
	ok(tel_stats(x, BREWERY, "jvb-1", &s, &why) == TEL_IGNORE, "our own nick ignored");
	ok(tel_stats(x, "other@internal.auth.meet.test", "me", &s, &why) == TEL_IGNORE,
	    "another room ignored");
	x = P("<presence from='JvbBrewery@internal.auth.meet.test/jvb-2' type='unavailable'/>", XS_OK,
	    "leave parses");
	ok(tel_stats(x, BREWERY, "me", &s, &why) == TEL_OK && s.leaving && !s.has_stats,
	    "unavailable is a leave (JID compared without case)");
	x = P("<presence from='jvbbrewery@internal.auth.meet.test/jvb-3'><stats "
	    "xmlns='http://jitsi.org/protocol/colibri'><stat name='stress_level' value='abc'/>"
	    "<stat name='bit_rate_download' value='NaN'/><stat name='bit_rate_upload' value='-5'/>"
	    "<stat name='conferences' value='1e400'/><stat name='endpoints' value='0x10'/>"
	    "<stat name='packet_rate_upload' value=' 7'/><stat name='largest_conference' value='4'/>"
	    "<stat name='current_timestamp' value='yesterday'/></stats></presence>", XS_OK, "hostile stats parse");
	ok(tel_stats(x, BREWERY, "me", &s, &why) == TEL_OK, "hostile stats still a sample");
	ok(s.bad == 7 && s.have == (1u << TF_LARGEST) && s.ts == 0 && why != NULL,
	    "non-numbers, negatives, overflow, hex and blanks are not reported (bad %d)", s.bad);
	x = P("<presence from='jvbbrewery@internal.auth.meet.test/x'><stats "
	    "xmlns='http://jitsi.org/protocol/colibri'><stat name='stress_level' value='0.5'/>"
	    "</stats></presence>", XS_OK, "stats-filter presence parses");
	ok(tel_stats(x, BREWERY, "me", &s, &why) == TEL_OK && s.have == 1u << TF_STRESS,
	    "missing keys tolerated");
	x = P("<presence from='jvbbrewery@internal.auth.meet.test/a\x01'/>", XS_MALFORMED,
	    "control character in XML refused by the parser");
	ar_reset(&A);

	/* Events. */
	x = P("<message xmlns='jabber:client' from='conference.meet.test' to='collector@auth.meet.test'>"
	    "<event xmlns='urn:xmpp:sekkan:jitsi:0' type='joined' room='abc' occupant='0f3a' "
	    "ts='1796324441.125' guest='false'><identity source='token' id='42' name='Ana G&#xf3;mez' "
	    "email='Ana@Example.MX' affiliation='owner' moderator='true'/></event></message>",
	    XS_OK, "event parses");
	ok(tel_event(x, CONF, &ev, &why) == TEL_OK, "event read");
	ok(ev.type == TE_JOINED && strcmp(ev.room, "abc") == 0 && strcmp(ev.occupant, "0f3a") == 0 &&
	    ev.ts == 1796324441.125, "type, room, occupant, time");
	ok(ev.token && ev.moderator && !ev.guest && strcmp(ev.name, "Ana G\xc3\xb3mez") == 0, "identity");
	is_str(tel_person(&A, &ev, &member, &uid), "u:42", "member's person key is the user id");
	ok(member && uid == 42, "member with user id");
	ev.affiliation = "guest";
	is_str(tel_person(&A, &ev, &member, &uid), "e:ana@example.mx",
	    "a guest token is keyed by lower-case e-mail");
	ev.email = "";
	is_str(tel_person(&A, &ev, &member, &uid), "n:Ana G\xc3\xb3mez", "then by name");
	ev.name = "";
	is_str(tel_person(&A, &ev, &member, &uid), "o:0f3a", "then by connection");
	ok(tel_event(x, "conference.other.test", &ev, &why) == TEL_BAD && why != NULL,
	    "an event from another sender is forged");
	x = P("<message from='conference.meet.test/nick'><event xmlns='urn:xmpp:sekkan:jitsi:0' "
	    "type='created' room='abc' ts='1796324441'/></message>", XS_OK, "full JID parses");
	ok(tel_event(x, CONF, &ev, &why) == TEL_BAD, "an event from a room occupant (full JID) is forged");
	x = P("<message from='evil@meet.test/x'><event xmlns='urn:xmpp:sekkan:jitsi:0' "
	    "type='created' room='abc' ts='1796324441'/></message>", XS_OK, "client message parses");
	ok(tel_event(x, CONF, &ev, &why) == TEL_BAD, "an event from a client is forged");
	x = P("<message from='conference.meet.test'><event xmlns='urn:xmpp:sekkan:jitsi:0' "
	    "type='exploded' room='abc' ts='1796324441'/></message>", XS_OK, "odd type parses");
	ok(tel_event(x, CONF, &ev, &why) == TEL_BAD, "unknown event type refused");
	x = P("<message from='conference.meet.test'><event xmlns='urn:xmpp:sekkan:jitsi:0' "
	    "type='joined' room='abc' ts='1796324441'/></message>", XS_OK, "join without occupant parses");
	ok(tel_event(x, CONF, &ev, &why) == TEL_BAD, "join without occupant refused");
	x = P("<message from='conference.meet.test'><event xmlns='urn:xmpp:sekkan:jitsi:0' "
	    "type='created' room='abc' ts='soon'/></message>", XS_OK, "bad time parses");
	ok(tel_event(x, CONF, &ev, &why) == TEL_BAD, "bad time refused");
	x = P("<message from='conference.meet.test'><event xmlns='urn:xmpp:sekkan:jitsi:0' "
	    "type='created' room='' ts='1796324441'/></message>", XS_OK, "empty room parses");
	ok(tel_event(x, CONF, &ev, &why) == TEL_BAD, "empty room refused");
	ok(ev.seq == 0 && ev.epoch == NULL, "an event without seq (an older module) has none");
	x = P("<message from='conference.meet.test'><event xmlns='urn:xmpp:sekkan:jitsi:0' "
	    "type='created' room='abc' ts='1796324441' seq='9007199254740991' epoch='e-1'/></message>",
	    XS_OK, "numbered event parses");
	ok(tel_event(x, CONF, &ev, &why) == TEL_OK && ev.seq == 9007199254740991ULL &&
	    strcmp(ev.epoch, "e-1") == 0, "seq and epoch read");
	x = P("<message from='conference.meet.test'><event xmlns='urn:xmpp:sekkan:jitsi:0' "
	    "type='created' room='abc' ts='1796324441' seq='12'/></message>", XS_OK, "seq alone parses");
	ok(tel_event(x, CONF, &ev, &why) == TEL_BAD, "a seq without its epoch refused");
	x = P("<message from='conference.meet.test'><event xmlns='urn:xmpp:sekkan:jitsi:0' "
	    "type='created' room='abc' ts='1796324441' seq='1.5' epoch='e'/></message>", XS_OK,
	    "fractional seq parses");
	ok(tel_event(x, CONF, &ev, &why) == TEL_BAD, "a seq that is not a whole number refused");
	x = P("<message from='conference.meet.test'><event xmlns='urn:xmpp:sekkan:jitsi:0' "
	    "type='created' room='abc' ts='1796324441' seq='0' epoch='e'/></message>", XS_OK, "seq 0 parses");
	ok(tel_event(x, CONF, &ev, &why) == TEL_BAD, "seq 0 refused (seqs start at 1)");
	x = P("<message from='conference.meet.test'><event xmlns='urn:xmpp:sekkan:jitsi:0' "
	    "type='created' room='abc' ts='1796324441' seq='3' epoch=''/></message>", XS_OK, "empty epoch parses");
	ok(tel_event(x, CONF, &ev, &why) == TEL_BAD, "an empty epoch refused");
	x = P("<message from='conference.meet.test'><body>hi</body></message>", XS_OK, "chat parses");
	ok(tel_event(x, CONF, &ev, &why) == TEL_IGNORE, "a message without an event is not ours");
	ar_reset(&A);

	/* Census. */
	x = P("<iq type='result' from='conference.meet.test' id='census1'><census "
	    "xmlns='urn:xmpp:sekkan:jitsi:0' ts='1796324500'><room name='r1' created='1796324400.5'>"
	    "<event type='joined' room='r1' occupant='o1' ts='1796324401'/>"
	    "<event type='joined' room='r1' occupant='o2' ts='1796324402'><identity source='presence' "
	    "name='Invitada'/></event></room><room name='r2' created='1796324450'/></census></iq>",
	    XS_OK, "census parses");
	ok(tel_census(&A, x, CONF, &rooms, &ts, &why) == TEL_OK && ts == 1796324500, "census read");
	ok(rooms && rooms->next && !rooms->next->next, "two rooms");
	ok(rooms && strcmp(rooms->room, "r2") == 0 && rooms->occ == NULL, "an empty room");
	ok(rooms && rooms->next->occ && rooms->next->occ->next &&
	    rooms->next->created == 1796324400.5, "a room with two occupants and its creation");
	ok(tel_census(&A, x, "conference.other.test", &rooms, &ts, &why) == TEL_BAD, "forged census");
	x = P("<iq type='result' from='conference.meet.test'><census xmlns='urn:xmpp:sekkan:jitsi:0' "
	    "ts='1796324500'><room name='r1' created='1796324400'><event type='joined' room='r9' "
	    "occupant='o1' ts='1796324401'/></room></census></iq>", XS_OK, "odd census parses");
	ok(tel_census(&A, x, CONF, &rooms, &ts, &why) == TEL_BAD, "an occupant of another room refused");

	/* Numbers and times. */
	ok(tel_num("12.5", 0, 100, &d) == 0 && d == 12.5, "decimal");
	ok(tel_num("inf", 0, 1e300, &d) != 0 && tel_num("", 0, 1, &d) != 0 &&
	    tel_num("1e5", 0, 100, &d) != 0, "inf, empty, out of range refused");
	ok(tel_jvbtime("2026-12-03 19:00:41") == 1796324441, "timestamp without milliseconds");
	ok(tel_jvbtime("2026-13-03 19:00:41.000") == 0 && tel_jvbtime("2026-12-03T19:00:41.000") == 0 &&
	    tel_jvbtime("2026-12-03 19:00:41.0000") == 0, "bad timestamps refused");
	is_str(xs_esc(&A, "<a href=\"x\">&'</a>"), "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;",
	    "escaping for text and attributes");
	ar_free(&A);
	return tap_done();
}

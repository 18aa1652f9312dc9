#!/bin/sh
# t25_mail.sh: invitations by mail end to end: the pages queue mail_outbox rows in their
# transactions, sekkan-mailer delivers them over SMTP to a real server on loopback
# (tools/smtp-sink, aiosmtpd), and the mail is read back with independent parsers (Python's
# email, python3-icalendar): recipients, subjects, UID, SEQUENCE, METHOD, times in the
# meeting's zone, personal links. Then: the SMTP server away (nothing lost, in order, none
# twice), the mailer killed mid-batch, hostile input, reminders, failures and their retry
# at /admin/correo, resending from the meeting page, a guest's personal link revoked and
# reactivated, the mailer's back-off and a server that stalls (tests/integration/smtp_stub.py),
# and the calendar feed and its window.
. "$(dirname "$0")/lib.sh"
MAIL=$STATE/mail
DEV=$ROOT/tools/dev
O=$T_TMP/owner.jar I=$T_TMP/invitee.jar
signin demo1 "$O"; ok $? "the owner signs in"
signin demo2 "$I"; ok $? "an invited employee signs in"
TOMORROW=$(TZ=America/Tijuana date -d tomorrow +%F)
export BASE TOMORROW
rm -f "$MAIL/.delay" "$MAIL/.delay-after" "$MAIL/.reject"

# mids WHERE: the Message-IDs of the outbox rows matching, oldest first.
mids() { q "SELECT message_id FROM mail_outbox WHERE $1 ORDER BY id" | tr '\n' ' '; }
# wait_sent WHERE: up to 180 s for at least one row to match and all of them to be sent
# (the sink keeps a mail before it answers 250, so it is in $MAIL by then).
wait_sent() {
	i=0
	until [ "$(q "SELECT count(*) > 0 AND bool_and(status = 'sent') FROM mail_outbox WHERE $1")" = t ]; do
		i=$((i + 1))
		[ $i -lt 900 ] || return 1
		sleep 0.2
	done
}
# wait_sql SQL WANT: up to 180 s for a query to give WANT.
wait_sql() {
	i=0
	until [ "$(q "$1")" = "$2" ]; do
		i=$((i + 1))
		[ $i -lt 900 ] || return 1
		sleep 0.2
	done
}
# mail_ok WHERE PYTHON DESCRIPTION: the sink's mails with the Message-IDs of those rows,
# parsed, as M (a list, arrival order); E is the environment. PYTHON asserts.
mail_ok() {
	{ /usr/bin/python3 "$ROOT/tests/integration/mailbox.py" "$MAIL" $(mids "$1") >"$T_TMP/m.json" &&
		/usr/bin/python3 -c 'import json, os, sys, datetime, zoneinfo
M = json.load(open(sys.argv[1])); E = os.environ
by = lambda a: [m for m in M if m["to"] == [a]]
exec(sys.argv[2])' "$T_TMP/m.json" "$2"; } >"$T_TMP/m.err" 2>&1
	rc=$?
	ok $rc "$3"
	[ $rc -eq 0 ] || sed 's/^/# /' "$T_TMP/m.err" | tail -n 15
}
# form PAGE JAR: the CSRF token of a page.
form() { fetch -b "$2" "$BASE$1"; field csrf; }

# --- A scheduled meeting in Tijuana's zone: one employee and two guests. ---
tok=$(form /reuniones/nueva "$O")
fetch -b "$O" -X POST --data-urlencode "csrf=$tok" -d tipo=programada \
	--data-urlencode 'nombre=Revisión «presupuesto» ñandú' -d "fecha=$TOMORROW" -d hora=10:00 -d duracion=45 \
	-d zona=America/Tijuana --data-urlencode "descripcion=$(printf 'Orden del día:\n.\n1. Cifras, ajustes; cierre')" \
	--data-urlencode 'internos=PELJ750315CD2' \
	--data-urlencode "externos=$(printf 'asesora@ejemplo.mx, moderador\nproveedor@ejemplo.mx')" \
	"$BASE/reuniones/nueva"
is_status 303 "the owner schedules a meeting with an employee and two guests"
ID=$(loc); ID=${ID##*/}
export ID
export ROOM=$(q "SELECT room FROM meetings WHERE id = $ID")
export TA=$(q "SELECT guest_token FROM meeting_participants WHERE meeting_id = $ID AND email = 'asesora@ejemplo.mx'")
export TP=$(q "SELECT guest_token FROM meeting_participants WHERE meeting_id = $ID AND email = 'proveedor@ejemplo.mx'")
export UTC=$(q "SELECT to_char(starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS+00:00') FROM meetings WHERE id = $ID")
[ "$(q "SELECT string_agg(kind || ':' || recipient, ',' ORDER BY recipient) FROM mail_outbox WHERE meeting_id = $ID")" = \
	"invite:asesora@ejemplo.mx,invite:juan.perez@institucion.gob.mx,invite:proveedor@ejemplo.mx" ]
ok $? "three invitations queued with the meeting (the employee's address from the directory)"
wait_sent "meeting_id = $ID"
ok $? "the mailer delivers them"
mail_ok "meeting_id = $ID" '
assert len(M) == 3, len(M)
assert sorted(m["to"][0] for m in M) == ["asesora@ejemplo.mx", "juan.perez@institucion.gob.mx", "proveedor@ejemplo.mx"]
for m in M:
    assert m["envelope_to"] == m["to"][0], m["envelope_to"]
    assert m["envelope_from"] == "sekkan@sekkan.localhost"
    assert "sekkan@sekkan.localhost" in m["from"]
    assert not m["defects"], m["defects"]
    assert m["content_type"] == "multipart/mixed" and m["attachment_same"] is True, m["content_type"]
    assert m["attachment_name"] == "invite.ics"
' "one mail to each, envelope and To alike, from the configured sender, no MIME defects, the calendar also attached"
mail_ok "meeting_id = $ID" '
for m in M:
    assert m["subject"].startswith("Invitación: Revisión «presupuesto» ñandú, "), m["subject"]
    assert "10:00" in m["subject"]
    c = m["ical"]
    assert m["ct_method"] == "REQUEST" and c["method"] == "REQUEST" and c["status"] == "CONFIRMED"
    assert c["uid"] == "sekkan-meeting-%s@sekkan.localhost" % E["ID"], c["uid"]
    assert c["sequence"] == 0
    assert c["summary"] == "Revisión «presupuesto» ñandú"
    assert c["description"] == "Orden del día:\n.\n1. Cifras, ajustes; cierre", repr(c["description"])
' "subjects in Spanish with the name intact; REQUEST, the meeting's UID, SEQUENCE 0"
mail_ok "meeting_id = $ID" '
z = zoneinfo.ZoneInfo("America/Tijuana")
for m in M:
    c = m["ical"]
    assert c["tzid"] == "America/Tijuana" and c["vtimezones"] == ["America/Tijuana"], c
    assert c["local_start"] == E["TOMORROW"] + "T10:00:00" and c["local_end"] == E["TOMORROW"] + "T10:45:00", c
    want = datetime.datetime.fromisoformat(c["local_start"]).replace(tzinfo=z).utcoffset().total_seconds()
    assert c["vtimezone_offset"] == want, (c["vtimezone_offset"], want)
    assert c["utc_start"] == E["UTC"], (c["utc_start"], E["UTC"])
' "10:00 to 10:45 in America/Tijuana, with a VTIMEZONE that agrees with the tz database"
mail_ok "meeting_id = $ID" '
links = {"asesora@ejemplo.mx": E["BASE"] + "/i/" + E["TA"], "proveedor@ejemplo.mx": E["BASE"] + "/i/" + E["TP"],
         "juan.perez@institucion.gob.mx": E["BASE"] + "/j/" + E["ROOM"]}
for m in M:
    u = links[m["to"][0]]
    assert m["ical"]["url"] == u and m["ical"]["location"] == u, (m["ical"]["url"], u)
    assert u in m["text"] and u in m["html"], m["to"]
    assert "45 minutos" in m["text"] and "Ana Gómez Martínez" in m["text"] and "teléfono" in m["text"]
    assert ("personal" in m["text"]) == ("/i/" in u)
    assert "ñandú" in m["html"] and "&laquo;" not in m["text"]
' "each guest gets their personal link, the employee the meeting link; text and HTML name organiser, duration, phone"
mail_ok "meeting_id = $ID" '
for m in M:
    c = m["ical"]
    assert c["organizer"] == "mailto:ana.gomez@institucion.gob.mx", c["organizer"]
    roles = {a["addr"]: a["role"] for a in c["attendees"]}
    assert roles == {"mailto:asesora@ejemplo.mx": "CHAIR", "mailto:proveedor@ejemplo.mx": "REQ-PARTICIPANT",
                     "mailto:juan.perez@institucion.gob.mx": "REQ-PARTICIPANT"}, roles
' "ORGANIZER and every ATTENDEE with their role (moderator as CHAIR)"
fetch -b "$O" "$BASE/reuniones/$ID"
body_has 'invitación enviada' "the owner's page says the invitations were sent"
fetch -b "$I" "$BASE/reuniones/$ID"
body_lacks 'invitación enviada' "a participant does not see others' mail status"

# --- An edit: an hour later, one guest out, one in. ---
etok=$(form "/reuniones/$ID/editar" "$O")
fetch -b "$O" -X POST --data-urlencode "csrf=$etok" --data-urlencode 'nombre=Revisión «presupuesto» ñandú' \
	-d "fecha=$TOMORROW" -d hora=11:00 -d duracion=45 -d zona=America/Tijuana \
	--data-urlencode "descripcion=$(printf 'Orden del día:\n.\n1. Cifras, ajustes; cierre')" \
	--data-urlencode 'internos=PELJ750315CD2' \
	--data-urlencode "externos=$(printf 'asesora@ejemplo.mx, moderador\nnuevo@ejemplo.mx')" \
	"$BASE/reuniones/$ID/editar"
is_status 303 "the owner moves the meeting and changes the guests"
[ "$(q "SELECT string_agg(kind || ':' || recipient, ',' ORDER BY recipient) FROM mail_outbox WHERE meeting_id = $ID AND id > (SELECT max(id) FROM mail_outbox WHERE meeting_id = $ID AND kind = 'invite' AND recipient = 'proveedor@ejemplo.mx')")" = \
	"update:asesora@ejemplo.mx,update:juan.perez@institucion.gob.mx,invite:nuevo@ejemplo.mx,removed:proveedor@ejemplo.mx" ]
ok $? "queued with the edit: updates to those who stay, an invitation to the new guest, a CANCEL to the one removed"
wait_sent "meeting_id = $ID"
ok $? "and delivered"
mail_ok "meeting_id = $ID AND kind <> 'invite' OR recipient = 'nuevo@ejemplo.mx' AND meeting_id = $ID" '
assert len(M) == 4, len(M)
for m in M:
    c = m["ical"]
    assert c["uid"] == "sekkan-meeting-%s@sekkan.localhost" % E["ID"] and c["sequence"] == 1, c
gone = by("proveedor@ejemplo.mx")[0]
assert gone["ct_method"] == "CANCEL" and gone["ical"]["method"] == "CANCEL" and gone["ical"]["status"] == "CANCELLED"
assert [a["addr"] for a in gone["ical"]["attendees"]] == ["mailto:proveedor@ejemplo.mx"]
assert "/i/" not in gone["text"] and "/j/" not in gone["text"]
for a in ("asesora@ejemplo.mx", "juan.perez@institucion.gob.mx", "nuevo@ejemplo.mx"):
    c = by(a)[0]["ical"]
    assert c["method"] == "REQUEST" and c["local_start"] == E["TOMORROW"] + "T11:00:00", (a, c)
    assert sorted(x["addr"] for x in c["attendees"]) == ["mailto:asesora@ejemplo.mx",
        "mailto:juan.perez@institucion.gob.mx", "mailto:nuevo@ejemplo.mx"], c["attendees"]
assert by("asesora@ejemplo.mx")[0]["subject"].startswith("Reunión actualizada: ")
assert by("nuevo@ejemplo.mx")[0]["subject"].startswith("Invitación: ")
' "SEQUENCE 1 everywhere, 11:00; CANCEL naming only the removed guest, without a link"

# --- Resend from the meeting page. ---
PA=$(q "SELECT id FROM meeting_participants WHERE meeting_id = $ID AND email = 'asesora@ejemplo.mx'")
before=$(q "SELECT count(*) FROM mail_outbox WHERE participant_id = $PA")
tok=$(form "/reuniones/$ID" "$O")
fetch -b "$O" -X POST --data-urlencode "csrf=$tok" -d accion=reenviar -d "p=$PA" "$BASE/reuniones/$ID"
is_status 303 "the owner resends one invitation"
[ "$(q "SELECT count(*) FROM mail_outbox WHERE participant_id = $PA AND kind = 'invite'")" = 2 ] &&
	[ "$(q "SELECT count(*) FROM mail_outbox WHERE participant_id = $PA")" = $((before + 1)) ]
ok $? "one more invitation row for that guest only"
fetch -b "$O" -X POST --data-urlencode "csrf=$tok" -d accion=reenviar -d p=999999999 "$BASE/reuniones/$ID"
is_status 404 "resending to someone not in the meeting"
tokI=$(form "/reuniones/$ID" "$I")
fetch -b "$I" -X POST --data-urlencode "csrf=$tokI" -d accion=reenviar -d "p=$PA" "$BASE/reuniones/$ID"
is_status 404 "a participant cannot resend"
wait_sent "participant_id = $PA"
mail_ok "participant_id = $PA AND kind = 'invite'" '
assert len(M) == 2 and M[0]["message_id"] != M[1]["message_id"]
assert M[1]["ical"]["sequence"] == 1 and M[1]["ical"]["uid"] == M[0]["ical"]["uid"]
' "the resent invitation: a new Message-ID, the same UID, the current SEQUENCE"

# --- The SMTP server away: schedule, cancel, bring it back. ---
"$DEV" service "$STATE" smtp stop
ok $? "the SMTP server stops"
tok=$(form /reuniones/nueva "$O")
fetch -b "$O" -X POST --data-urlencode "csrf=$tok" -d tipo=programada --data-urlencode 'nombre=Durante la caída' \
	-d "fecha=$TOMORROW" -d hora=12:00 -d duracion=30 -d zona=America/Mexico_City \
	--data-urlencode 'externos=orden@ejemplo.mx' "$BASE/reuniones/nueva"
is_status 303 "a meeting is scheduled while mail is down"
B=$(loc); B=${B##*/}
tok=$(form "/reuniones/$B" "$O")
fetch -b "$O" -X POST --data-urlencode "csrf=$tok" -d accion=cancelar "$BASE/reuniones/$B"
is_status 303 "and cancelled"
wait_sql "SELECT min(attempts) > 0 FROM mail_outbox WHERE meeting_id = $B AND kind = 'invite'" t
ok $? "the mailer tried and failed"
[ "$(q "SELECT string_agg(kind || ':' || status, ',' ORDER BY id) FROM mail_outbox WHERE meeting_id = $B")" = "invite:pending,cancel:pending" ] &&
	[ "$(q "SELECT count(*) FROM mail_outbox WHERE meeting_id = $B AND kind = 'cancel' AND attempts > 0")" = 0 ]
ok $? "both mails wait; the cancellation is not tried before the invitation"
q "SELECT last_error FROM mail_outbox WHERE meeting_id = $B AND kind = 'invite'" | grep -qi 'connect'
ok $? "the error is recorded for the operator"
fetch -b "$O" "$BASE/reuniones/$B"
body_has 'cancelación pendiente de envío' "the owner's page says the cancellation is pending"
"$DEV" service "$STATE" smtp start
ok $? "the SMTP server is back"
wait_sent "meeting_id = $B"
ok $? "both are delivered"
mail_ok "meeting_id = $B" '
assert len(M) == 2, [m["file"] for m in M]
assert [m["ical"]["method"] for m in M] == ["REQUEST", "CANCEL"], "out of order"
assert [m["ical"]["sequence"] for m in M] == [0, 1]
assert M[1]["subject"] == "Reunión cancelada: Durante la caída"
' "every mail arrives, once each, the invitation before the cancellation"
fetch -b "$O" "$BASE/reuniones/$B"
body_has '<span class="mail-cancel_sent">cancelación enviada</span>' "the owner's page says the cancellation reached them"

# --- The mailer killed mid-batch: ten guests, a slow server. ---
echo 1 >"$MAIL/.delay"
ten=$(for i in 1 2 3 4 5 6 7 8 9 10; do echo "lote$i@ejemplo.mx"; done)
tok=$(form /reuniones/nueva "$O")
fetch -b "$O" -X POST --data-urlencode "csrf=$tok" -d tipo=programada --data-urlencode 'nombre=Lote' \
	-d "fecha=$TOMORROW" -d hora=13:00 -d duracion=30 -d zona=America/Mexico_City \
	--data-urlencode "externos=$ten" "$BASE/reuniones/nueva"
is_status 303 "a meeting with ten guests"
C=$(loc); C=${C##*/}
wait_sql "SELECT count(*) >= 2 FROM mail_outbox WHERE meeting_id = $C AND status = 'sent'" t
ok $? "the mailer is under way"
kill -KILL "$(cat "$STATE/run/mailer.pid")"
ok $? "the mailer is killed (SIGKILL) in the middle of the batch"
rm -f "$MAIL/.delay"
[ "$(q "SELECT count(*) < 10 FROM mail_outbox WHERE meeting_id = $C AND status = 'sent'")" = t ]
ok $? "with mail still to send"
"$DEV" service "$STATE" mailer start
ok $? "a mailer starts again"
wait_sent "meeting_id = $C"
ok $? "every mail of the batch is marked sent"
mail_ok "meeting_id = $C" '
ids = [m["message_id"] for m in M]
assert len(set(ids)) == 10, len(set(ids))
assert len(ids) - 10 <= 1, "more than the one mail in flight came twice: %d" % len(ids)
assert sorted(set(m["to"][0] for m in M)) == sorted("lote%d@ejemplo.mx" % i for i in range(1, 11))
' "all ten arrived; at most the one in flight when killed came twice (same Message-ID)"

# --- Killed between send and mark: the server kept the mail, the mailer never heard its 250. ---
echo 30 >"$MAIL/.delay-after"
tok=$(form /reuniones/nueva "$O")
fetch -b "$O" -X POST --data-urlencode "csrf=$tok" -d tipo=programada --data-urlencode 'nombre=Ventana' \
	-d "fecha=$TOMORROW" -d hora=14:00 -d duracion=30 -d zona=America/Mexico_City \
	--data-urlencode 'externos=ventana@ejemplo.mx' "$BASE/reuniones/nueva"
is_status 303 "a meeting with one guest, the server slow to answer after keeping the mail"
WIN=$(loc); WIN=${WIN##*/}
i=0
until grep -q '^X-Sink-Rcpt-To: ventana@ejemplo.mx' "$MAIL"/*.eml 2>/dev/null || [ $i -ge 600 ]; do
	i=$((i + 1)); sleep 0.1
done
grep -q '^X-Sink-Rcpt-To: ventana@ejemplo.mx' "$MAIL"/*.eml
ok $? "the server has the mail"
kill -KILL "$(cat "$STATE/run/mailer.pid")"
rm -f "$MAIL/.delay-after"
[ "$(q "SELECT status FROM mail_outbox WHERE meeting_id = $WIN")" = pending ]
ok $? "killed before its 250: the row is still pending, not lost"
"$DEV" service "$STATE" mailer start
wait_sent "meeting_id = $WIN"
ok $? "a new mailer sends it and marks it sent"
mail_ok "meeting_id = $WIN" '
assert len(M) == 2, len(M)
assert M[0]["message_id"] == M[1]["message_id"], [m["message_id"] for m in M]
assert M[0]["to"] == M[1]["to"] == ["ventana@ejemplo.mx"]
' "the rare duplicate of that window: twice, with one stable Message-ID"

# --- A Mail.From no mail can carry stops the mailer at start, with one line saying why. ---
sed -e '/^Mail\.From /d' "$STATE/conf/sekkan.hdf" >"$T_TMP/badfrom.hdf"
echo 'Mail.From = no es un correo' >>"$T_TMP/badfrom.hdf"
chmod 0644 "$T_TMP/badfrom.hdf"
"$ROOT/tools/mailer/sekkan-mailer" -c "$T_TMP/badfrom.hdf" >"$T_TMP/badfrom.log" 2>&1
[ $? = 1 ] && grep -q 'config: Mail.From is not a valid e-mail address: no mail can be composed; stopping' "$T_TMP/badfrom.log"
ok $? "a bad Mail.From stops the mailer at start with one clear line"

# --- Two mailers at once share the queue: every mail once. ---
"$ROOT/tools/mailer/sekkan-mailer" -c "$STATE/conf/sekkan.hdf" >>"$STATE/log/mailer-2.log" 2>&1 &
SECOND=$!
echo 0.3 >"$MAIL/.delay"
ten=$(for i in 1 2 3 4 5 6 7 8 9 10; do echo "par$i@ejemplo.mx"; done)
tok=$(form /reuniones/nueva "$O")
fetch -b "$O" -X POST --data-urlencode "csrf=$tok" -d tipo=programada --data-urlencode 'nombre=Dos carteros' \
	-d "fecha=$TOMORROW" -d hora=13:30 -d duracion=30 -d zona=America/Mexico_City \
	--data-urlencode "externos=$ten" "$BASE/reuniones/nueva"
is_status 303 "ten more guests while two mailers run"
D=$(loc); D=${D##*/}
wait_sent "meeting_id = $D"
ok $? "all delivered"
rm -f "$MAIL/.delay"
kill "$SECOND"; wait "$SECOND" 2>/dev/null
mail_ok "meeting_id = $D" '
ids = [m["message_id"] for m in M]
assert len(ids) == 10 and len(set(ids)) == 10, len(ids)
' "each exactly once (FOR UPDATE SKIP LOCKED)"

# --- The recipient's language: an employee whose account is in English. ---
q "UPDATE users SET lang = 'en' WHERE rfc = 'PELJ750315CD2'" >/dev/null
tok=$(form /reuniones/nueva "$O")
fetch -b "$O" -X POST --data-urlencode "csrf=$tok" -d tipo=programada --data-urlencode 'nombre=Idiomas' \
	-d "fecha=$TOMORROW" -d hora=13:45 -d duracion=30 -d zona=America/Mexico_City \
	--data-urlencode 'internos=PELJ750315CD2' --data-urlencode 'externos=idioma@ejemplo.mx' "$BASE/reuniones/nueva"
q "UPDATE users SET lang = 'es' WHERE rfc = 'PELJ750315CD2'" >/dev/null
L=$(loc); L=${L##*/}
wait_sent "meeting_id = $L"
mail_ok "meeting_id = $L" '
en = by("juan.perez@institucion.gob.mx")[0]; es = by("idioma@ejemplo.mx")[0]
assert en["subject"].startswith("Invitation: Idiomas, ") and "30 minutes" in en["text"], en["subject"]
assert es["subject"].startswith("Invitación: Idiomas, ") and "30 minutos" in es["text"], es["subject"]
' "each in their language: English for the account in English, Spanish for the guest"

# --- Hostile input. ---
count() { q "SELECT count(*) FROM mail_outbox"; }
n0=$(count)
eleven=$(for i in 1 2 3 4 5 6 7 8 9 10 11; do echo "g$i@ejemplo.mx"; done)
tok=$(form /reuniones/nueva "$O")
fetch -b "$O" -X POST --data-urlencode "csrf=$tok" -d tipo=programada --data-urlencode 'nombre=Once' \
	-d "fecha=$TOMORROW" -d hora=14:00 -d duracion=30 -d zona=America/Mexico_City \
	--data-urlencode "externos=$eleven" "$BASE/reuniones/nueva"
is_status 400 "eleven external guests are refused at the form"
fetch -b "$O" -X POST --data-urlencode "csrf=$tok" -d tipo=programada \
	--data-urlencode "nombre=$(printf 'Inyección\r\nBcc: intruso@malo.mx')" \
	-d "fecha=$TOMORROW" -d hora=14:00 -d duracion=30 -d zona=America/Mexico_City \
	--data-urlencode 'externos=a@ejemplo.mx' "$BASE/reuniones/nueva"
is_status 400 "a name with CR/LF is refused at the form"
long=$(/usr/bin/python3 -c 'print("a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 58 + ".mx")')
[ ${#long} -eq 254 ]
ok $? "a 254-character address for the test"
fetch -b "$O" -X POST --data-urlencode "csrf=$tok" -d tipo=programada --data-urlencode 'nombre=Larga' \
	-d "fecha=$TOMORROW" -d hora=14:00 -d duracion=30 -d zona=America/Mexico_City \
	--data-urlencode "externos=x$long" "$BASE/reuniones/nueva"
is_status 400 "a 255-character address is refused at the form"
[ "$(count)" = "$n0" ]
ok $? "nothing queued for any of them"
q "UPDATE directory SET name = E'Olga\\r\\nBcc: intruso@malo.mx\\r\\nSubject: x Muñoz' WHERE rfc = 'MUÑO900620EF3'" >/dev/null
fetch -b "$O" -X POST --data-urlencode "csrf=$tok" -d tipo=programada --data-urlencode 'nombre=Caracteres «raros» y ünïcode' \
	-d "fecha=$TOMORROW" -d hora=14:00 -d duracion=30 -d zona=America/Mexico_City \
	--data-urlencode 'internos=MUÑO900620EF3' --data-urlencode "externos=$long" "$BASE/reuniones/nueva"
is_status 303 "a 254-character address and a directory name with CR/LF are accepted"
q "UPDATE directory SET name = 'Olga Muñoz Ortiz' WHERE rfc = 'MUÑO900620EF3'" >/dev/null
H=$(loc); H=${H##*/}
export LONG=$long
wait_sent "meeting_id = $H"
ok $? "and delivered"
mail_ok "meeting_id = $H" '
assert len(M) == 2, len(M)
for m in M:
    assert "bcc" not in m["headers"] and m["headers"].count("subject") == 1, m["headers"]
    assert m["envelope_to"] == m["to"][0] and "intruso" not in m["envelope_to"]
    assert not m["defects"], m["defects"]
    assert m["subject"].startswith("Invitación: Caracteres «raros» y ünïcode, ")
olga = by("olga.munoz@institucion.gob.mx")[0]
assert [" ".join(n.split()) for n in olga["to_name"]] == ["Olga Bcc: intruso@malo.mx Subject: x Muñoz"], olga["to_name"]
assert by(E["LONG"])[0]["envelope_to"] == E["LONG"]
' "no header can be injected: the name stays in its own header, RFC 2047 decodes it back; the long address goes through"

# --- Reminders. ---
tok=$(form /reuniones/nueva "$O")
fetch -b "$O" -X POST --data-urlencode "csrf=$tok" -d tipo=programada --data-urlencode 'nombre=Pronto' \
	-d "fecha=$TOMORROW" -d hora=15:00 -d duracion=30 -d zona=America/Mexico_City \
	--data-urlencode 'externos=recuerdo@ejemplo.mx' "$BASE/reuniones/nueva"
R=$(loc); R=${R##*/}
q "UPDATE meetings SET created_at = now() - interval '1 day', starts_at = now() + interval '10 minutes',
   ends_at = now() + interval '40 minutes' WHERE id = $R" >/dev/null
wait_sent "meeting_id = $R AND kind = 'reminder'"
ok $? "a reminder is queued and sent when the meeting is within Mail.ReminderMinutes"
mail_ok "meeting_id = $R AND kind = 'reminder'" '
assert len(M) == 1 and M[0]["subject"].startswith("Recordatorio: Pronto"), M[0]["subject"]
assert M[0]["ical"] is None and E["BASE"] + "/i/" in M[0]["text"]
' "the reminder: its subject, the personal link, no calendar part"
sleep 3
[ "$(q "SELECT count(*) FROM mail_outbox WHERE meeting_id = $R AND kind = 'reminder'")" = 1 ]
ok $? "only one reminder"

# --- A mail the server refuses: retried, failed, shown to the owner and the administrator. ---
echo 'rechazo@ejemplo.mx' >"$MAIL/.reject"
tok=$(form /reuniones/nueva "$O")
fetch -b "$O" -X POST --data-urlencode "csrf=$tok" -d tipo=programada --data-urlencode 'nombre=Rechazada' \
	-d "fecha=$TOMORROW" -d hora=16:00 -d duracion=30 -d zona=America/Mexico_City \
	--data-urlencode 'externos=rechazo@ejemplo.mx' "$BASE/reuniones/nueva"
F=$(loc); F=${F##*/}
wait_sql "SELECT status || attempts FROM mail_outbox WHERE meeting_id = $F" failed1
ok $? "a refusal for good (550) fails at once, not after hours of retries"
[ "$(q "SELECT last_error LIKE '%550%' FROM mail_outbox WHERE meeting_id = $F")" = t ]
ok $? "with the server's answer recorded"
grep -q 'refused for good: failed now' "$STATE/log/mailer.log"
ok $? "the operator's log says so"
fetch -b "$O" "$BASE/reuniones/$F"
body_has 'la invitación no se pudo enviar' "the owner's page says so"
fetch -b "$I" "$BASE/admin/correo"
is_status 404 "/admin/correo does not exist for an employee"
"$ROOT/tools/sekkanctl" -c "$STATE/conf/sekkan.hdf" grant-admin GOMA800101AB1 >/dev/null
fetch -b "$O" "$BASE/admin/correo"
is_status 200 "an administrator sees /admin/correo"
body_has 'rechazo@ejemplo.mx' "the failed mail is listed"
body_has '550' "with its error"
q "UPDATE users SET time_zone = 'America/Tijuana' WHERE rfc = 'GOMA800101AB1'" >/dev/null
fetch -b "$O" "$BASE/admin/correo"
body_has "<td>$(q "SELECT to_char(created_at AT TIME ZONE 'America/Tijuana', 'YYYY-MM-DD HH24:MI') FROM mail_outbox
	WHERE meeting_id = $F")</td><td>rechazo@ejemplo.mx</td>" "its time in the administrator's own zone"
q "UPDATE users SET time_zone = 'America/Mexico_City' WHERE rfc = 'GOMA800101AB1'" >/dev/null
FID=$(q "SELECT id FROM mail_outbox WHERE meeting_id = $F")
rm -f "$MAIL/.reject"
fetch -b "$O" -X POST --data-urlencode "csrf=$(field csrf)" -d accion=reintentar -d id=abc "$BASE/admin/correo"
is_status 400 "a bad id is refused"
fetch -b "$O" -X POST --data-urlencode "csrf=$(field csrf)" -d accion=reintentar -d "id=$FID" "$BASE/admin/correo"
is_status 303 "the administrator retries it"
wait_sent "id = $FID"
ok $? "and it is delivered"
[ "$(q "SELECT count(*) FROM audit_log WHERE action = 'mail_retried'")" -ge 1 ]
ok $? "the retry is audited"

# --- A failed invitation that a cancellation has since superseded is never retried. ---
echo 'reemplazo@ejemplo.mx' >"$MAIL/.reject"
tok=$(form /reuniones/nueva "$O")
fetch -b "$O" -X POST --data-urlencode "csrf=$tok" -d tipo=programada --data-urlencode 'nombre=Reemplazada' \
	-d "fecha=$TOMORROW" -d hora=16:30 -d duracion=30 -d zona=America/Mexico_City \
	--data-urlencode 'externos=reemplazo@ejemplo.mx' "$BASE/reuniones/nueva"
G=$(loc); G=${G##*/}
wait_sql "SELECT status FROM mail_outbox WHERE meeting_id = $G AND kind = 'invite'" failed
ok $? "its invitation is refused for good"
rm -f "$MAIL/.reject"
tok=$(form "/reuniones/$G" "$O")
fetch -b "$O" -X POST --data-urlencode "csrf=$tok" -d accion=cancelar "$BASE/reuniones/$G"
wait_sent "meeting_id = $G AND kind = 'cancel'"
ok $? "the meeting is cancelled, and the cancellation goes"
GID=$(q "SELECT id FROM mail_outbox WHERE meeting_id = $G AND kind = 'invite'")
fetch -b "$O" "$BASE/admin/correo"
body_has 'Ya no se reintenta: esta persona recibió después un correo más reciente' "the administrator sees it superseded"
fetch -b "$O" -X POST --data-urlencode "csrf=$(field csrf)" -d accion=reintentar -d "id=$GID" "$BASE/admin/correo"
fetch -b "$O" "$BASE/admin/correo"
fetch -b "$O" -X POST --data-urlencode "csrf=$(field csrf)" -d accion=reintentar -d id=todos "$BASE/admin/correo"
sleep 2
[ "$(q "SELECT status FROM mail_outbox WHERE id = $GID")" = failed ]
ok $? "neither its own retry nor 'retry all' sends the invitation after its cancellation"

# --- A series: "cancel this and the following" sends a CANCEL for each. ---
tok=$(form /reuniones/nueva "$O")
fetch -b "$O" -X POST --data-urlencode "csrf=$tok" -d tipo=programada --data-urlencode 'nombre=Serie t25' \
	-d "fecha=$TOMORROW" -d hora=17:00 -d duracion=30 -d zona=America/Mexico_City -d repetir=diario -d veces=3 \
	--data-urlencode 'externos=serie@ejemplo.mx' "$BASE/reuniones/nueva"
is_status 303 "a daily series of three with a guest"
S1=$(loc); S1=${S1##*/}
SER=$(q "SELECT series_id FROM meetings WHERE id = $S1")
S2=$(q "SELECT id FROM meetings WHERE series_id = $SER ORDER BY starts_at OFFSET 1 LIMIT 1")
[ "$(q "SELECT count(DISTINCT meeting_id) FROM mail_outbox WHERE kind = 'invite' AND meeting_id IN (SELECT id FROM meetings WHERE series_id = $SER)")" = 3 ]
ok $? "an invitation per occurrence, each its own calendar entry"
fetch -b "$O" "$BASE/reuniones/$S2"
body_has 'value="siguientes"' "a meeting of a series offers cancelling it and the following"
tok=$(field csrf)
fetch -b "$O" -X POST --data-urlencode "csrf=$tok" -d accion=cancelar -d alcance=siguientes "$BASE/reuniones/$ID"
is_status 400 "not for a meeting outside a series"
fetch -b "$O" -X POST --data-urlencode "csrf=$tok" -d accion=cancelar -d alcance=todas "$BASE/reuniones/$S2"
is_status 400 "an unknown scope"
fetch -b "$O" -X POST --data-urlencode "csrf=$tok" -d accion=cancelar -d alcance=siguientes "$BASE/reuniones/$S2"
is_status 303 "the owner cancels the second and the following"
[ "$(q "SELECT string_agg(status || sequence, ',' ORDER BY starts_at) FROM meetings WHERE series_id = $SER")" = "active0,cancelled1,cancelled1" ]
ok $? "the first stays, the other two are cancelled with a new SEQUENCE"
[ "$(q "SELECT detail->>'meetings' FROM audit_log WHERE action = 'meeting_series_cancelled' AND object_id = '$SER'")" = 2 ]
ok $? "one audit row for the series, naming two meetings"
wait_sent "kind = 'cancel' AND meeting_id IN (SELECT id FROM meetings WHERE series_id = $SER)"
ok $? "the cancellations are delivered"
export S2 S3=$(q "SELECT id FROM meetings WHERE series_id = $SER ORDER BY starts_at OFFSET 2 LIMIT 1")
mail_ok "kind = 'cancel' AND meeting_id IN (SELECT id FROM meetings WHERE series_id = $SER)" '
assert len(M) == 2, len(M)
assert sorted(m["ical"]["uid"] for m in M) == sorted("sekkan-meeting-%s@sekkan.localhost" % E[k] for k in ("S2", "S3"))
assert all(m["ical"]["method"] == "CANCEL" and m["ical"]["sequence"] == 1 and m["to"] == ["serie@ejemplo.mx"] for m in M)
' "a CANCEL with each occurrence's UID"
fetch -b "$O" -X POST --data-urlencode "csrf=$tok" -d accion=cancelar -d alcance=siguientes "$BASE/reuniones/$S2"
is_status 409 "cancelling them again"

# --- A guest's personal link revoked, then reactivated: mail to that guest only. ---
tok=$(form /reuniones/nueva "$O")
fetch -b "$O" -X POST --data-urlencode "csrf=$tok" -d tipo=programada --data-urlencode 'nombre=Enlaces personales' \
	-d "fecha=$TOMORROW" -d hora=17:30 -d duracion=30 -d zona=America/Mexico_City \
	--data-urlencode "externos=$(printf 'enlace@ejemplo.mx\ntestigo@ejemplo.mx')" "$BASE/reuniones/nueva"
is_status 303 "a meeting with two guests"
G=$(loc); G=${G##*/}
wait_sent "meeting_id = $G"
ok $? "their invitations are delivered"
PG=$(q "SELECT id FROM meeting_participants WHERE meeting_id = $G AND email = 'enlace@ejemplo.mx'")
export G T1=$(q "SELECT guest_token FROM meeting_participants WHERE id = $PG")
last=$(q "SELECT max(id) FROM mail_outbox")
tok=$(form "/reuniones/$G" "$O")
fetch -b "$O" -X POST --data-urlencode "csrf=$tok" -d accion=revocar -d "p=$PG" "$BASE/reuniones/$G"
is_status 303 "the owner revokes one guest's link"
[ "$(q "SELECT string_agg(kind || ':' || recipient, ',') FROM mail_outbox WHERE id > $last")" = "removed:enlace@ejemplo.mx" ] &&
	[ "$(q "SELECT sequence FROM meetings WHERE id = $G")" = 1 ]
ok $? "one mail queued, to that guest only; the meeting's SEQUENCE raised"
wait_sent "id > $last"
ok $? "and delivered"
mail_ok "meeting_id = $G AND recipient = 'enlace@ejemplo.mx'" '
assert len(M) == 2, len(M)
inv, can = M
c = can["ical"]
assert can["ct_method"] == "CANCEL" and c["method"] == "CANCEL" and c["status"] == "CANCELLED", c
assert can["subject"] == "Ya no participa en: Enlaces personales", can["subject"]
assert c["uid"] == inv["ical"]["uid"] == "sekkan-meeting-%s@sekkan.localhost" % E["G"], c["uid"]
assert (inv["ical"]["sequence"], c["sequence"]) == (0, 1), (inv["ical"]["sequence"], c["sequence"])
assert [a["addr"] for a in c["attendees"]] == ["mailto:enlace@ejemplo.mx"], c["attendees"]
assert E["T1"] not in can["text"] + can["html"] and "/i/" not in can["text"] and not c["url"] and not c["location"]
' "the guest gets a CANCEL: the meeting's UID, SEQUENCE one higher, naming only them, without the dead link"
last=$(q "SELECT max(id) FROM mail_outbox")
fetch -b "$O" -X POST --data-urlencode "csrf=$tok" -d accion=reactivar -d "p=$PG" "$BASE/reuniones/$G"
is_status 303 "the owner reactivates it"
export T2=$(q "SELECT guest_token FROM meeting_participants WHERE id = $PG")
[ -n "$T2" ] && [ "$T2" != "$T1" ] &&
	[ "$(q "SELECT string_agg(kind || ':' || recipient, ',') FROM mail_outbox WHERE id > $last")" = "invite:enlace@ejemplo.mx" ]
ok $? "a new token; one invitation queued, to that guest only"
wait_sent "id > $last"
ok $? "and delivered"
mail_ok "meeting_id = $G AND recipient = 'enlace@ejemplo.mx'" '
assert len(M) == 3, len(M)
can, new = M[1], M[2]
c = new["ical"]
assert new["ct_method"] == "REQUEST" and c["method"] == "REQUEST" and c["status"] == "CONFIRMED", c
assert new["subject"].startswith("Invitación: Enlaces personales, "), new["subject"]
assert c["uid"] == can["ical"]["uid"]
# RFC 5545 3.8.7.4: STATUS goes back from CANCELLED, so SEQUENCE must rise again, or a
# calendar that applied the CANCEL may keep it over an invitation of the same SEQUENCE.
assert c["sequence"] > can["ical"]["sequence"], (can["ical"]["sequence"], c["sequence"])
link = E["BASE"] + "/i/" + E["T2"]
assert c["url"] == link and c["location"] == link, (c["url"], link)
assert link in new["text"] and link in new["html"]
for part in (new["text"], new["html"], c["url"], c["location"], c["description"]):
    assert E["T1"] not in part
assert "mailto:enlace@ejemplo.mx" in [a["addr"] for a in c["attendees"]], c["attendees"]
' "then an invitation with the NEW personal link (the old one nowhere), SEQUENCE above the CANCEL's"
[ "$(q "SELECT count(*) FROM mail_outbox WHERE meeting_id = $G AND recipient = 'testigo@ejemplo.mx'")" = 1 ]
ok $? "the other guest got only the first invitation"

# --- The mailer's TLS and login: STARTTLS with AUTH, SMTPS, a wrong password, no STARTTLS. ---
TLS=$STATE/mail-tls
PORT=${BASE##*:}
mkdir -p "$TLS"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$TLS/key.pem" -out "$TLS/cert.pem" -days 2 \
	-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1
ok $? "a test certificate for 127.0.0.1"
printf 'secreto\n' >"$TLS/password"
printf 'otro\n' >"$TLS/wrong"
SINKS=
sink() {	# sink PORT DIR ARGS…: a second SMTP server for this part, stopped at the end
	p=$1 d=$2; shift 2
	/usr/bin/python3 "$ROOT/tools/smtp-sink" "$p" "$d" "$@" >>"$TLS/sink.log" 2>&1 &
	SINKS="$SINKS $!"
	i=0
	until /usr/bin/python3 -c "import socket, sys; socket.create_connection(('127.0.0.1', int(sys.argv[1])), 1)" \
		"$p" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 300 ] || return 1
		sleep 0.2
	done
}
TMAILER=
tmailer() {	# tmailer KEY=VALUE…: a mailer with the test config plus these keys, alone on the queue
	[ -n "$TMAILER" ] && kill "$TMAILER" && wait "$TMAILER" 2>/dev/null
	cp "$STATE/conf/sekkan.hdf" "$TLS/mailer.hdf"
	for kv in "$@"; do printf '%s\n' "$kv" >>"$TLS/mailer.hdf"; done
	"$ROOT/tools/mailer/sekkan-mailer" -c "$TLS/mailer.hdf" >>"$TLS/mailer.log" 2>&1 &
	TMAILER=$!
}
invite() {	# invite NAME ADDRESS: a meeting with one guest; its id in $MID
	tok=$(form /reuniones/nueva "$O")
	fetch -b "$O" -X POST --data-urlencode "csrf=$tok" -d tipo=programada --data-urlencode "nombre=$1" \
		-d "fecha=$TOMORROW" -d hora=18:00 -d duracion=30 -d zona=America/Mexico_City \
		--data-urlencode "externos=$2" "$BASE/reuniones/nueva"
	MID=$(loc); MID=${MID##*/}
}
sink $((PORT + 6)) "$TLS/starttls" --starttls "$TLS/cert.pem" "$TLS/key.pem" --auth sekkan:secreto
ok $? "an SMTP server that requires STARTTLS and a login"
sink $((PORT + 7)) "$TLS/smtps" --smtps "$TLS/cert.pem" "$TLS/key.pem"
ok $? "an SMTPS server"
"$DEV" service "$STATE" mailer stop
tmailer "Mail.SMTP.URL = smtp://127.0.0.1:$((PORT + 6))" "Mail.SMTP.StartTLS = 1" \
	"Mail.SMTP.CAFile = $TLS/cert.pem" "Mail.SMTP.User = sekkan" "Mail.SMTP.PasswordFile = $TLS/password"
invite 'Con STARTTLS' tls@ejemplo.mx
wait_sent "meeting_id = $MID"
ok $? "the mailer delivers over STARTTLS with a login"
f=$(grep -l "$(mids "meeting_id = $MID" | tr -d ' ')" "$TLS"/starttls/*.eml 2>/dev/null | head -n 1)
[ -n "$f" ] && grep -q '^X-Sink-TLS: yes' "$f" && grep -q '^X-Sink-Auth: sekkan' "$f"
ok $? "the server saw TLS and the user"
tmailer "Mail.SMTP.URL = smtps://127.0.0.1:$((PORT + 7))" "Mail.SMTP.CAFile = $TLS/cert.pem"
invite 'Con SMTPS' smtps@ejemplo.mx
wait_sent "meeting_id = $MID"
ok $? "the mailer delivers over SMTPS"
f=$(grep -l "$(mids "meeting_id = $MID" | tr -d ' ')" "$TLS"/smtps/*.eml 2>/dev/null | head -n 1)
[ -n "$f" ] && grep -q '^X-Sink-TLS: yes' "$f"
ok $? "over TLS from the first byte"
tmailer "Mail.SMTP.URL = smtp://127.0.0.1:$((PORT + 6))" "Mail.SMTP.StartTLS = 1" \
	"Mail.SMTP.CAFile = $TLS/cert.pem" "Mail.SMTP.User = sekkan" "Mail.SMTP.PasswordFile = $TLS/wrong"
invite 'Clave mala' clave@ejemplo.mx
WRONG=$MID
wait_sql "SELECT attempts > 0 FROM mail_outbox WHERE meeting_id = $WRONG" t
ok $? "a wrong password: the attempt fails"
q "SELECT last_error FROM mail_outbox WHERE meeting_id = $WRONG" | grep -qi 'login\|535\|auth'
ok $? "and says why ($(q "SELECT left(last_error, 60) FROM mail_outbox WHERE meeting_id = $WRONG"))"
tmailer "Mail.SMTP.StartTLS = 1" "Mail.SMTP.CAFile = $TLS/cert.pem"
invite 'Sin STARTTLS' plano@ejemplo.mx
wait_sql "SELECT attempts > 0 FROM mail_outbox WHERE meeting_id = $MID" t
ok $? "StartTLS = 1 and a server without STARTTLS: nothing is sent in the clear"
f=$(grep -l "$(mids "meeting_id = $MID" | tr -d ' ')" "$MAIL"/*.eml 2>/dev/null | head -n 1)
[ -z "$f" ]
ok $? "the plain server got nothing"
kill "$TMAILER"; wait "$TMAILER" 2>/dev/null; TMAILER=
# shellcheck disable=SC2086
kill $SINKS
"$DEV" service "$STATE" mailer start
ok $? "the usual mailer is back"
q "UPDATE mail_outbox SET next_attempt_at = now() WHERE meeting_id IN ($WRONG, $MID) AND status = 'pending'" >/dev/null
wait_sent "meeting_id IN ($WRONG, $MID)"
ok $? "and delivers what the others could not"

# --- Temporary failures, against tests/integration/smtp_stub.py on a free loopback port: it
# logs when each connection came and went, so the waits are measured from outside. ---
STUBS=
stub() {	# stub MODE NAME: a broken SMTP server logging to $TLS/NAME/log; its port in $STUBPORT
	mkdir -p "$TLS/$2"
	/usr/bin/python3 "$ROOT/tests/integration/smtp_stub.py" "$1" "$TLS/$2" >>"$TLS/stub.log" 2>&1 &
	STUBS="$STUBS $!"
	wait_for test -s "$TLS/$2/port" || return 1
	STUBPORT=$(cat "$TLS/$2/port")
}
# py_ok PYTHON DESCRIPTION: PYTHON asserts; E is the environment.
py_ok() {
	/usr/bin/python3 -c 'import os, sys
E = os.environ
exec(sys.argv[1])' "$1" >"$T_TMP/py.err" 2>&1
	rc=$?
	ok $rc "$2"
	[ $rc -eq 0 ] || sed 's/^/# /' "$T_TMP/py.err" | tail -n 15
}
# gone PID: the process has exited (a zombie counts: it is our child, reaped later).
gone() { s=$(ps -o stat= -p "$1") || return 0; case $s in Z*) return 0 ;; esac; return 1; }
"$DEV" service "$STATE" mailer stop
stub busy busy
ok $? "an SMTP server that answers every connection 421 (try again later)"
# Mail.RetrySeconds 2 and Mail.RetryMaxSeconds 5: waits of 2, 4, then 5 (capped, not 8).
tmailer "Mail.SMTP.URL = smtp://127.0.0.1:$STUBPORT" "Mail.RetrySeconds = 2" "Mail.RetryMaxSeconds = 5"
invite 'Reintentos' reintento@ejemplo.mx
BACK=$MID
wait_sql "SELECT attempts >= 3 FROM mail_outbox WHERE meeting_id = $BACK" t
ok $? "three temporary failures in a row"
kill "$TMAILER"; wait "$TMAILER" 2>/dev/null; TMAILER=
export STUBLOG=$TLS/busy/log ROW="$(q "SELECT attempts, extract(epoch FROM next_attempt_at), status, last_error
	FROM mail_outbox WHERE meeting_id = $BACK")"
py_ok '
att, nxt, status, err = E["ROW"].split("|", 3)
att, nxt = int(att), float(nxt)
acc = [float(l.split()[2]) for l in open(E["STUBLOG"]) if l.split()[1] == "accept"]
assert status == "pending" and "421" in err, (status, err)
assert len(acc) == att >= 3, (att, acc)
# After failure k the rule (mailer.c) waits min(RetryMaxSeconds, RetrySeconds * 2^(k-1)),
# counted from the failure, which is after that attempt connected: attempt k+1 connects at
# least that long after attempt k, and at most the poll (1 s) and a little later; the last
# row says when it will be tried again.
want = [min(5, 2 * 2 ** k) for k in range(att)]
got = [b - a for a, b in zip(acc, acc[1:])] + [nxt - acc[-1]]
print("want", want, "got", got)
for k, (w, g) in enumerate(zip(want, got)):
    assert w <= g < w + (2 if k < att - 1 else 1), (k + 1, w, g)
assert got[0] < got[1] < got[2], got
' "the waits after the 1st, 2nd and 3rd failure: 2 s, 4 s, then capped at 5 s, the row still pending"
# Out of the way of the next part, whose stub must see only its own row.
q "UPDATE mail_outbox SET next_attempt_at = now() + interval '1 day' WHERE meeting_id = $BACK" >/dev/null
stub stall mudo
ok $? "an SMTP server that accepts the connection and never says a word"
tmailer "Mail.SMTP.URL = smtp://127.0.0.1:$STUBPORT" "Mail.SMTP.Timeout = 2" \
	"Mail.RetrySeconds = 2" "Mail.RetryMaxSeconds = 5"
invite 'Servidor mudo' mudo@ejemplo.mx
MUTE=$MID
wait_sql "SELECT attempts >= 2 FROM mail_outbox WHERE meeting_id = $MUTE" t
ok $? "with Mail.SMTP.Timeout = 2 the mailer gives up on the exchange, and tries again later"
q "SELECT last_error FROM mail_outbox WHERE meeting_id = $MUTE" | grep -qi 'timeout\|timed out'
ok $? "the row's error says it timed out ($(q "SELECT left(last_error, 60) FROM mail_outbox WHERE meeting_id = $MUTE"))"
kill "$TMAILER"
wait_for gone "$TMAILER"
ok $? "SIGTERM stops it within seconds, mid-exchange or not"
wait "$TMAILER" 2>/dev/null; TMAILER=
export STUBLOG=$TLS/mudo/log ATT=$(q "SELECT attempts FROM mail_outbox WHERE meeting_id = $MUTE")
py_ok '
ev = {}
for l in open(E["STUBLOG"]):
    n, what, t = l.split()
    ev.setdefault(int(n), {})[what] = float(t)
# One connection per attempt (the mail in progress at SIGTERM is finished first).
assert len(ev) == int(E["ATT"]) >= 2 and "close" in ev[1] and "close" in ev[2], (E["ATT"], ev)
for n in (1, 2):
    d = ev[n]["close"] - ev[n]["accept"]
    assert 1.8 <= d < 4, (n, d)
# The back-off counts from the failure, not from when the attempt began: a timeout as
# long as the wait must not make the retry immediate.
gap = ev[2]["accept"] - ev[1]["close"]
assert 2 - 0.25 <= gap < 2 + 2, gap
' "each stalled exchange lasted the timeout, and the retry waited the back-off after it"
# shellcheck disable=SC2086
kill $STUBS
"$DEV" service "$STATE" mailer start
ok $? "the usual mailer is back"
q "UPDATE mail_outbox SET next_attempt_at = now() WHERE meeting_id IN ($BACK, $MUTE) AND status = 'pending'" >/dev/null
wait_sent "meeting_id IN ($BACK, $MUTE)"
ok $? "and delivers both: nothing lost to the failures"

# --- The calendar feed. ---
fetch -b "$O" "$BASE/calendario"
is_status 200 "/calendario"
CAL=$(sed -n 's|.*value="\(http[^"]*/cal/[^"]*\.ics\)".*|\1|p' "$T_TMP/body" | head -n 1)
[ -n "$CAL" ]
ok $? "shows the feed's address"
body_has 'Thunderbird' "and how to subscribe"
fetch "$CAL"
is_status 200 "the feed answers without a session"
head_has '^content-type: text/calendar' "as text/calendar"
/usr/bin/python3 - "$T_TMP/body" "$ID" "$B" <<'PY' >"$T_TMP/cal.err" 2>&1
import sys, icalendar
c = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
ev = {str(e["UID"]): e for e in c.walk("VEVENT")}
a = ev["sekkan-meeting-%s@sekkan.localhost" % sys.argv[2]]
assert int(a["SEQUENCE"]) == 1 and str(a["STATUS"]) == "CONFIRMED"
assert a["DTSTART"].params["TZID"] == "America/Tijuana" and a["DTSTART"].dt.hour == 11
b = ev["sekkan-meeting-%s@sekkan.localhost" % sys.argv[3]]
assert str(b["STATUS"]) == "CANCELLED"
assert {str(t["TZID"]) for t in c.walk("VTIMEZONE")} >= {"America/Tijuana", "America/Mexico_City"}
PY
rc=$?; ok $rc "the feed has the meetings with the invitations' UIDs and SEQUENCE, cancelled ones marked"
[ $rc -eq 0 ] || sed 's/^/# /' "$T_TMP/cal.err"
fetch -b "$I" "$BASE/calendario"
CALI=$(sed -n 's|.*value="\(http[^"]*/cal/[^"]*\.ics\)".*|\1|p' "$T_TMP/body" | head -n 1)
fetch "$CALI"
grep -q "sekkan-meeting-$ID@" "$T_TMP/body"
ok $? "an invited employee's feed has the meeting too"
fetch -b "$O" "$BASE/calendario"
fetch -b "$O" -X POST --data-urlencode "csrf=$(field csrf)" -d accion=regenerar "$BASE/calendario"
is_status 303 "a new address on demand"
fetch "$CAL"
is_status 404 "the old address is dead"
fetch -b "$O" "$BASE/calendario"
NEW=$(sed -n 's|.*value="\(http[^"]*/cal/[^"]*\.ics\)".*|\1|p' "$T_TMP/body" | head -n 1)
[ -n "$NEW" ] && [ "$NEW" != "$CAL" ]
ok $? "and the page shows the new one"
# The window (cal.c): 30 days back to a year ahead, by start. Three of the owner's meetings
# moved to either side of its edges, then deleted (later tests count the owner's meetings).
W=
for when in '-29 days' '-31 days' '+1 year 1 day'; do
	tok=$(form /reuniones/nueva "$O")
	fetch -b "$O" -X POST --data-urlencode "csrf=$tok" -d tipo=programada --data-urlencode "nombre=Ventana $when" \
		-d "fecha=$TOMORROW" -d hora=09:00 -d duracion=30 -d zona=America/Mexico_City "$BASE/reuniones/nueva"
	w=$(loc); w=${w##*/}
	q "UPDATE meetings SET starts_at = date_trunc('minute', now() + interval '$when'),
	   ends_at = date_trunc('minute', now() + interval '$when') + interval '30 minutes' WHERE id = $w" >/dev/null
	W="$W $w"
done
set -- $W
export WIN_IN=$1 WIN_OLD=$2 WIN_FAR=$3
export WIN_START=$(q "SELECT extract(epoch FROM starts_at)::bigint FROM meetings WHERE id = $WIN_IN")
fetch "$NEW"
/usr/bin/python3 - "$T_TMP/body" <<'PY' >"$T_TMP/cal.err" 2>&1
import os, sys, icalendar
E = os.environ
c = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
ev = {str(e["UID"]): e for e in c.walk("VEVENT")}
uid = lambda k: "sekkan-meeting-%s@sekkan.localhost" % E[k]
a = ev[uid("WIN_IN")]
assert str(a["SUMMARY"]) == "Ventana -29 days" and str(a["STATUS"]) == "CONFIRMED"
assert a["DTSTART"].params["TZID"] == "America/Mexico_City"
assert int(a.decoded("DTSTART").timestamp()) == int(E["WIN_START"]), (a.decoded("DTSTART"), E["WIN_START"])
assert uid("WIN_OLD") not in ev, "a meeting 31 days back is in the feed"
assert uid("WIN_FAR") not in ev, "a meeting a year and a day ahead is in the feed"
PY
rc=$?; ok $rc "the feed has a meeting of 29 days ago (at its time), not one of 31 days ago nor one beyond a year"
[ $rc -eq 0 ] || sed 's/^/# /' "$T_TMP/cal.err"
q "DELETE FROM meetings WHERE id IN ($WIN_IN, $WIN_OLD, $WIN_FAR)" >/dev/null
fetch "$BASE/cal/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics"
is_status 404 "an unknown token"
fetch "$BASE/cal/../etc.ics"
is_status 404 "a malformed one"
fetch -X POST "$NEW"
is_status 405 "the feed is read-only"
fetch "$BASE/calendario"
is_status 303 "/calendario needs a session"

echo "1..$T_N"

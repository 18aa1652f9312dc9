-- attendance.sql: the small known data set of t28_attendance.sh (hand-computed values are
-- there). psql variables: ana (owner, America/Mexico_City: UTC-6 all 2023), juan (invited
-- member, America/Tijuana: UTC-8 in January). All times are UTC. Year 2023 and ids 920001..
-- keep clear of t26's data set (2024, 900001..).
\set ON_ERROR_STOP 1
BEGIN;
UPDATE users SET time_zone = 'America/Mexico_City' WHERE id = :ana;
UPDATE users SET time_zone = 'America/Tijuana' WHERE id = :juan;
-- An employee in the directory without an account: invited, can never join as a member.
INSERT INTO directory (employee_no, rfc, name) VALUES ('AT-1', 'AUSP700101AA1', 'Pedro Ausente')
ON CONFLICT DO NOTHING;

-- A: two Jitsi sessions (the room emptied and filled again), a reconnect, guests.
-- B: after telemetry began, nobody entered. C: long before any session was recorded.
INSERT INTO meetings (id, room, owner_id, kind, name, starts_at, duration_min, ends_at, time_zone)
VALUES (920001, 'attendmeetingaaaaaaaaaaaaaa', :ana, 'scheduled', 'Junta con reconexión',
	'2023-01-10 16:00Z', 60, '2023-01-10 17:00Z', 'America/Mexico_City'),
       (920002, 'attendmeetingbbbbbbbbbbbbbb', :ana, 'scheduled', 'Nadie vino',
	'2023-01-11 16:00Z', 30, '2023-01-11 16:30Z', 'America/Mexico_City'),
       (920003, 'attendmeetingcccccccccccccc', :ana, 'scheduled', 'Antigua sin telemetría',
	'2005-03-01 16:00Z', 30, '2005-03-01 16:30Z', 'America/Mexico_City');
INSERT INTO meeting_participants (meeting_id, rfc, name, role)
SELECT 920001, rfc, name, 'participant' FROM users WHERE id = :juan
UNION ALL SELECT 920002, rfc, name, 'participant' FROM users WHERE id = :juan
UNION ALL VALUES (920001, 'AUSP700101AA1', 'Pedro Ausente', 'participant');
INSERT INTO meeting_participants (meeting_id, email, name, role)
VALUES (920001, 'Externa@Example.com', 'Invitada Externa', 'participant'),
       (920001, 'ausente@example.com', 'Invitado Ausente', 'participant');

-- S1 16:02-16:40 (38 min), S2 16:45-17:05 (20 min): real duration 58 min; peak 3.
INSERT INTO jitsi_sessions (id, room, kind, meeting_id, started_at, ended_at, peak_participants)
VALUES (920011, 'attendmeetingaaaaaaaaaaaaaa', 'meeting', 920001, '2023-01-10 16:02Z', '2023-01-10 16:40Z', 3),
       (920012, 'attendmeetingaaaaaaaaaaaaaa', 'meeting', 920001, '2023-01-10 16:45Z', '2023-01-10 17:05Z', 2);

-- Ana: all of S1 (2280 s) and all of S2 (1200 s): 3480 s = 58 min, one reconnect (2 stays).
-- Juan: S1 16:05-16:15 and 16:17-16:40 (600 + 1380 s): 33 min, one reconnect.
-- Invitada Externa (invited as Externa@Example.com; the collector's key is lower case):
-- S1 16:10-16:30, 20 min. Visitante: an uninvited guest by name only, S2 16:50-17:00, 10 min.
INSERT INTO attendance (id, session_id, person, user_id, name, email, external, moderator, first_join, last_leave, seconds)
VALUES (920101, 920011, 'u:' || :ana, :ana, 'Ana Gómez Martínez', NULL, false, true, '2023-01-10 16:02Z', '2023-01-10 16:40Z', 2280),
       (920102, 920012, 'u:' || :ana, :ana, 'Ana Gómez Martínez', NULL, false, true, '2023-01-10 16:45Z', '2023-01-10 17:05Z', 1200),
       (920103, 920011, 'u:' || :juan, :juan, 'Juan Pérez López', NULL, false, false, '2023-01-10 16:05Z', '2023-01-10 16:40Z', 1980),
       (920104, 920011, 'e:externa@example.com', NULL, 'Invitada Externa', 'Externa@Example.com', true, false, '2023-01-10 16:10Z', '2023-01-10 16:30Z', 1200),
       (920105, 920012, 'n:Visitante', NULL, 'Visitante', NULL, true, false, '2023-01-10 16:50Z', '2023-01-10 17:00Z', 600);
INSERT INTO attendance_intervals (attendance_id, occupant, joined_at, left_at)
VALUES (920101, 'a1', '2023-01-10 16:02Z', '2023-01-10 16:40Z'),
       (920102, 'a2', '2023-01-10 16:45Z', '2023-01-10 17:05Z'),
       (920103, 'j1', '2023-01-10 16:05Z', '2023-01-10 16:15Z'),
       (920103, 'j2', '2023-01-10 16:17Z', '2023-01-10 16:40Z'),
       (920104, 'x1', '2023-01-10 16:10Z', '2023-01-10 16:30Z'),
       (920105, 'v1', '2023-01-10 16:50Z', '2023-01-10 17:00Z');
COMMIT;

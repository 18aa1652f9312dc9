-- stats.sql: the small known data set of t26_user_stats.sh (hand-computed values are there).
-- psql variables: u1 (a user in America/Mexico_City), u2 (a user in America/Tijuana, whose
-- RFC is in the directory so that meetings can invite them). All times are UTC.
\set ON_ERROR_STOP 1
BEGIN;
UPDATE users SET time_zone = 'America/Mexico_City' WHERE id = :u1;
UPDATE users SET time_zone = 'America/Tijuana' WHERE id = :u2;

-- M1: u1 organises, u2 invited; 23:30 on Sunday 31 March in Mexico City (crosses midnight
-- and the month's end); two Jitsi sessions (the room emptied and filled again).
INSERT INTO meetings (id, room, owner_id, kind, name, starts_at, duration_min, ends_at, time_zone)
VALUES (900001, 'statsmeetingoneaaaaaaaaaaaa', :u1, 'scheduled', 'Cierre de marzo',
	'2024-04-01 05:30Z', 60, '2024-04-01 06:30Z', 'America/Mexico_City'),
-- M2: u1 organises, u2 invited; 00:30 on 1 May in Mexico City = 23:30 on 30 April in Tijuana.
       (900002, 'statsmeetingtwoaaaaaaaaaaaa', :u1, 'scheduled', 'Arranque de mayo',
	'2024-05-01 06:30Z', 30, '2024-05-01 07:00Z', 'America/Mexico_City'),
-- M3: u2 organises, u1 invited; Monday 6 May 00:30 in Mexico City = Sunday 23:30 in Tijuana.
       (900003, 'statsmeetingthreeaaaaaaaaaa', :u2, 'scheduled', 'Revisión semanal',
	'2024-05-06 06:30Z', 45, '2024-05-06 07:15Z', 'America/Tijuana'),
-- M4: cancelled: its session and attendance must count nowhere.
       (900004, 'statsmeetingfouraaaaaaaaaaa', :u1, 'scheduled', 'Cancelada',
	'2024-05-02 16:00Z', 90, '2024-05-02 17:30Z', 'America/Mexico_City'),
-- M5: u1 organises, tomorrow: not ended, so neither attended nor missed yet.
       (900005, 'statsmeetingfiveaaaaaaaaaaa', :u1, 'scheduled', 'Mañana',
	date_trunc('minute', now()) + interval '1 day', 20,
	date_trunc('minute', now()) + interval '1 day 20 minutes', 'America/Mexico_City');
INSERT INTO meeting_participants (meeting_id, rfc, name, role)
SELECT m, rfc, name, 'participant' FROM users, unnest(ARRAY[900001, 900002]) m WHERE id = :u2
UNION ALL SELECT 900003, rfc, name, 'moderator' FROM users WHERE id = :u1;
INSERT INTO meeting_participants (meeting_id, email, name, role)
VALUES (900001, 'invitada@example.com', 'Invitada Externa', 'participant');

INSERT INTO jitsi_sessions (id, room, kind, meeting_id, started_at, ended_at, peak_participants)
VALUES (900011, 'statsmeetingoneaaaaaaaaaaaa', 'meeting', 900001, '2024-04-01 05:35Z', '2024-04-01 06:20Z', 2),
       (900012, 'statsmeetingoneaaaaaaaaaaaa', 'meeting', 900001, '2024-04-01 06:25Z', '2024-04-01 06:40Z', 1),
       (900021, 'statsmeetingtwoaaaaaaaaaaaa', 'meeting', 900002, '2024-05-01 06:30Z', '2024-05-01 07:00Z', 1),
       (900031, 'statsmeetingthreeaaaaaaaaaa', 'meeting', 900003, '2024-05-06 06:30Z', '2024-05-06 07:30Z', 2),
       (900041, 'statsmeetingfouraaaaaaaaaaa', 'meeting', 900004, '2024-05-02 16:00Z', '2024-05-02 17:00Z', 1);

-- u1 in M1's first session: dropped and reconnected (two stays, 900 + 1500 s), then the
-- second session (900 s): 3300 s in M1. The guest stayed 600 s.
INSERT INTO attendance (id, session_id, person, user_id, name, external, moderator, first_join, last_leave, seconds)
VALUES (900101, 900011, 'u:' || :u1, :u1, 'U1', false, true, '2024-04-01 05:35Z', '2024-04-01 06:20Z', 2400),
       (900102, 900012, 'u:' || :u1, :u1, 'U1', false, true, '2024-04-01 06:25Z', '2024-04-01 06:40Z', 900),
       (900103, 900011, 'e:invitada@example.com', NULL, 'Invitada Externa', true, false, '2024-04-01 05:40Z', '2024-04-01 05:50Z', 600),
       (900104, 900021, 'u:' || :u2, :u2, 'U2', false, false, '2024-05-01 06:30Z', '2024-05-01 07:00Z', 1800),
       (900105, 900031, 'u:' || :u1, :u1, 'U1', false, true, '2024-05-06 06:30Z', '2024-05-06 07:20Z', 3000),
       (900106, 900031, 'u:' || :u2, :u2, 'U2', false, true, '2024-05-06 06:30Z', '2024-05-06 07:30Z', 3600),
       (900107, 900041, 'u:' || :u1, :u1, 'U1', false, true, '2024-05-02 16:00Z', '2024-05-02 17:00Z', 3600);
INSERT INTO attendance_intervals (attendance_id, occupant, joined_at, left_at)
VALUES (900101, 'a1', '2024-04-01 05:35Z', '2024-04-01 05:50Z'),
       (900101, 'a2', '2024-04-01 05:55Z', '2024-04-01 06:20Z'),
       (900102, 'b1', '2024-04-01 06:25Z', '2024-04-01 06:40Z'),
       (900103, 'c1', '2024-04-01 05:40Z', '2024-04-01 05:50Z'),
       (900104, 'd1', '2024-05-01 06:30Z', '2024-05-01 07:00Z'),
       (900105, 'e1', '2024-05-06 06:30Z', '2024-05-06 07:20Z'),
       (900106, 'f1', '2024-05-06 06:30Z', '2024-05-06 07:30Z'),
       (900107, 'g1', '2024-05-02 16:00Z', '2024-05-02 17:00Z');
-- Cancelled after it happened (the order the tables change in must not matter).
UPDATE meetings SET status = 'cancelled' WHERE id = 900004;
COMMIT;

-- Run by the test suite through the sqlite3 shell; expected output in test_sqlite.expected.
CREATE TABLE answers(day INTEGER, channel TEXT, kind TEXT, score INTEGER);
INSERT INTO answers VALUES
  (1, 'email', 'transactional', 10), (1, 'email', 'transactional', 9),
  (1, 'chat',  'transactional', 9),  (2, 'chat',  'transactional', 8),
  (2, 'email', 'transactional', 7),  (2, 'chat',  'transactional', 6),
  (3, 'email', 'transactional', 5),  (3, 'chat',  'transactional', 3),
  (3, 'email', 'transactional', 10), (3, 'chat',  'transactional', 9),
  (3, 'chat',  'transactional', NULL);
-- Ten answers: 5 promoters, 3 detractors -> NPS 20.
SELECT 'all', nps('transactional', score) FROM answers;
-- email: 10 9 7 5 10 -> 3 P, 1 D of 5 = 40; chat: 9 8 6 3 9 -> 2 P, 2 D = 0.
SELECT channel, nps('transactional', score) FROM answers GROUP BY channel ORDER BY channel;
-- Partial states per day merge to the same 20.
SELECT 'merged', nps_value(nps_merge(state)) FROM
  (SELECT nps_state('transactional', score) AS state FROM answers GROUP BY day);
-- A group without answers has no score: NULL, shown as "no data", never 0.
.nullvalue 'no data'
SELECT 'phone', nps('transactional', score) FROM answers WHERE channel = 'phone';

-- Fills an empty, migrated schema with :cases protection cases over five Buddhist-Era years
-- (2565–2569, up to 2 Dec 2569), with their threads, photos, fund requests, outbox and audit rows.
-- Invented people only. Run by bench/million_cases.py, which replaces :cases and :reporters.
-- Proportions: about 550 cases a day, ~6 thread entries a case, 3 in 10 cases with photos,
-- 1 in 5 with fund requests, two outbox rows and two audit rows a case; cases older than
-- 60 days are closed but for 1 in 200, younger ones half open; the last day's are partly "new".
SET synchronous_commit = off;

INSERT INTO officer (name, phone, role, line_user_id, active, created_at)
SELECT 'เจ้าหน้าที่ทดสอบ ' || i, '08x-xxx-' || lpad(i::text, 4, '0'),
       CASE WHEN i <= 2 THEN 'supervisor' ELSE 'officer' END, 'Ubenchofficer' || lpad(i::text, 24, '0'),
       true, timestamptz '2021-10-01 09:00+07'
FROM generate_series(1, 12) AS i;

INSERT INTO reporter (line_user_id, name, position, school, district, phone, created_at, updated_at)
SELECT 'Ubenchreporter' || lpad(i::text, 19, '0'), 'ผู้อำนวยการสมมุติ ' || i, 'ผู้อำนวยการโรงเรียน',
       'โรงเรียนบ้านสมมุติ ' || i, 'อำเภอสมมุติ ' || (i % 12 + 1), '08x-xxx-' || lpad((i % 10000)::text, 4, '0'),
       timestamptz '2021-10-01 09:00+07', timestamptz '2021-10-01 09:00+07'
FROM generate_series(1, :reporters) AS i;

CREATE TEMP TABLE gen AS
SELECT i, filed_at, (extract(year FROM filed_at AT TIME ZONE 'Asia/Bangkok')::int + 543) AS year_be,
       now_at - filed_at AS age, (hashint4(i) & 2147483647) AS r
FROM (SELECT i, now_at,
             timestamptz '2022-01-01 00:00+07' + (now_at - timestamptz '2022-01-01 00:00+07') * (i::float8 / :cases)
             AS filed_at
      FROM generate_series(1, :cases) AS i, (SELECT timestamptz '2026-12-02 08:00+07' AS now_at) n) s;

INSERT INTO protection_case (id, year_be, number, state, category, category_other, subject, occurred_at, facts,
                             initial_help, source_name, source_phone, reporter_id, reporter_line_user_id,
                             reporter_name, reporter_position, reporter_school, reporter_district,
                             reporter_phone, filed_at, owner_officer_id, taken_at, last_update_at,
                             escalation_level, reminded_at, closed_at, closing_summary, fund_reminded_at)
SELECT g.i, g.year_be, row_number() OVER (PARTITION BY g.year_be ORDER BY g.i), st.state,
       (ARRAY['sexual_abuse','violence','drugs','disease','pregnancy','accident','unfair','violence','accident',
              'other'])[g.r % 10 + 1], NULL, 'นักเรียนชั้นประถมศึกษาปีที่ ' || (g.r % 6 + 1),
       g.filed_at - interval '3 hours',
       repeat('นักเรียนแจ้งครูประจำชั้นว่าได้รับบาดเจ็บระหว่างเดินทางกลับบ้าน ', 4) || md5(g.i::text),
       'ครูพาไปสถานพยาบาลและแจ้งผู้ปกครองแล้ว', 'ครูประจำชั้นสมมุติ', '08x-xxx-1234',
       rp.id, rp.line_user_id, rp.name, rp.position, rp.school, rp.district, rp.phone, g.filed_at,
       CASE WHEN st.state = 'new' THEN NULL ELSE 3 + g.r % 10 END,
       CASE WHEN st.state = 'new' THEN NULL ELSE g.filed_at + (g.r % 50 + 3) * interval '1 minute' END,
       CASE WHEN st.state = 'new' THEN NULL
            ELSE least(g.filed_at + (g.r % 20 + 1) * interval '1 day', timestamptz '2026-12-02 07:00+07') END,
       CASE WHEN st.state = 'new' AND g.age > interval '30 minutes' THEN 2 ELSE 0 END,
       CASE WHEN st.state NOT IN ('new', 'closed') THEN timestamptz '2026-12-01 09:00+07' END,
       CASE WHEN st.state = 'closed' THEN g.filed_at + (g.r % 40 + 2) * interval '1 day' END,
       CASE WHEN st.state = 'closed' THEN 'ช่วยเหลือแล้ว ติดตามผลครบถ้วน' END,
       CASE WHEN g.r % 5 = 0 THEN g.filed_at + interval '23 hours' END
FROM gen g
CROSS JOIN LATERAL (SELECT CASE
        WHEN g.age < interval '1 day' AND g.r % 5 = 0 THEN 'new'
        WHEN g.age < interval '60 days' AND g.r % 2 = 0 OR g.r % 200 = 7
            THEN (ARRAY['taken','helping','referred','following'])[g.r / 7 % 4 + 1]
        ELSE 'closed' END AS state) st
JOIN reporter rp ON rp.id = g.r % :reporters + 1;
SELECT setval(pg_get_serial_sequence('protection_case', 'id'), :cases);

INSERT INTO case_counter (year_be, last_number)
SELECT year_be, max(number) FROM protection_case GROUP BY year_be;

-- Threads: filed, taken, messages both ways, notes, state changes (with referrals), closing.
INSERT INTO case_entry (case_id, at, kind, author, officer_id, text, detail, photo_id)
SELECT c.id, c.filed_at + k * interval '7 hours',
       CASE WHEN k = 0 THEN 'filed' WHEN k = 1 THEN 'taken' WHEN k % 4 = 0 THEN 'state'
            WHEN k % 2 = 0 THEN 'to_reporter' ELSE 'from_reporter' END,
       CASE WHEN k = 0 OR (k > 1 AND k % 2 = 1 AND k % 4 <> 0) THEN 'reporter' ELSE 'officer' END,
       CASE WHEN k = 0 THEN NULL ELSE c.owner_officer_id END,
       CASE WHEN k > 1 AND k % 4 <> 0 THEN 'ข้อความในเรื่องนี้ลำดับที่ ' || k END,
       CASE WHEN k % 4 = 0 AND k > 0 THEN
            json_build_object('to', CASE WHEN c.id % 3 = 0 THEN 'referred' ELSE 'helping' END,
                              'destination', (ARRAY['1300','police','hospital','pmj','other'])[c.id % 5 + 1])
            ELSE '{}'::json END,
       NULL
FROM protection_case c
CROSS JOIN LATERAL generate_series(0, CASE WHEN c.state = 'new' THEN 0 ELSE 1 + (c.id * 7) % 9 END) AS k;

INSERT INTO photo (case_id, line_user_id, line_message_id, direction, status, attempts, source_sha256, file_name,
                   preview_name, content_type, width, height, announced, received_at, stored_at)
SELECT c.id, c.reporter_line_user_id, 'bench' || c.id || '-' || k, 'from_reporter',
       CASE WHEN c.closed_at < timestamptz '2026-06-01' THEN 'purged' ELSE 'stored' END, 1,
       md5(c.id || '-' || k) || md5(k || '-' || c.id), md5(c.id || '-' || k) || '.jpg',
       md5(c.id || '-' || k) || '-preview.jpg', 'image/jpeg', 1600, 1200, true, c.filed_at, c.filed_at
FROM protection_case c CROSS JOIN LATERAL generate_series(1, 1 + c.id % 3) AS k
WHERE c.id % 10 < 3;

INSERT INTO fund_request (case_id, student_label, student_key, student_grade, item_key, item_label, amount_baht,
                          payment_method, status, late, requested_by, requested_at, proposed_at, decided_at,
                          paid_on)
SELECT c.id, 'คนที่ ' || k, 'คนที่' || k, 'ป.' || (c.id % 6 + 1), 'injury_outpatient', 'ค่ารักษาพยาบาล',
       (ARRAY[500, 1000, 2000, 3000])[c.id % 4 + 1], 'transfer',
       CASE WHEN c.state = 'closed' THEN (ARRAY['paid','paid','paid','refused'])[(c.id / 5 + k) % 4 + 1]
            ELSE 'requested' END,
       false, c.reporter_line_user_id, c.filed_at + interval '2 hours',
       c.filed_at + interval '3 days', c.filed_at + interval '10 days',
       CASE WHEN c.state = 'closed' THEN ((c.filed_at + interval '20 days') AT TIME ZONE 'Asia/Bangkok')::date END
FROM protection_case c CROSS JOIN LATERAL generate_series(1, 1 + c.id % 2) AS k
WHERE c.id % 5 = 1;

INSERT INTO outbox (kind, "to", reply_token, messages, purpose, case_id, retry_key, status, attempts,
                    next_attempt_at, claimed_until, created_at, sent_at)
SELECT CASE WHEN k = 1 THEN 'reply' ELSE 'push' END, c.reporter_line_user_id,
       CASE WHEN k = 1 THEN md5(c.id::text) END,
       json_build_array(json_build_object('type', 'text', 'text',
                        'รับเรื่องแล้ว เลขที่ ' || lpad(c.number::text, 4, '0') || '/' || c.year_be)),
       CASE WHEN k = 1 THEN 'reply' ELSE 'case_alert' END, c.id,
       md5(c.id || 'o' || k)::uuid::text, CASE WHEN c.id % 50000 = 0 THEN 'failed' ELSE 'sent' END, 1,
       c.filed_at, NULL, c.filed_at, c.filed_at + interval '1 second'
FROM protection_case c CROSS JOIN generate_series(1, 2) AS k;

INSERT INTO audit_log (at, actor, action, case_id, detail)
SELECT c.filed_at + (k - 1) * interval '1 hour', c.reporter_line_user_id,
       CASE WHEN k = 1 THEN 'case_filed' ELSE 'case_taken' END, c.id,
       json_build_object('reference', lpad(c.number::text, 4, '0') || '/' || c.year_be)
FROM protection_case c CROSS JOIN generate_series(1, 2) AS k;

-- The last week's webhook events (kept, without payload, to recognise redeliveries).
INSERT INTO webhook_event (webhook_event_id, event_type, payload, received_at, handled_at, outcome)
SELECT 'benchevent' || i, 'message', NULL, timestamptz '2026-12-02 08:00+07' - i * interval '12 seconds',
       timestamptz '2026-12-02 08:00+07' - i * interval '12 seconds', 'handled'
FROM generate_series(1, 50000) AS i;

DROP TABLE gen;

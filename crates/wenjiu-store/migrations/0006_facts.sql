-- Supplied facts (申报信息): what the registry does not keep but policies read — social-insurance
-- contributions, contract lengths, recognitions by other offices, payment records — about a
-- person, an enterprise or a hire, each from the date it holds. History is kept: a new value
-- from a later date does not replace the earlier one; the same date corrects it.

CREATE TABLE subject_fact (
    id {id},
    subject_kind TEXT NOT NULL,          -- person | enterprise | hire (the field's own kind)
    subject_id BIGINT NOT NULL,          -- person, enterprise or employment registration id
    field TEXT NOT NULL,                 -- the field within its kind: si_paid_fen (person.si_paid_fen)
    valid_from TEXT NOT NULL,            -- YYYY-MM-DD: holds from this date until a later value
    value TEXT NOT NULL,                 -- true | false, an integer, fen, or a code
    source TEXT NOT NULL,                -- where it comes from: 社会保险经办系统, 劳动合同备案
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    UNIQUE (subject_kind, subject_id, field, valid_from)
);
CREATE INDEX subject_fact_field ON subject_fact (field, id);

-- Built-in roles of existing databases may record facts.
UPDATE role SET permissions = permissions || ' policy:facts'
    WHERE code IN ('province_admin', 'city_officer', 'county_officer');

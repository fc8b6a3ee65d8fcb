-- Grants (补贴发放确认): screening results an officer confirmed for payment, the ledger of what
-- was granted. A standing grant (not revoked) keeps its subject out of later runs and out of a
-- second confirmation where the policy is once per subject, or of the same exclusion group
-- (decision 0019). Revoking keeps the record with who, when and why.

CREATE TABLE policy_grant (
    id {id},
    result_id BIGINT NOT NULL REFERENCES screening_result (id),
    run_id BIGINT NOT NULL REFERENCES screening_run (id),
    policy_id TEXT NOT NULL,
    subject_kind TEXT NOT NULL,          -- person | enterprise | hire, as in screening_result
    subject_id BIGINT NOT NULL,
    person_id BIGINT,
    enterprise_id BIGINT,
    region TEXT NOT NULL,
    amount_fen BIGINT NOT NULL,
    as_of TEXT NOT NULL,                 -- the run's date, YYYY-MM-DD
    granted_by TEXT NOT NULL,
    granted_at TEXT NOT NULL,
    revoked_by TEXT,
    revoked_at TEXT,
    revoke_reason TEXT
);
-- A result is granted at most once at a time.
CREATE UNIQUE INDEX policy_grant_standing ON policy_grant (result_id) WHERE revoked_at IS NULL;
CREATE INDEX policy_grant_region ON policy_grant (region);
CREATE INDEX policy_grant_subject ON policy_grant (subject_kind, policy_id);

-- Policy × subject pairs a run left out because a standing grant already covered the subject.
ALTER TABLE screening_run ADD COLUMN already_granted BIGINT NOT NULL DEFAULT 0;

UPDATE role SET permissions = permissions || ' policy:grant'
    WHERE code IN ('province_admin', 'city_officer', 'county_officer');

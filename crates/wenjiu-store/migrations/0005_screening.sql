-- Screening (免申即享筛查): runs of the policy catalogue over the registry, and every potential
-- beneficiary a run found. A run's results belong to it alone; running again makes a new run.
-- (Version 4 is another module's.)

CREATE TABLE screening_run (
    id {id},
    job_id BIGINT REFERENCES job (id),   -- the background job showing progress (none from the CLI)
    started_by TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    as_of TEXT NOT NULL,                 -- YYYY-MM-DD, the date the policies are evaluated at
    region TEXT NOT NULL,                -- region prefix screened: 21, 2101, 210102
    policy_id TEXT,                      -- one policy, or NULL for the whole catalogue
    status TEXT NOT NULL,                -- running | done | failed
    subjects BIGINT NOT NULL DEFAULT 0,  -- people, enterprises and hires evaluated
    beneficiaries BIGINT NOT NULL DEFAULT 0,
    amount_fen BIGINT NOT NULL DEFAULT 0,
    error TEXT
);
CREATE INDEX screening_run_region ON screening_run (region);

CREATE TABLE screening_result (
    id {id},
    run_id BIGINT NOT NULL REFERENCES screening_run (id),
    policy_id TEXT NOT NULL,
    subject_kind TEXT NOT NULL,          -- person | enterprise | hire
    subject_id BIGINT NOT NULL,          -- person, enterprise or employment registration id
    person_id BIGINT,                    -- the person of a person or a hire
    enterprise_id BIGINT,                -- the enterprise of an enterprise or a hire
    region TEXT NOT NULL,                -- the subject's (a hire: the employer's)
    amount_fen BIGINT NOT NULL
);
CREATE INDEX screening_result_run ON screening_result (run_id, region);

-- Built-in roles of existing databases get the screening permissions.
UPDATE role SET permissions = permissions || ' policy:screen policy:screen:export'
    WHERE code IN ('province_admin', 'city_officer', 'county_officer');

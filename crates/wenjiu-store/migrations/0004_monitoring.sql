-- Unemployment dynamic monitoring (失业动态监测): the enterprise sample, monthly reports and
-- their review, early warnings with their handling, and layoff-plan filings.

-- Editable dictionaries of the report: decrease types and reasons (codes assumed).
CREATE TABLE monitoring_code (
    kind TEXT NOT NULL,                  -- decrease_type | decrease_reason
    code TEXT NOT NULL,
    label TEXT NOT NULL,
    active BIGINT NOT NULL,
    PRIMARY KEY (kind, code)
);

-- The sample: which enterprises report, since when, with their headcount at enrolment.
CREATE TABLE monitored_enterprise (
    enterprise_id BIGINT PRIMARY KEY REFERENCES enterprise (id),
    region TEXT NOT NULL,                -- the enterprise's county, for scopes
    enrolled_on TEXT NOT NULL,           -- YYYY-MM-DD
    baseline BIGINT NOT NULL,            -- 建档期就业人数
    active BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX monitored_enterprise_region ON monitored_enterprise (region);

-- One report per enterprise and month. previous = last month's headcount (or the baseline)
-- as it stood when the report was written, so each row carries its own month-on-month base.
CREATE TABLE monitoring_report (
    id {id},
    enterprise_id BIGINT NOT NULL REFERENCES enterprise (id),
    month TEXT NOT NULL,                 -- YYYY-MM
    region TEXT NOT NULL,
    baseline BIGINT NOT NULL,
    previous BIGINT NOT NULL,
    headcount BIGINT NOT NULL,           -- 调查期就业人数
    new_hires BIGINT NOT NULL,
    decrease BIGINT NOT NULL,
    decrease_type TEXT,
    reasons TEXT NOT NULL,               -- JSON [{code, note}], at most three
    main_reason TEXT,                    -- the first reason's code, for grouping
    status TEXT NOT NULL,                -- submitted | returned | local_approved | closed
    on_behalf BIGINT NOT NULL,           -- entered by an official for the enterprise
    submitted_by TEXT NOT NULL,
    submitted_on TEXT NOT NULL,          -- business date of the last submission (lateness)
    submitted_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (enterprise_id, month)
);
CREATE INDEX monitoring_report_month ON monitoring_report (month, region);
-- The enterprise rules look only at reports that lost jobs.
CREATE INDEX monitoring_report_losses ON monitoring_report (month) WHERE headcount < previous;

-- The month's sums per county, industry and ownership type (returned reports left out), and
-- the jobs lost per county, decrease type and main reason; kept in step with every write of
-- a report so that figures and regional rules read a few thousand rows, not every report.
CREATE TABLE monitoring_figures (
    month TEXT NOT NULL,
    region TEXT NOT NULL,
    industry TEXT NOT NULL,
    ownership TEXT NOT NULL,
    enterprises BIGINT NOT NULL,
    baseline BIGINT NOT NULL,
    previous BIGINT NOT NULL,
    headcount BIGINT NOT NULL,
    new_hires BIGINT NOT NULL,
    decrease BIGINT NOT NULL,
    PRIMARY KEY (month, region, industry, ownership)
);

CREATE TABLE monitoring_reason_figures (
    month TEXT NOT NULL,
    region TEXT NOT NULL,
    decrease_type TEXT NOT NULL,         -- '' when not given
    main_reason TEXT NOT NULL,           -- '' when not given
    enterprises BIGINT NOT NULL,
    people BIGINT NOT NULL,
    PRIMARY KEY (month, region, decrease_type, main_reason)
);

-- Every submission and review step of a report.
CREATE TABLE monitoring_review (
    id {id},
    report_id BIGINT NOT NULL REFERENCES monitoring_report (id),
    action TEXT NOT NULL,                -- submit | resubmit | approve | return
    tier TEXT,                           -- enterprise | official (on its behalf) | local | province
    status TEXT NOT NULL,                -- the status it led to
    comment TEXT NOT NULL,
    username TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX monitoring_review_report ON monitoring_review (report_id);

-- Reporting window per month (e.g. 20th to 24th of the next month); absent months use the default.
CREATE TABLE monitoring_deadline (
    month TEXT PRIMARY KEY,
    opens_on TEXT NOT NULL,
    due_on TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Reminders sent to enterprises whose report is missing or late (催报).
CREATE TABLE monitoring_chase (
    id {id},
    enterprise_id BIGINT NOT NULL REFERENCES enterprise (id),
    month TEXT NOT NULL,
    username TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX monitoring_chase_month ON monitoring_chase (month, enterprise_id);

-- Configuration: warning rules (JSON list) and routing (JSON), one row per key.
CREATE TABLE monitoring_setting (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- A warning found by a monitoring run, one per rule, month, region and enterprise (0 when the
-- warning is about a region), kept with its handling when the month is run again; or raised
-- by a layoff filing (filing_id).
CREATE TABLE warning (
    id {id},
    rule TEXT NOT NULL,
    rule_name TEXT NOT NULL,
    level TEXT NOT NULL,                 -- red | orange | yellow
    month TEXT NOT NULL,
    region TEXT NOT NULL,
    enterprise_id BIGINT NOT NULL,       -- 0: a regional warning
    filing_id BIGINT NOT NULL,           -- 0: found by a monitoring run
    people BIGINT NOT NULL,
    rate TEXT,                           -- exact ratio
    detail TEXT NOT NULL,
    recipients TEXT NOT NULL,            -- tiers told: "county city province"
    status TEXT NOT NULL,                -- open | acknowledged | handling | closed
    resettled BIGINT NOT NULL,           -- people resettled, as reported when handling
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (rule, month, region, enterprise_id, filing_id)
);
CREATE INDEX warning_month ON warning (month, region);

CREATE TABLE warning_event (
    id {id},
    warning_id BIGINT NOT NULL REFERENCES warning (id),
    action TEXT NOT NULL,                -- raised | acknowledge | handle | close | reopen
    note TEXT NOT NULL,
    resettled BIGINT NOT NULL,
    username TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX warning_event_warning ON warning_event (warning_id);

-- Layoff-plan filings (裁员方案备案).
CREATE TABLE layoff_filing (
    id {id},
    enterprise_id BIGINT NOT NULL REFERENCES enterprise (id),
    region TEXT NOT NULL,
    planned BIGINT NOT NULL,             -- people to be laid off
    staff BIGINT NOT NULL,               -- workforce
    grounds TEXT NOT NULL,               -- Art. 41 ground
    planned_on TEXT NOT NULL,            -- YYYY-MM-DD
    explanation TEXT NOT NULL,
    status TEXT NOT NULL,                -- filed | implemented | withdrawn
    implemented_on TEXT,
    job_fair_requested_at TEXT,
    job_fair_note TEXT,
    filed_by TEXT NOT NULL,
    filed_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX layoff_filing_region ON layoff_filing (region);

CREATE TABLE layoff_step (
    filing_id BIGINT NOT NULL REFERENCES layoff_filing (id),
    step TEXT NOT NULL,
    done_on TEXT NOT NULL,
    evidence TEXT NOT NULL,
    username TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (filing_id, step)
);

CREATE TABLE layoff_worker (
    filing_id BIGINT NOT NULL REFERENCES layoff_filing (id),
    person_id BIGINT NOT NULL REFERENCES person (id),
    PRIMARY KEY (filing_id, person_id)
);

-- Built-in roles of databases created before monitoring existed get its permissions.
UPDATE role SET permissions = permissions || ' monitoring:read monitoring:report monitoring:review monitoring:warning monitoring:filing monitoring:admin'
    WHERE code = 'province_admin';
UPDATE role SET permissions = permissions || ' monitoring:read monitoring:report monitoring:review monitoring:warning monitoring:filing'
    WHERE code IN ('city_officer', 'county_officer');
UPDATE role SET permissions = permissions || ' monitoring:read monitoring:report monitoring:filing'
    WHERE code = 'enterprise';

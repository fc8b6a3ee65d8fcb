-- wenjiu schema, version 1. One text for SQLite and PostgreSQL: `{id}` becomes the
-- backend's auto-increment primary key; everything else is portable SQL. Dates are
-- ISO-8601 TEXT (YYYY-MM-DD), instants RFC 3339 UTC TEXT, flags 0/1 integers, money
-- integer fen: the shared subset both backends read through sqlx's Any driver.

CREATE TABLE role (
    id {id},
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    permissions TEXT NOT NULL            -- space-separated permission strings
);

CREATE TABLE enterprise (
    id {id},
    credit_code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    industry TEXT NOT NULL,
    ownership TEXT NOT NULL,
    size_class TEXT NOT NULL,
    region TEXT NOT NULL,
    insured_count BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX enterprise_region ON enterprise (region);
CREATE INDEX enterprise_name ON enterprise (name);

CREATE TABLE app_user (
    id {id},
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role_id BIGINT NOT NULL REFERENCES role (id),
    scope_region TEXT,                   -- region prefix (21, 2101, 210102) or NULL
    scope_enterprise BIGINT REFERENCES enterprise (id),
    failed_logins BIGINT NOT NULL DEFAULT 0,
    locked_until TEXT,                   -- set after repeated failures
    disabled BIGINT NOT NULL DEFAULT 0,  -- locked by an administrator
    created_at TEXT NOT NULL
);

CREATE TABLE session (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES app_user (id),
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
);

CREATE TABLE household (
    id {id},
    household_no TEXT NOT NULL UNIQUE,
    region TEXT NOT NULL,
    zero_employment BIGINT NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL
);
CREATE INDEX household_region ON household (region);

CREATE TABLE person (
    id {id},
    name TEXT NOT NULL,
    id_index TEXT NOT NULL UNIQUE,       -- keyed SM3 blind index of the ID number
    id_cipher TEXT NOT NULL,             -- SM4-GCM, key id inside
    id_masked TEXT NOT NULL,
    sex TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    phone_cipher TEXT,
    phone_masked TEXT,
    education TEXT,
    hukou TEXT NOT NULL,
    region TEXT NOT NULL,
    household_id BIGINT REFERENCES household (id),
    graduation_year BIGINT,
    veteran BIGINT NOT NULL DEFAULT 0,
    attributes TEXT NOT NULL DEFAULT '',   -- space-separated declared conditions
    status TEXT NOT NULL DEFAULT 'none',   -- employed | unemployed | none
    key_groups TEXT NOT NULL DEFAULT ' ',  -- derived, space-delimited: ' graduate veteran '
    difficulty TEXT NOT NULL DEFAULT '',   -- matched difficulty category codes
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX person_region ON person (region);
CREATE INDEX person_name ON person (name);
CREATE INDEX person_household ON person (household_id);

CREATE TABLE employment (
    id {id},
    person_id BIGINT NOT NULL REFERENCES person (id),
    kind TEXT NOT NULL,
    enterprise_id BIGINT REFERENCES enterprise (id),
    start_date TEXT NOT NULL,
    end_date TEXT,
    area TEXT NOT NULL,
    region TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (person_id, start_date)
);
CREATE INDEX employment_region ON employment (region);
CREATE INDEX employment_enterprise ON employment (enterprise_id);
CREATE INDEX employment_start ON employment (start_date);

CREATE TABLE unemployment (
    id {id},
    person_id BIGINT NOT NULL REFERENCES person (id),
    registered_on TEXT NOT NULL,
    region TEXT NOT NULL,
    reason TEXT NOT NULL,
    ended_on TEXT,
    end_reason TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (person_id, registered_on)
);
CREATE INDEX unemployment_region ON unemployment (region);
CREATE INDEX unemployment_registered ON unemployment (registered_on);

CREATE TABLE difficulty_category (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    rule TEXT NOT NULL,                  -- JSON of wenjiu_core::CategoryRule
    enabled BIGINT NOT NULL,
    sort BIGINT NOT NULL
);

-- Append-only, hash-chained (SM3). UNIQUE(prev_hash) makes a concurrent append that
-- read the same tail fail instead of forking the chain.
CREATE TABLE audit (
    id {id},
    at TEXT NOT NULL,
    user_id BIGINT,
    username TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    outcome TEXT NOT NULL,
    detail TEXT NOT NULL,
    ip TEXT NOT NULL,
    prev_hash TEXT NOT NULL UNIQUE,
    hash TEXT NOT NULL
);
CREATE INDEX audit_at ON audit (at);

CREATE TABLE job (
    id {id},
    kind TEXT NOT NULL,
    status TEXT NOT NULL,                -- running | done | failed
    done_rows BIGINT NOT NULL DEFAULT 0,
    result TEXT,                         -- JSON summary
    rejected TEXT,                       -- JSON rejected rows for the error report
    user_id BIGINT,
    created_at TEXT NOT NULL,
    finished_at TEXT
);

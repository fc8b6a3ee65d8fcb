-- Indicators (指标调度): the catalogue, annual targets, the ledger (台账) of values per
-- indicator, region and month with versions, and the locks of published months.

CREATE TABLE indicator (
    code TEXT PRIMARY KEY,
    definition TEXT NOT NULL,            -- JSON of wenjiu_core::indicators::catalogue::Indicator
    sort BIGINT NOT NULL
);

CREATE TABLE indicator_target (
    indicator TEXT NOT NULL,
    region TEXT NOT NULL,                -- six-digit GB/T 2260 code
    year BIGINT NOT NULL,
    value TEXT NOT NULL,                 -- exact ratio text: 420000, 9/200 (4.5%)
    approximate BIGINT NOT NULL,         -- set as "about" (左右)
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (indicator, region, year)
);

-- One row per version; exactly one current row per (indicator, region, month).
CREATE TABLE ledger (
    id {id},
    indicator TEXT NOT NULL,
    region TEXT NOT NULL,
    month TEXT NOT NULL,                 -- YYYY-MM
    version BIGINT NOT NULL,
    current BIGINT NOT NULL,
    value TEXT NOT NULL,                 -- exact ratio text
    source TEXT NOT NULL,                -- computed | imported | entered | corrected
    reason TEXT NOT NULL,
    entered_by TEXT NOT NULL,
    entered_at TEXT NOT NULL,
    UNIQUE (indicator, region, month, version)
);
CREATE INDEX ledger_month ON ledger (month, current);

-- A published month: the region's subtree is locked for that month.
CREATE TABLE ledger_lock (
    region TEXT NOT NULL,
    month TEXT NOT NULL,
    locked_by TEXT NOT NULL,
    locked_at TEXT NOT NULL,
    PRIMARY KEY (region, month)
);

-- Built-in roles of databases created before indicators existed get their permissions.
UPDATE role SET permissions = permissions || ' indicators:read indicators:enter indicators:target indicators:publish indicators:catalogue'
    WHERE code = 'province_admin';
UPDATE role SET permissions = permissions || ' indicators:read indicators:enter indicators:target'
    WHERE code = 'city_officer';
UPDATE role SET permissions = permissions || ' indicators:read'
    WHERE code = 'county_officer';

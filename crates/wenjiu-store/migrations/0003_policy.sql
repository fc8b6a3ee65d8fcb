-- Policy parameters (政策参数) entered by authorised staff: dated regional values laid over
-- the catalogue's files. Append-only: a value is never updated or deleted, a change is a new
-- row from a later date.

CREATE TABLE policy_param_value (
    id {id},
    name TEXT NOT NULL,                  -- parameter name, declared in the catalogue's files
    region TEXT NOT NULL,                -- region prefix: 21 (province), 2102 (city), 210202 (county)
    value_from TEXT NOT NULL,            -- YYYY-MM-DD, the first day the value applies
    value TEXT NOT NULL,                 -- TOML literal as in the parameter files: 6, 100000, "2/3", true
    source TEXT NOT NULL,                -- the document the value comes from
    entered_by TEXT NOT NULL,
    entered_at TEXT NOT NULL,
    UNIQUE (name, region, value_from)
);

-- Built-in roles of databases created before the policy module existed get its permissions.
UPDATE role SET permissions = permissions || ' policy:evaluate policy:param policy:admin'
    WHERE code = 'province_admin';
UPDATE role SET permissions = permissions || ' policy:evaluate policy:param'
    WHERE code = 'city_officer';
UPDATE role SET permissions = permissions || ' policy:evaluate'
    WHERE code = 'county_officer';

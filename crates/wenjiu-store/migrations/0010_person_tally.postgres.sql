-- Person tallies (decision 0020): how many people each county has per status and key-group
-- set, so that the home page's figures and a list's total need not count the person table.
-- Statement-level triggers append each statement's changes, already summed, to
-- `person_tally_delta`, a plain append that no two transactions contend for (a counter row
-- updated in place would be locked until commit, and two imports could deadlock on two
-- counties); readers add the deltas to `person_tally`, and `fold_tallies` moves them in
-- from time to time. Updates are appended row by row, only where a counted column changed: a
-- statement-level trigger fires for every UPDATE of a person, also one that changes nothing
-- counted or no row at all, and made the first registration import of the demo 25 times
-- slower (PostgreSQL does not allow transition tables on a trigger that names columns).
-- Every insert is counted here, so no person is above the mark (SQLite's version counts
-- people written since the last fold from `person` instead).

CREATE TABLE person_tally (
    region TEXT NOT NULL,
    status TEXT NOT NULL,
    key_groups TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (region, status, key_groups)
);

CREATE TABLE person_tally_delta (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    region TEXT NOT NULL,
    status TEXT NOT NULL,
    key_groups TEXT NOT NULL,
    d BIGINT NOT NULL
);

CREATE TABLE person_tally_mark (id_upto BIGINT NOT NULL);
INSERT INTO person_tally_mark (id_upto) VALUES (9223372036854775807);

CREATE FUNCTION person_tally_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO person_tally_delta (region, status, key_groups, d)
    SELECT region, status, key_groups, COUNT(*) FROM new_rows GROUP BY region, status, key_groups;
    RETURN NULL;
END $$;

CREATE FUNCTION person_tally_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO person_tally_delta (region, status, key_groups, d)
    SELECT region, status, key_groups, -COUNT(*) FROM old_rows GROUP BY region, status, key_groups;
    RETURN NULL;
END $$;

CREATE FUNCTION person_tally_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO person_tally_delta (region, status, key_groups, d)
    VALUES (OLD.region, OLD.status, OLD.key_groups, -1), (NEW.region, NEW.status, NEW.key_groups, 1);
    RETURN NULL;
END $$;

CREATE TRIGGER person_tally_insert AFTER INSERT ON person
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION person_tally_inserted();

CREATE TRIGGER person_tally_delete AFTER DELETE ON person
REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION person_tally_deleted();

CREATE TRIGGER person_tally_update AFTER UPDATE OF region, status, key_groups ON person FOR EACH ROW
WHEN (OLD.region IS DISTINCT FROM NEW.region OR OLD.status IS DISTINCT FROM NEW.status
    OR OLD.key_groups IS DISTINCT FROM NEW.key_groups)
EXECUTE FUNCTION person_tally_updated();

INSERT INTO person_tally (region, status, key_groups, n)
SELECT region, status, key_groups, COUNT(*) FROM person GROUP BY region, status, key_groups;

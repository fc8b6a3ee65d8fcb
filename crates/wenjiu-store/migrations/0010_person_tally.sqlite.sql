-- Person tallies (decision 0020): how many people each county has per status and key-group
-- set, so that the home page's figures and a list's total need not count the person table.
-- SQLite's version. People above `person_tally_mark.id_upto` (written since the last fold)
-- are not in the tally: readers count them from `person` by id, so an insert costs nothing
-- (a trigger on every insert made imports a third slower). Changes to people at or below the
-- mark are appended by triggers to `person_tally_delta`, which readers add in. A fold
-- (`fold_tallies`) moves the deltas and the people above the mark into the tally and
-- raises the mark to the newest id.

CREATE TABLE person_tally (
    region TEXT NOT NULL,
    status TEXT NOT NULL,
    key_groups TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (region, status, key_groups)
);

CREATE TABLE person_tally_delta (
    id INTEGER PRIMARY KEY,
    region TEXT NOT NULL,
    status TEXT NOT NULL,
    key_groups TEXT NOT NULL,
    d BIGINT NOT NULL
);

CREATE TABLE person_tally_mark (id_upto BIGINT NOT NULL);

INSERT INTO person_tally_mark (id_upto) SELECT COALESCE(MAX(id), 0) FROM person;

INSERT INTO person_tally (region, status, key_groups, n)
SELECT region, status, key_groups, COUNT(*) FROM person GROUP BY region, status, key_groups;

CREATE TRIGGER person_tally_update AFTER UPDATE OF region, status, key_groups ON person
WHEN OLD.id <= (SELECT id_upto FROM person_tally_mark)
    AND (OLD.region IS NOT NEW.region OR OLD.status IS NOT NEW.status OR OLD.key_groups IS NOT NEW.key_groups)
BEGIN
    INSERT INTO person_tally_delta (region, status, key_groups, d)
    VALUES (OLD.region, OLD.status, OLD.key_groups, -1), (NEW.region, NEW.status, NEW.key_groups, 1);
END;

-- SQLite gives a new row the highest id plus one: after the newest people are deleted, the
-- mark comes down to the highest id left, so that a new person is above it again.
CREATE TRIGGER person_tally_delete AFTER DELETE ON person
WHEN OLD.id <= (SELECT id_upto FROM person_tally_mark)
BEGIN
    INSERT INTO person_tally_delta (region, status, key_groups, d)
    VALUES (OLD.region, OLD.status, OLD.key_groups, -1);
    UPDATE person_tally_mark SET id_upto = MIN(id_upto, (SELECT COALESCE(MAX(id), 0) FROM person));
END;

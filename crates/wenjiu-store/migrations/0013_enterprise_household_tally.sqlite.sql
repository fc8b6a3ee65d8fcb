-- Enterprise and household tallies (decision 0021): how many enterprises each county has per
-- industry and size class, and how many households per zero-employment flag, for the home page
-- and the two lists' totals, which counted the region's rows (a province's million enterprises
-- at DESIGN.md's scale). Kept as the person tally is (migration 0010): rows above the mark are
-- counted from their table by id, changes at or below it are appended as deltas, a fold moves
-- both in.

CREATE TABLE enterprise_tally (
    region TEXT NOT NULL,
    industry TEXT NOT NULL,
    size_class TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (region, industry, size_class)
);

CREATE TABLE enterprise_tally_delta (
    id INTEGER PRIMARY KEY,
    region TEXT NOT NULL,
    industry TEXT NOT NULL,
    size_class TEXT NOT NULL,
    d BIGINT NOT NULL
);

CREATE TABLE enterprise_tally_mark (id_upto BIGINT NOT NULL);

INSERT INTO enterprise_tally_mark (id_upto) SELECT COALESCE(MAX(id), 0) FROM enterprise;

INSERT INTO enterprise_tally (region, industry, size_class, n)
SELECT region, industry, size_class, COUNT(*) FROM enterprise GROUP BY region, industry, size_class;

CREATE TRIGGER enterprise_tally_update AFTER UPDATE OF region, industry, size_class ON enterprise
WHEN OLD.id <= (SELECT id_upto FROM enterprise_tally_mark)
    AND (OLD.region IS NOT NEW.region OR OLD.industry IS NOT NEW.industry OR OLD.size_class IS NOT NEW.size_class)
BEGIN
    INSERT INTO enterprise_tally_delta (region, industry, size_class, d)
    VALUES (OLD.region, OLD.industry, OLD.size_class, -1), (NEW.region, NEW.industry, NEW.size_class, 1);
END;

-- As for people: after the newest rows are deleted, the mark comes down to the highest id left.
CREATE TRIGGER enterprise_tally_delete AFTER DELETE ON enterprise
WHEN OLD.id <= (SELECT id_upto FROM enterprise_tally_mark)
BEGIN
    INSERT INTO enterprise_tally_delta (region, industry, size_class, d)
    VALUES (OLD.region, OLD.industry, OLD.size_class, -1);
    UPDATE enterprise_tally_mark SET id_upto = MIN(id_upto, (SELECT COALESCE(MAX(id), 0) FROM enterprise));
END;

CREATE TABLE household_tally (
    region TEXT NOT NULL,
    zero_employment BIGINT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (region, zero_employment)
);

CREATE TABLE household_tally_delta (
    id INTEGER PRIMARY KEY,
    region TEXT NOT NULL,
    zero_employment BIGINT NOT NULL,
    d BIGINT NOT NULL
);

CREATE TABLE household_tally_mark (id_upto BIGINT NOT NULL);

INSERT INTO household_tally_mark (id_upto) SELECT COALESCE(MAX(id), 0) FROM household;

INSERT INTO household_tally (region, zero_employment, n)
SELECT region, zero_employment, COUNT(*) FROM household GROUP BY region, zero_employment;

CREATE TRIGGER household_tally_update AFTER UPDATE OF region, zero_employment ON household
WHEN OLD.id <= (SELECT id_upto FROM household_tally_mark)
    AND (OLD.region IS NOT NEW.region OR OLD.zero_employment IS NOT NEW.zero_employment)
BEGIN
    INSERT INTO household_tally_delta (region, zero_employment, d)
    VALUES (OLD.region, OLD.zero_employment, -1), (NEW.region, NEW.zero_employment, 1);
END;

CREATE TRIGGER household_tally_delete AFTER DELETE ON household
WHEN OLD.id <= (SELECT id_upto FROM household_tally_mark)
BEGIN
    INSERT INTO household_tally_delta (region, zero_employment, d)
    VALUES (OLD.region, OLD.zero_employment, -1);
    UPDATE household_tally_mark SET id_upto = MIN(id_upto, (SELECT COALESCE(MAX(id), 0) FROM household));
END;

-- Registration tallies (decision 0020): how many employment registrations start, and how many
-- unemployment registrations are made, in each county and month, for the home page's
-- registrations per month, which counted the region's registrations in the window. Kept as the
-- person tally is (migration 0010): registrations above their kind's mark are counted from
-- their table by id, changes at or below it are appended as deltas, a fold moves both in.

CREATE TABLE registration_tally (
    kind TEXT NOT NULL,                  -- employment | unemployment
    region TEXT NOT NULL,
    month TEXT NOT NULL,                 -- YYYY-MM of start_date / registered_on
    n BIGINT NOT NULL,
    PRIMARY KEY (kind, region, month)
);

CREATE TABLE registration_tally_delta (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    region TEXT NOT NULL,
    month TEXT NOT NULL,
    d BIGINT NOT NULL
);

CREATE TABLE registration_tally_mark (kind TEXT PRIMARY KEY, id_upto BIGINT NOT NULL);

INSERT INTO registration_tally_mark (kind, id_upto) SELECT 'employment', COALESCE(MAX(id), 0) FROM employment;

INSERT INTO registration_tally (kind, region, month, n)
SELECT 'employment', region, SUBSTR(start_date, 1, 7), COUNT(*) FROM employment GROUP BY region, SUBSTR(start_date, 1, 7);

CREATE TRIGGER employment_tally_update AFTER UPDATE OF region, start_date ON employment
WHEN OLD.id <= (SELECT id_upto FROM registration_tally_mark WHERE kind = 'employment')
    AND (OLD.region IS NOT NEW.region OR OLD.start_date IS NOT NEW.start_date)
BEGIN
    INSERT INTO registration_tally_delta (kind, region, month, d)
    VALUES ('employment', OLD.region, SUBSTR(OLD.start_date, 1, 7), -1), ('employment', NEW.region, SUBSTR(NEW.start_date, 1, 7), 1);
END;

CREATE TRIGGER employment_tally_delete AFTER DELETE ON employment
WHEN OLD.id <= (SELECT id_upto FROM registration_tally_mark WHERE kind = 'employment')
BEGIN
    INSERT INTO registration_tally_delta (kind, region, month, d)
    VALUES ('employment', OLD.region, SUBSTR(OLD.start_date, 1, 7), -1);
    UPDATE registration_tally_mark SET id_upto = MIN(id_upto, (SELECT COALESCE(MAX(id), 0) FROM employment))
    WHERE kind = 'employment';
END;

INSERT INTO registration_tally_mark (kind, id_upto) SELECT 'unemployment', COALESCE(MAX(id), 0) FROM unemployment;

INSERT INTO registration_tally (kind, region, month, n)
SELECT 'unemployment', region, SUBSTR(registered_on, 1, 7), COUNT(*) FROM unemployment GROUP BY region, SUBSTR(registered_on, 1, 7);

CREATE TRIGGER unemployment_tally_update AFTER UPDATE OF region, registered_on ON unemployment
WHEN OLD.id <= (SELECT id_upto FROM registration_tally_mark WHERE kind = 'unemployment')
    AND (OLD.region IS NOT NEW.region OR OLD.registered_on IS NOT NEW.registered_on)
BEGIN
    INSERT INTO registration_tally_delta (kind, region, month, d)
    VALUES ('unemployment', OLD.region, SUBSTR(OLD.registered_on, 1, 7), -1), ('unemployment', NEW.region, SUBSTR(NEW.registered_on, 1, 7), 1);
END;

CREATE TRIGGER unemployment_tally_delete AFTER DELETE ON unemployment
WHEN OLD.id <= (SELECT id_upto FROM registration_tally_mark WHERE kind = 'unemployment')
BEGIN
    INSERT INTO registration_tally_delta (kind, region, month, d)
    VALUES ('unemployment', OLD.region, SUBSTR(OLD.registered_on, 1, 7), -1);
    UPDATE registration_tally_mark SET id_upto = MIN(id_upto, (SELECT COALESCE(MAX(id), 0) FROM unemployment))
    WHERE kind = 'unemployment';
END;

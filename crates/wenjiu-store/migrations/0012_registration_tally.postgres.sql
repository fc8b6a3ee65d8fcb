-- Registration tallies (decision 0020): how many employment registrations start, and how many
-- unemployment registrations are made, in each county and month, for the home page's
-- registrations per month, which counted the region's registrations in the window. Kept as the
-- person tally is (migration 0010): statement-level triggers append each insert's and delete's
-- changes, summed, to `registration_tally_delta`, a row trigger each update that moves a
-- registration; no registration is above the mark.

CREATE TABLE registration_tally (
    kind TEXT NOT NULL,                  -- employment | unemployment
    region TEXT NOT NULL,
    month TEXT NOT NULL,                 -- YYYY-MM of start_date / registered_on
    n BIGINT NOT NULL,
    PRIMARY KEY (kind, region, month)
);

CREATE TABLE registration_tally_delta (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind TEXT NOT NULL,
    region TEXT NOT NULL,
    month TEXT NOT NULL,
    d BIGINT NOT NULL
);

CREATE TABLE registration_tally_mark (kind TEXT PRIMARY KEY, id_upto BIGINT NOT NULL);

INSERT INTO registration_tally_mark (kind, id_upto) VALUES ('employment', 9223372036854775807);

INSERT INTO registration_tally (kind, region, month, n)
SELECT 'employment', region, SUBSTR(start_date, 1, 7), COUNT(*) FROM employment GROUP BY region, SUBSTR(start_date, 1, 7);

CREATE FUNCTION employment_tally_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO registration_tally_delta (kind, region, month, d)
        SELECT 'employment', region, SUBSTR(start_date, 1, 7), COUNT(*) FROM new_rows GROUP BY 2, 3;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO registration_tally_delta (kind, region, month, d)
        SELECT 'employment', region, SUBSTR(start_date, 1, 7), -COUNT(*) FROM old_rows GROUP BY 2, 3;
    ELSE
        INSERT INTO registration_tally_delta (kind, region, month, d)
        VALUES ('employment', OLD.region, SUBSTR(OLD.start_date, 1, 7), -1), ('employment', NEW.region, SUBSTR(NEW.start_date, 1, 7), 1);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER employment_tally_insert AFTER INSERT ON employment
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION employment_tally_changed();

CREATE TRIGGER employment_tally_delete AFTER DELETE ON employment
REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION employment_tally_changed();

CREATE TRIGGER employment_tally_update AFTER UPDATE OF region, start_date ON employment FOR EACH ROW
WHEN (OLD.region IS DISTINCT FROM NEW.region OR OLD.start_date IS DISTINCT FROM NEW.start_date)
EXECUTE FUNCTION employment_tally_changed();

INSERT INTO registration_tally_mark (kind, id_upto) VALUES ('unemployment', 9223372036854775807);

INSERT INTO registration_tally (kind, region, month, n)
SELECT 'unemployment', region, SUBSTR(registered_on, 1, 7), COUNT(*) FROM unemployment GROUP BY region, SUBSTR(registered_on, 1, 7);

CREATE FUNCTION unemployment_tally_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO registration_tally_delta (kind, region, month, d)
        SELECT 'unemployment', region, SUBSTR(registered_on, 1, 7), COUNT(*) FROM new_rows GROUP BY 2, 3;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO registration_tally_delta (kind, region, month, d)
        SELECT 'unemployment', region, SUBSTR(registered_on, 1, 7), -COUNT(*) FROM old_rows GROUP BY 2, 3;
    ELSE
        INSERT INTO registration_tally_delta (kind, region, month, d)
        VALUES ('unemployment', OLD.region, SUBSTR(OLD.registered_on, 1, 7), -1), ('unemployment', NEW.region, SUBSTR(NEW.registered_on, 1, 7), 1);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER unemployment_tally_insert AFTER INSERT ON unemployment
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION unemployment_tally_changed();

CREATE TRIGGER unemployment_tally_delete AFTER DELETE ON unemployment
REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION unemployment_tally_changed();

CREATE TRIGGER unemployment_tally_update AFTER UPDATE OF region, registered_on ON unemployment FOR EACH ROW
WHEN (OLD.region IS DISTINCT FROM NEW.region OR OLD.registered_on IS DISTINCT FROM NEW.registered_on)
EXECUTE FUNCTION unemployment_tally_changed();

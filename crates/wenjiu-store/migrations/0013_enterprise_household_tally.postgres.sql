-- Enterprise and household tallies (decision 0021): how many enterprises each county has per
-- industry and size class, and how many households per zero-employment flag, for the home page
-- and the two lists' totals, which counted the region's rows (a province's million enterprises
-- at DESIGN.md's scale). Kept as the person tally is (migration 0010): statement-level triggers
-- append each insert's and delete's changes, summed, to the deltas, a row trigger each update
-- of a counted column; no row is above the mark.

CREATE TABLE enterprise_tally (
    region TEXT NOT NULL,
    industry TEXT NOT NULL,
    size_class TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (region, industry, size_class)
);

CREATE TABLE enterprise_tally_delta (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    region TEXT NOT NULL,
    industry TEXT NOT NULL,
    size_class TEXT NOT NULL,
    d BIGINT NOT NULL
);

CREATE TABLE enterprise_tally_mark (id_upto BIGINT NOT NULL);
INSERT INTO enterprise_tally_mark (id_upto) VALUES (9223372036854775807);

CREATE FUNCTION enterprise_tally_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO enterprise_tally_delta (region, industry, size_class, d)
        SELECT region, industry, size_class, COUNT(*) FROM new_rows GROUP BY 1, 2, 3;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO enterprise_tally_delta (region, industry, size_class, d)
        SELECT region, industry, size_class, -COUNT(*) FROM old_rows GROUP BY 1, 2, 3;
    ELSE
        INSERT INTO enterprise_tally_delta (region, industry, size_class, d)
        VALUES (OLD.region, OLD.industry, OLD.size_class, -1), (NEW.region, NEW.industry, NEW.size_class, 1);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER enterprise_tally_insert AFTER INSERT ON enterprise
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION enterprise_tally_changed();

CREATE TRIGGER enterprise_tally_delete AFTER DELETE ON enterprise
REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION enterprise_tally_changed();

CREATE TRIGGER enterprise_tally_update AFTER UPDATE OF region, industry, size_class ON enterprise FOR EACH ROW
WHEN (OLD.region IS DISTINCT FROM NEW.region OR OLD.industry IS DISTINCT FROM NEW.industry
    OR OLD.size_class IS DISTINCT FROM NEW.size_class)
EXECUTE FUNCTION enterprise_tally_changed();

INSERT INTO enterprise_tally (region, industry, size_class, n)
SELECT region, industry, size_class, COUNT(*) FROM enterprise GROUP BY region, industry, size_class;

CREATE TABLE household_tally (
    region TEXT NOT NULL,
    zero_employment BIGINT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (region, zero_employment)
);

CREATE TABLE household_tally_delta (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    region TEXT NOT NULL,
    zero_employment BIGINT NOT NULL,
    d BIGINT NOT NULL
);

CREATE TABLE household_tally_mark (id_upto BIGINT NOT NULL);
INSERT INTO household_tally_mark (id_upto) VALUES (9223372036854775807);

CREATE FUNCTION household_tally_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO household_tally_delta (region, zero_employment, d)
        SELECT region, zero_employment, COUNT(*) FROM new_rows GROUP BY 1, 2;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO household_tally_delta (region, zero_employment, d)
        SELECT region, zero_employment, -COUNT(*) FROM old_rows GROUP BY 1, 2;
    ELSE
        INSERT INTO household_tally_delta (region, zero_employment, d)
        VALUES (OLD.region, OLD.zero_employment, -1), (NEW.region, NEW.zero_employment, 1);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER household_tally_insert AFTER INSERT ON household
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION household_tally_changed();

CREATE TRIGGER household_tally_delete AFTER DELETE ON household
REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION household_tally_changed();

CREATE TRIGGER household_tally_update AFTER UPDATE OF region, zero_employment ON household FOR EACH ROW
WHEN (OLD.region IS DISTINCT FROM NEW.region OR OLD.zero_employment IS DISTINCT FROM NEW.zero_employment)
EXECUTE FUNCTION household_tally_changed();

INSERT INTO household_tally (region, zero_employment, n)
SELECT region, zero_employment, COUNT(*) FROM household GROUP BY region, zero_employment;

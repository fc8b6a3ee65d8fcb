-- Partial indexes for the filters that pick a small part of a region (decision 0020): the
-- person list by key group or as unemployed, and the home page's zero-employment households.
-- Each holds only the rows meeting its condition, so it costs nothing for the others, and
-- serves a query that names the same condition as a literal (the filters write it so).
-- Without them such a page read every person of the region from the table.

CREATE INDEX household_zero ON household (region) WHERE zero_employment = 1;
CREATE INDEX person_unemployed ON person (region) WHERE status = 'unemployed';
CREATE INDEX person_graduate ON person (region) WHERE key_groups LIKE '% graduate %';
CREATE INDEX person_unemployed_6m ON person (region) WHERE key_groups LIKE '% unemployed_6m %';
CREATE INDEX person_unemployed_12m ON person (region) WHERE key_groups LIKE '% unemployed_12m %';
CREATE INDEX person_difficulty ON person (region) WHERE key_groups LIKE '% difficulty %';
CREATE INDEX person_zero_household ON person (region) WHERE key_groups LIKE '% zero_household %';
CREATE INDEX person_migrant ON person (region) WHERE key_groups LIKE '% migrant %';
CREATE INDEX person_veteran ON person (region) WHERE key_groups LIKE '% veteran %';

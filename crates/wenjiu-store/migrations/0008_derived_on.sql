-- The business date on which every person's status and key groups were last derived: key
-- groups move with the date (six and twelve months unemployed, the graduates' year, jobs
-- ending), so a server whose date has moved on derives them again.
CREATE TABLE derivation (
    id BIGINT PRIMARY KEY,
    derived_on TEXT NOT NULL
);

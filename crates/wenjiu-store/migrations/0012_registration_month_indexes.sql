-- The home page's registrations per month count a region's registrations in a window of dates
-- (decision 0020). With the region alone indexed, SQLite took the date index and read every
-- registration of the window from the table: a second for a city of a 2,000,000-people registry.
-- Indexed by region and date, the count reads the index only. They replace the region-only
-- indexes, whose every use they serve.

DROP INDEX employment_region;
CREATE INDEX employment_region_start ON employment (region, start_date);
DROP INDEX unemployment_region;
CREATE INDEX unemployment_region_registered ON unemployment (region, registered_on);

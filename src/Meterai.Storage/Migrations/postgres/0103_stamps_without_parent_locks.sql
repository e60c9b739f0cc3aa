-- Stamp requests no longer carry foreign keys to applicants and channels. Each such key makes every INSERT take a
-- KEY SHARE lock on the parent row; during a rush thousands of concurrent stamps share one channel row (the direct
-- channel, a big reseller), and many transactions sharing one row lock turn it into a MultiXact, whose upkeep made
-- the insert the costliest statement of a stamp and stalled writers. The service checks both ids before it inserts
-- (the caller's token names them; an applicant is looked up within its channel), and neither row is ever deleted.
ALTER TABLE stamps DROP CONSTRAINT IF EXISTS stamps_applicant_id_fkey;
ALTER TABLE stamps DROP CONSTRAINT IF EXISTS stamps_channel_id_fkey;

ALTER TABLE orders ALTER COLUMN id SET DATA TYPE bigint USING id::bigint;

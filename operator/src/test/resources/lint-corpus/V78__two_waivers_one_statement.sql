-- dbbinding:allow adding-required-field changing-column-type
ALTER TABLE orders ADD COLUMN a int NOT NULL, ALTER COLUMN b TYPE bigint, DROP COLUMN c;

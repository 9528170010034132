CREATE TABLE shipments (id bigint);
ALTER TABLE shipments ADD COLUMN carrier text NOT NULL;

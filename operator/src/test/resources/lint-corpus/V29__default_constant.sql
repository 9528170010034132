ALTER TABLE orders ADD COLUMN flags jsonb NOT NULL DEFAULT '{}'::jsonb;

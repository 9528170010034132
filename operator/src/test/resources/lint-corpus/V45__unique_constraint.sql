ALTER TABLE orders ADD CONSTRAINT orders_ref_unique UNIQUE (ref);

ALTER TABLE orders ADD CONSTRAINT orders_ref_unique UNIQUE USING INDEX orders_ref_idx;

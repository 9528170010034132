ALTER TABLE orders ADD CHECK (qty > 0);

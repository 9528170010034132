ALTER TABLE orders RENAME total TO amount;

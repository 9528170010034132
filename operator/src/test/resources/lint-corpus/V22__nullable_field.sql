ALTER TABLE orders ADD COLUMN coupon text;

-- dbbinding:allow ban-drop-column
ALTER TABLE orders DROP COLUMN coupon;

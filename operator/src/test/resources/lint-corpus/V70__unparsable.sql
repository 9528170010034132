CREATE TABEL broken (id int);
ALTER TABLE orders DROP COLUMN x;

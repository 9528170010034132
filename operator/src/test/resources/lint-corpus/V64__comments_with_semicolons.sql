-- a comment; DROP TABLE orders;
/* block; comment /* nested; */ still comment; DROP TABLE x; */
ALTER TABLE orders ADD COLUMN memo text; -- trailing; comment
SELECT 'DROP TABLE orders; --' AS s;

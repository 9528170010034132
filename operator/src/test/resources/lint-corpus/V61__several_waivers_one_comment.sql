-- dbbinding:allow renaming-column, ban-drop-column
ALTER TABLE orders RENAME COLUMN a TO b;
ALTER TABLE orders DROP COLUMN c;

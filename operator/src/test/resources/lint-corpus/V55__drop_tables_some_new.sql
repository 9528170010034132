CREATE TABLE scratch (id int);
DROP TABLE IF EXISTS scratch, old_scratch;

CREATE TABLE tmp_t (id int);
CREATE INDEX tmp_idx ON tmp_t (id);
DROP INDEX tmp_idx;

-- dbbinding:allow ban-drop-table

DROP TABLE t1;
DROP TABLE t2;

-- dbbinding:allow ban-drop-table
DROP TABLE legacy_orders;

-- dbbinding:allow ban-drop-table
CREATE INDEX small_idx2 ON countries (name);

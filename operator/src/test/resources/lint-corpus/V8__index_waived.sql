-- dbbinding:allow require-concurrent-index-creation
CREATE INDEX small_idx ON countries (code);

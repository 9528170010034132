/* dbbinding:allow require-concurrent-index-deletion */
DROP INDEX IF EXISTS old_idx;

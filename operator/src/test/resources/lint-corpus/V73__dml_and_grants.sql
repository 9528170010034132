INSERT INTO countries (code) VALUES ('NL') ON CONFLICT DO NOTHING;
UPDATE orders SET status = 'new' WHERE status IS NULL;
GRANT SELECT ON orders TO reporting;
COMMENT ON TABLE orders IS 'orders; all of them';

CREATE VIEW open_orders AS SELECT * FROM orders WHERE status <> 'closed';
CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch();

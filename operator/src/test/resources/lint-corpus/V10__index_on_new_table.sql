CREATE TABLE invoices (id bigint PRIMARY KEY, order_id bigint);
CREATE INDEX invoices_order_idx ON invoices (order_id);

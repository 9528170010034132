CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL);
CREATE INDEX orders_customer_idx ON orders (customer_id);

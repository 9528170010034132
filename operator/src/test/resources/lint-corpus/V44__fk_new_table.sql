CREATE TABLE order_lines (id bigint, order_id bigint);
ALTER TABLE order_lines ADD CONSTRAINT lines_order_fk FOREIGN KEY (order_id) REFERENCES orders (id);

-- Orders, with the index the order history page needs.
CREATE TABLE orders (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id  bigint        NOT NULL REFERENCES customers (id),
    total_cents  bigint        NOT NULL CHECK (total_cents >= 0),
    created_at   timestamptz   NOT NULL DEFAULT now()
);

CREATE INDEX orders_customer_created_idx ON orders (customer_id, created_at DESC);

-- Orders get a status; existing rows are treated as paid.
ALTER TABLE orders
    ADD COLUMN status text NOT NULL DEFAULT 'paid'
    CHECK (status IN ('pending', 'paid', 'shipped', 'cancelled'));

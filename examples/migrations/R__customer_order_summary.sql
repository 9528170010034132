-- Repeatable: re-applied whenever this file changes. It reads only what V1 and V2 create, so
-- that `migrate --target 2` (which applies repeatables too) works.
CREATE OR REPLACE VIEW customer_order_summary AS
SELECT c.id                            AS customer_id,
       c.email,
       count(o.id)                     AS orders,
       coalesce(sum(o.total_cents), 0) AS total_cents,
       max(o.created_at)               AS last_order_at
FROM customers c
LEFT JOIN orders o ON o.customer_id = c.id
GROUP BY c.id, c.email;

REINDEX INDEX orders_customer_idx;

create index on orders(customer_id);

CREATE UNIQUE INDEX IF NOT EXISTS orders_ref_key ON public.orders USING btree (lower(ref)) WHERE ref IS NOT NULL;

CREATE OR REPLACE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
  NEW.updated_at := now(); -- a ; inside
  RETURN NEW;
END;
$body$;
CREATE INDEX ON orders (updated_at);

CREATE TABLE tokens (id int);
ALTER TABLE tokens ADD COLUMN t uuid DEFAULT gen_random_uuid();

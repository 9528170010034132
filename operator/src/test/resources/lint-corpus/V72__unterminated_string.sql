INSERT INTO orders (note) VALUES ('never closed);

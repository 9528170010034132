-- dbbinding:allow unparsed
CREATE TABEL broken (id int);

CREATE TABLE from_classpath (id int);

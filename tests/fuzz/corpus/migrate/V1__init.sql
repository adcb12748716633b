CREATE TABLE orders (id int PRIMARY KEY, customer_id int REFERENCES customers, note varchar(20), created timestamp);
CREATE INDEX orders_note ON orders (note);

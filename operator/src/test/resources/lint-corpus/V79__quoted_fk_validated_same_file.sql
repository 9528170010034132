SET lock_timeout = '2s';
ALTER TABLE "Orders" ADD CONSTRAINT "Orders_fk" FOREIGN KEY ("Customer") REFERENCES "Customers" ("Id") NOT VALID;
/* validate in the same file: */ ALTER TABLE "Orders" VALIDATE CONSTRAINT "Orders_fk";

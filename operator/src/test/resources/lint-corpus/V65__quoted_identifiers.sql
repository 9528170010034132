ALTER TABLE "Order Items" ADD COLUMN "Qty;Count" int NOT NULL;
ALTER TABLE "we""ird" DROP COLUMN "x";

CREATE TABLE "Audit Log" (id bigint);
CREATE INDEX ON "Audit Log" (id);
CREATE INDEX ON "audit log" (id);

-- Repeats of one event (refusals of a blocked key, failures from one address) become one row with a count and the
-- time of the last one, instead of one row per request.
-- AlterTable
ALTER TABLE "AuditEvent" ADD COLUMN     "count" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "lastAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- Existing events happened once, at their creation. The old trigger refused every UPDATE, so it goes first.
DROP TRIGGER "AuditEvent_append_only" ON "AuditEvent";

UPDATE "AuditEvent" SET "lastAt" = "createdAt";

CREATE TRIGGER "AuditEvent_append_only"
  BEFORE DELETE ON "AuditEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_event_is_append_only"();

-- An UPDATE may only add repeats to an event: every other column stays, the count and the last time only grow.
-- Semicolons inside the body are spelled \x3B (see the migration that made the table append-only).
CREATE FUNCTION "audit_event_only_repeats_grow"() RETURNS trigger LANGUAGE plpgsql
  AS E'BEGIN IF (NEW."id", NEW."type", NEW."actorId", NEW."targetId", NEW."ip", NEW."userAgent", NEW."detail", NEW."createdAt") IS DISTINCT FROM (OLD."id", OLD."type", OLD."actorId", OLD."targetId", OLD."ip", OLD."userAgent", OLD."detail", OLD."createdAt") OR NEW."count" < OLD."count" OR NEW."lastAt" < OLD."lastAt" THEN RAISE EXCEPTION ''AuditEvent is append-only: an update may only add repeats''\x3B END IF\x3B RETURN NEW\x3B END';

CREATE TRIGGER "AuditEvent_only_repeats_grow"
  BEFORE UPDATE ON "AuditEvent"
  FOR EACH ROW EXECUTE FUNCTION "audit_event_only_repeats_grow"();

ALTER TABLE "ticket_dispatches" ADD COLUMN "ticket_status" varchar(12) DEFAULT 'whistled' NOT NULL;--> statement-breakpoint
UPDATE "ticket_dispatches" d SET "ticket_status" = t."status" FROM "tickets" t WHERE t."id" = d."ticket_id" AND d."ticket_status" <> t."status";--> statement-breakpoint
-- The ticket's status is copied onto its dispatches by the database, so no writer can forget:
-- a dispatch takes it when inserted, and every change of the ticket's status reaches them.
CREATE FUNCTION gongzhi_dispatch_take_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT t.status INTO NEW.ticket_status FROM tickets t WHERE t.id = NEW.ticket_id;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER ticket_dispatches_take_status BEFORE INSERT OR UPDATE OF ticket_id ON ticket_dispatches
  FOR EACH ROW EXECUTE FUNCTION gongzhi_dispatch_take_status();--> statement-breakpoint
CREATE FUNCTION gongzhi_ticket_status_to_dispatches() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE ticket_dispatches SET ticket_status = NEW.status
    WHERE ticket_id = NEW.id AND ticket_status <> NEW.status;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER tickets_status_to_dispatches AFTER UPDATE OF status ON tickets
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
  EXECUTE FUNCTION gongzhi_ticket_status_to_dispatches();--> statement-breakpoint
CREATE INDEX "ticket_dispatches_department_stage_idx" ON "ticket_dispatches" USING btree ("department_id","ticket_status","ticket_id");

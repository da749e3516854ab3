ALTER TABLE "responsibility_items" ADD COLUMN "extension_limit" varchar(12);--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "extension" varchar(10);--> statement-breakpoint
CREATE UNIQUE INDEX "responsibility_lists_current_uq" ON "responsibility_lists" USING btree ("current") WHERE "responsibility_lists"."current";--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_extension_chk" CHECK ("tickets"."extension" is null or "tickets"."extension" in ('requested','granted','refused'));--> statement-breakpoint
-- The 12345 norms make a 15-day matter a complex one, extendable once by as much again.
UPDATE "responsibility_items" SET "extension_limit" = "resolve_limit" WHERE "resolve_limit" = '15d' AND NOT "urgent";

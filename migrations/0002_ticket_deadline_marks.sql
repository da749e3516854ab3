ALTER TABLE "ticket_dispatches" ADD COLUMN "check_in_warned_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "ticket_dispatches" ADD COLUMN "check_in_overdue_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "accept_warned_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "accept_overdue_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "resolve_warned_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "resolve_overdue_at" timestamp with time zone;
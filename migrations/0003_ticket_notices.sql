CREATE TABLE "notices" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "notices_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"channel" varchar(8) NOT NULL,
	"user_id" bigint,
	"phone" varchar(20),
	"ticket_id" bigint NOT NULL,
	"kind" varchar(24) NOT NULL,
	"to_status" varchar(12),
	"created_at" timestamp with time zone NOT NULL,
	"read_at" timestamp with time zone,
	"sent_at" timestamp with time zone,
	"attempts" smallint DEFAULT 0 NOT NULL,
	CONSTRAINT "notices_target_chk" CHECK (("notices"."channel" = 'app') = ("notices"."user_id" is not null))
);
--> statement-breakpoint
ALTER TABLE "notices" ADD CONSTRAINT "notices_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notices" ADD CONSTRAINT "notices_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "notices_user_idx" ON "notices" USING btree ("user_id","id");--> statement-breakpoint
CREATE INDEX "notices_outbox_idx" ON "notices" USING btree ("id") WHERE "notices"."channel" = 'sms' and "notices"."sent_at" is null;
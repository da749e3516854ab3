CREATE TABLE "party_care_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "party_care_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"care_id" bigint NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_user_id" bigint,
	"kind" varchar(20) NOT NULL,
	"data" jsonb
);
--> statement-breakpoint
CREATE TABLE "party_care_households" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "party_care_households_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"head_name" text NOT NULL,
	"phone" varchar(20),
	"compound_id" bigint NOT NULL,
	"building_id" bigint,
	"household_id" bigint,
	"address" text,
	"community_code" varchar(12) NOT NULL,
	"county_code" varchar(6) NOT NULL,
	"path" text NOT NULL,
	"kinds" text[] NOT NULL,
	"note" text,
	"visit_every_days" integer NOT NULL,
	"status" varchar(8) DEFAULT 'active' NOT NULL,
	"closed_reason" text,
	"marked_on" date NOT NULL,
	"last_visited_on" date,
	"due_from" date NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "party_care_households_status_chk" CHECK (status in ('active','closed')),
	CONSTRAINT "party_care_households_every_chk" CHECK (visit_every_days between 1 and 365),
	CONSTRAINT "party_care_households_kinds_chk" CHECK (cardinality(kinds) > 0 and kinds <@ array['elderlyAlone','emptyNest','disabled','lowIncome','extremePoverty','seriousIllness','leftBehindChild','veteranFamily','other']::text[])
);
--> statement-breakpoint
CREATE TABLE "party_pairings" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "party_pairings_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"care_id" bigint NOT NULL,
	"member_id" bigint NOT NULL,
	"started_on" date NOT NULL,
	"ended_on" date,
	"end_reason" text,
	"created_by" bigint,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "party_visits" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "party_visits_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"care_id" bigint NOT NULL,
	"member_id" bigint,
	"visited_on" date NOT NULL,
	"mode" varchar(8) NOT NULL,
	"notes" text NOT NULL,
	"problems_found" text,
	"problems_solved" text,
	"recorded_by" bigint NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "party_visits_mode_chk" CHECK (mode in ('home','phone','other'))
);
--> statement-breakpoint
ALTER TABLE "party_care_events" ADD CONSTRAINT "party_care_events_care_id_party_care_households_id_fk" FOREIGN KEY ("care_id") REFERENCES "public"."party_care_households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_care_events" ADD CONSTRAINT "party_care_events_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_care_households" ADD CONSTRAINT "party_care_households_compound_id_compounds_id_fk" FOREIGN KEY ("compound_id") REFERENCES "public"."compounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_care_households" ADD CONSTRAINT "party_care_households_building_id_buildings_id_fk" FOREIGN KEY ("building_id") REFERENCES "public"."buildings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_care_households" ADD CONSTRAINT "party_care_households_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_pairings" ADD CONSTRAINT "party_pairings_care_id_party_care_households_id_fk" FOREIGN KEY ("care_id") REFERENCES "public"."party_care_households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_pairings" ADD CONSTRAINT "party_pairings_member_id_party_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."party_members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_pairings" ADD CONSTRAINT "party_pairings_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_visits" ADD CONSTRAINT "party_visits_care_id_party_care_households_id_fk" FOREIGN KEY ("care_id") REFERENCES "public"."party_care_households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_visits" ADD CONSTRAINT "party_visits_member_id_party_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."party_members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_visits" ADD CONSTRAINT "party_visits_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "party_care_events_care_idx" ON "party_care_events" USING btree ("care_id","at");--> statement-breakpoint
CREATE INDEX "party_care_households_path_idx" ON "party_care_households" USING btree ("path" text_pattern_ops,"id");--> statement-breakpoint
CREATE INDEX "party_care_households_compound_idx" ON "party_care_households" USING btree ("compound_id");--> statement-breakpoint
CREATE UNIQUE INDEX "party_care_households_household_uq" ON "party_care_households" USING btree ("household_id") WHERE household_id is not null and status = 'active';--> statement-breakpoint
CREATE UNIQUE INDEX "party_pairings_current_uq" ON "party_pairings" USING btree ("care_id","member_id") WHERE ended_on is null;--> statement-breakpoint
CREATE INDEX "party_pairings_member_idx" ON "party_pairings" USING btree ("member_id") WHERE ended_on is null;--> statement-breakpoint
CREATE INDEX "party_visits_care_idx" ON "party_visits" USING btree ("care_id","visited_on");--> statement-breakpoint
CREATE INDEX "party_visits_member_idx" ON "party_visits" USING btree ("member_id","visited_on");
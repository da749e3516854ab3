CREATE TABLE "points_declarations" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "points_declarations_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"member_id" bigint NOT NULL,
	"path" text NOT NULL,
	"source" varchar(16) NOT NULL,
	"description" text NOT NULL,
	"evidence" text,
	"file_ids" bigint[] DEFAULT '{}'::bigint[] NOT NULL,
	"points" integer NOT NULL,
	"status" varchar(10) DEFAULT 'pending' NOT NULL,
	"reason" text,
	"decided_by" bigint,
	"decided_at" timestamp with time zone,
	"transfer_id" bigint,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "points_declarations_status_chk" CHECK (status in ('pending','approved','rejected')),
	CONSTRAINT "points_declarations_source_chk" CHECK (source in ('service','activity','branch','selfDeclared','praise','peer','award','deduction')),
	CONSTRAINT "points_declarations_points_chk" CHECK (points > 0),
	CONSTRAINT "points_declarations_decided_chk" CHECK ((status = 'approved') = (transfer_id is not null))
);
--> statement-breakpoint
CREATE TABLE "points_merchant_applications" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "points_merchant_applications_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"community_code" varchar(12) NOT NULL,
	"path" text NOT NULL,
	"name" text NOT NULL,
	"address" text,
	"categories" text[] DEFAULT '{}'::text[] NOT NULL,
	"contact_name" text NOT NULL,
	"contact_phone" varchar(20) NOT NULL,
	"note" text,
	"applicant_user_id" bigint NOT NULL,
	"status" varchar(10) DEFAULT 'pending' NOT NULL,
	"reason" text,
	"merchant_id" bigint,
	"decided_by" bigint,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "points_merchant_applications_status_chk" CHECK (status in ('pending','approved','rejected'))
);
--> statement-breakpoint
CREATE TABLE "points_objections" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "points_objections_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"posting_id" bigint NOT NULL,
	"member_id" bigint NOT NULL,
	"about_member_id" bigint,
	"text" text NOT NULL,
	"status" varchar(10) DEFAULT 'open' NOT NULL,
	"reply" text,
	"resolved_by" bigint,
	"resolved_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "points_objections_status_chk" CHECK (status in ('open','upheld','dismissed'))
);
--> statement-breakpoint
CREATE TABLE "points_posting_rows" (
	"posting_id" bigint NOT NULL,
	"member_id" bigint NOT NULL,
	"org_id" bigint,
	"name_masked" text NOT NULL,
	"points" integer NOT NULL,
	"community_rank" integer NOT NULL,
	"branch_rank" integer,
	CONSTRAINT "points_posting_rows_posting_id_member_id_pk" PRIMARY KEY("posting_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "points_postings" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "points_postings_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"community_code" varchar(12) NOT NULL,
	"path" text NOT NULL,
	"year" integer NOT NULL,
	"quarter" integer NOT NULL,
	"status" varchar(10) DEFAULT 'objection' NOT NULL,
	"frozen_at" timestamp with time zone NOT NULL,
	"objection_until" date NOT NULL,
	"finalised_at" timestamp with time zone,
	"archived_at" timestamp with time zone,
	CONSTRAINT "points_postings_status_chk" CHECK (status in ('objection','final','archived')),
	CONSTRAINT "points_postings_quarter_chk" CHECK (quarter between 1 and 4)
);
--> statement-breakpoint
CREATE TABLE "points_rules" (
	"county_code" varchar(6) NOT NULL,
	"source" varchar(16) NOT NULL,
	"points" integer NOT NULL,
	"unit" varchar(6) NOT NULL,
	"max_per_entry" integer NOT NULL,
	"declarable" boolean NOT NULL,
	"updated_by" bigint,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "points_rules_county_code_source_pk" PRIMARY KEY("county_code","source"),
	CONSTRAINT "points_rules_source_chk" CHECK (source in ('service','activity','branch','selfDeclared','praise','peer','award','deduction')),
	CONSTRAINT "points_rules_unit_chk" CHECK (unit in ('hour','entry')),
	CONSTRAINT "points_rules_points_chk" CHECK (points >= 0 and max_per_entry > 0)
);
--> statement-breakpoint
CREATE TABLE "service_certificates" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "service_certificates_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"number" varchar(24) NOT NULL,
	"member_id" bigint NOT NULL,
	"name_masked" text NOT NULL,
	"id_masked" varchar(18) NOT NULL,
	"period_from" date NOT NULL,
	"period_to" date NOT NULL,
	"times" integer NOT NULL,
	"minutes" integer NOT NULL,
	"content" text NOT NULL,
	"issuer" text NOT NULL,
	"path" text NOT NULL,
	"issued_by" bigint,
	"issued_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoke_reason" text,
	CONSTRAINT "service_certificates_period_chk" CHECK (period_to >= period_from)
);
--> statement-breakpoint
CREATE TABLE "service_claims" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "service_claims_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"slot_id" bigint NOT NULL,
	"member_id" bigint NOT NULL,
	"status" varchar(10) NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"promoted_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	CONSTRAINT "service_claims_status_chk" CHECK (status in ('claimed','waitlisted','cancelled'))
);
--> statement-breakpoint
CREATE TABLE "service_hour_codes" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "service_hour_codes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"slot_id" bigint NOT NULL,
	"code" varchar(12) NOT NULL,
	"used_by" bigint,
	"used_at" timestamp with time zone,
	"record_id" bigint,
	"created_by" bigint,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "service_hour_codes_used_chk" CHECK ((used_at is null) = (used_by is null))
);
--> statement-breakpoint
CREATE TABLE "service_posts" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "service_posts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"community_code" varchar(12) NOT NULL,
	"compound_id" bigint,
	"path" text NOT NULL,
	"title" text NOT NULL,
	"kind" varchar(12) NOT NULL,
	"skills" text[] DEFAULT '{}'::text[] NOT NULL,
	"place" text NOT NULL,
	"recipients" text,
	"content" text NOT NULL,
	"points_per_hour" integer,
	"cancel_hours" integer NOT NULL,
	"status" varchar(8) DEFAULT 'open' NOT NULL,
	"created_by" bigint,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "service_posts_kind_chk" CHECK (kind in ('environment','care','safety','civility','policy','health','mediation','youth','other')),
	CONSTRAINT "service_posts_status_chk" CHECK (status in ('open','closed')),
	CONSTRAINT "service_posts_points_chk" CHECK (points_per_hour is null or points_per_hour >= 0),
	CONSTRAINT "service_posts_cancel_chk" CHECK (cancel_hours >= 0)
);
--> statement-breakpoint
CREATE TABLE "service_record_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "service_record_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"record_id" bigint NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_user_id" bigint,
	"kind" varchar(12) NOT NULL,
	"data" jsonb,
	"transfer_id" bigint
);
--> statement-breakpoint
CREATE TABLE "service_records" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "service_records_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"member_id" bigint NOT NULL,
	"post_id" bigint NOT NULL,
	"slot_id" bigint,
	"path" text NOT NULL,
	"activity" text NOT NULL,
	"service_date" date NOT NULL,
	"place" text NOT NULL,
	"recipients" text,
	"content" text NOT NULL,
	"method" varchar(10) NOT NULL,
	"check_in_at" timestamp with time zone,
	"check_out_at" timestamp with time zone,
	"recorded_minutes" integer,
	"minutes" integer,
	"rating" smallint,
	"organiser" text NOT NULL,
	"recorded_by" bigint,
	"verified_by" bigint,
	"verified_at" timestamp with time zone,
	"status" varchar(10) NOT NULL,
	"reason" text,
	"points" integer DEFAULT 0 NOT NULL,
	"problems_solved" text,
	"ticket_id" bigint,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "service_records_method_chk" CHECK (method in ('qr','code','organiser')),
	CONSTRAINT "service_records_status_chk" CHECK (status in ('onDuty','pending','approved','declined')),
	CONSTRAINT "service_records_minutes_chk" CHECK (minutes is null or minutes >= 0),
	CONSTRAINT "service_records_rating_chk" CHECK (rating is null or rating between 1 and 5),
	CONSTRAINT "service_records_points_chk" CHECK (points >= 0)
);
--> statement-breakpoint
CREATE TABLE "service_reminders" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "service_reminders_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"target_id" bigint NOT NULL,
	"remind_on" date NOT NULL,
	"member_id" bigint NOT NULL,
	"times" integer NOT NULL,
	"minutes" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"read_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "service_slots" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "service_slots_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"post_id" bigint NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"capacity" integer NOT NULL,
	"claimed" integer DEFAULT 0 NOT NULL,
	"status" varchar(10) DEFAULT 'open' NOT NULL,
	"qr_secret" "bytea" NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "service_slots_time_chk" CHECK (ends_at > starts_at),
	CONSTRAINT "service_slots_capacity_chk" CHECK (capacity > 0 and claimed >= 0 and claimed <= capacity),
	CONSTRAINT "service_slots_status_chk" CHECK (status in ('open','cancelled'))
);
--> statement-breakpoint
CREATE TABLE "service_targets" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "service_targets_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"year" integer NOT NULL,
	"county_code" varchar(6) NOT NULL,
	"group" varchar(16) NOT NULL,
	"min_times" integer NOT NULL,
	"min_hours" integer NOT NULL,
	"remind_on" date[] DEFAULT '{}'::date[] NOT NULL,
	"updated_by" bigint,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "service_targets_group_chk" CHECK ("group" in ('inServiceCadre','inService','all')),
	CONSTRAINT "service_targets_min_chk" CHECK (min_times >= 0 and min_hours >= 0)
);
--> statement-breakpoint
ALTER TABLE "points_vouchers" DROP CONSTRAINT "points_vouchers_status_chk";--> statement-breakpoint
ALTER TABLE "points_declarations" ADD CONSTRAINT "points_declarations_member_id_party_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."party_members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_declarations" ADD CONSTRAINT "points_declarations_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_declarations" ADD CONSTRAINT "points_declarations_transfer_id_points_transfers_id_fk" FOREIGN KEY ("transfer_id") REFERENCES "public"."points_transfers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_merchant_applications" ADD CONSTRAINT "points_merchant_applications_community_code_regions_code_fk" FOREIGN KEY ("community_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_merchant_applications" ADD CONSTRAINT "points_merchant_applications_applicant_user_id_users_id_fk" FOREIGN KEY ("applicant_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_merchant_applications" ADD CONSTRAINT "points_merchant_applications_merchant_id_points_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."points_merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_merchant_applications" ADD CONSTRAINT "points_merchant_applications_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_objections" ADD CONSTRAINT "points_objections_posting_id_points_postings_id_fk" FOREIGN KEY ("posting_id") REFERENCES "public"."points_postings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_objections" ADD CONSTRAINT "points_objections_member_id_party_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."party_members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_objections" ADD CONSTRAINT "points_objections_about_member_id_party_members_id_fk" FOREIGN KEY ("about_member_id") REFERENCES "public"."party_members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_objections" ADD CONSTRAINT "points_objections_resolved_by_users_id_fk" FOREIGN KEY ("resolved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_posting_rows" ADD CONSTRAINT "points_posting_rows_posting_id_points_postings_id_fk" FOREIGN KEY ("posting_id") REFERENCES "public"."points_postings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_posting_rows" ADD CONSTRAINT "points_posting_rows_member_id_party_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."party_members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_posting_rows" ADD CONSTRAINT "points_posting_rows_org_id_party_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."party_orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_postings" ADD CONSTRAINT "points_postings_community_code_regions_code_fk" FOREIGN KEY ("community_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_rules" ADD CONSTRAINT "points_rules_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_certificates" ADD CONSTRAINT "service_certificates_member_id_party_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."party_members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_certificates" ADD CONSTRAINT "service_certificates_issued_by_users_id_fk" FOREIGN KEY ("issued_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_claims" ADD CONSTRAINT "service_claims_slot_id_service_slots_id_fk" FOREIGN KEY ("slot_id") REFERENCES "public"."service_slots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_claims" ADD CONSTRAINT "service_claims_member_id_party_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."party_members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_hour_codes" ADD CONSTRAINT "service_hour_codes_slot_id_service_slots_id_fk" FOREIGN KEY ("slot_id") REFERENCES "public"."service_slots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_hour_codes" ADD CONSTRAINT "service_hour_codes_used_by_party_members_id_fk" FOREIGN KEY ("used_by") REFERENCES "public"."party_members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_hour_codes" ADD CONSTRAINT "service_hour_codes_record_id_service_records_id_fk" FOREIGN KEY ("record_id") REFERENCES "public"."service_records"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_hour_codes" ADD CONSTRAINT "service_hour_codes_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_posts" ADD CONSTRAINT "service_posts_community_code_regions_code_fk" FOREIGN KEY ("community_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_posts" ADD CONSTRAINT "service_posts_compound_id_compounds_id_fk" FOREIGN KEY ("compound_id") REFERENCES "public"."compounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_posts" ADD CONSTRAINT "service_posts_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_record_events" ADD CONSTRAINT "service_record_events_record_id_service_records_id_fk" FOREIGN KEY ("record_id") REFERENCES "public"."service_records"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_record_events" ADD CONSTRAINT "service_record_events_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_record_events" ADD CONSTRAINT "service_record_events_transfer_id_points_transfers_id_fk" FOREIGN KEY ("transfer_id") REFERENCES "public"."points_transfers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_records" ADD CONSTRAINT "service_records_member_id_party_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."party_members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_records" ADD CONSTRAINT "service_records_post_id_service_posts_id_fk" FOREIGN KEY ("post_id") REFERENCES "public"."service_posts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_records" ADD CONSTRAINT "service_records_slot_id_service_slots_id_fk" FOREIGN KEY ("slot_id") REFERENCES "public"."service_slots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_records" ADD CONSTRAINT "service_records_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_records" ADD CONSTRAINT "service_records_verified_by_users_id_fk" FOREIGN KEY ("verified_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_records" ADD CONSTRAINT "service_records_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_reminders" ADD CONSTRAINT "service_reminders_target_id_service_targets_id_fk" FOREIGN KEY ("target_id") REFERENCES "public"."service_targets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_reminders" ADD CONSTRAINT "service_reminders_member_id_party_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."party_members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_slots" ADD CONSTRAINT "service_slots_post_id_service_posts_id_fk" FOREIGN KEY ("post_id") REFERENCES "public"."service_posts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_targets" ADD CONSTRAINT "service_targets_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "points_declarations_path_idx" ON "points_declarations" USING btree ("path" text_pattern_ops,"status");--> statement-breakpoint
CREATE INDEX "points_declarations_member_idx" ON "points_declarations" USING btree ("member_id","id");--> statement-breakpoint
CREATE INDEX "points_merchant_applications_path_idx" ON "points_merchant_applications" USING btree ("path" text_pattern_ops,"status");--> statement-breakpoint
CREATE UNIQUE INDEX "points_merchant_applications_pending_uq" ON "points_merchant_applications" USING btree ("community_code","name") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "points_objections_posting_idx" ON "points_objections" USING btree ("posting_id","status");--> statement-breakpoint
CREATE INDEX "points_posting_rows_rank_idx" ON "points_posting_rows" USING btree ("posting_id","community_rank");--> statement-breakpoint
CREATE INDEX "points_posting_rows_org_idx" ON "points_posting_rows" USING btree ("posting_id","org_id","branch_rank");--> statement-breakpoint
CREATE UNIQUE INDEX "points_postings_uq" ON "points_postings" USING btree ("community_code","year","quarter");--> statement-breakpoint
CREATE INDEX "points_postings_path_idx" ON "points_postings" USING btree ("path" text_pattern_ops,"year","quarter");--> statement-breakpoint
CREATE UNIQUE INDEX "service_certificates_number_uq" ON "service_certificates" USING btree ("number");--> statement-breakpoint
CREATE INDEX "service_certificates_member_idx" ON "service_certificates" USING btree ("member_id");--> statement-breakpoint
CREATE UNIQUE INDEX "service_claims_live_uq" ON "service_claims" USING btree ("slot_id","member_id") WHERE status <> 'cancelled';--> statement-breakpoint
CREATE INDEX "service_claims_slot_idx" ON "service_claims" USING btree ("slot_id","status","id");--> statement-breakpoint
CREATE INDEX "service_claims_member_idx" ON "service_claims" USING btree ("member_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "service_hour_codes_code_uq" ON "service_hour_codes" USING btree ("code");--> statement-breakpoint
CREATE INDEX "service_hour_codes_slot_idx" ON "service_hour_codes" USING btree ("slot_id");--> statement-breakpoint
CREATE INDEX "service_posts_path_idx" ON "service_posts" USING btree ("path" text_pattern_ops,"status");--> statement-breakpoint
CREATE INDEX "service_record_events_record_idx" ON "service_record_events" USING btree ("record_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "service_records_slot_member_uq" ON "service_records" USING btree ("slot_id","member_id") WHERE slot_id is not null;--> statement-breakpoint
CREATE INDEX "service_records_member_idx" ON "service_records" USING btree ("member_id","service_date");--> statement-breakpoint
CREATE INDEX "service_records_path_idx" ON "service_records" USING btree ("path" text_pattern_ops,"status");--> statement-breakpoint
CREATE INDEX "service_records_slot_idx" ON "service_records" USING btree ("slot_id","status");--> statement-breakpoint
CREATE INDEX "service_records_date_idx" ON "service_records" USING btree ("service_date");--> statement-breakpoint
CREATE UNIQUE INDEX "service_reminders_uq" ON "service_reminders" USING btree ("target_id","remind_on","member_id");--> statement-breakpoint
CREATE INDEX "service_reminders_member_idx" ON "service_reminders" USING btree ("member_id","id");--> statement-breakpoint
CREATE INDEX "service_slots_post_idx" ON "service_slots" USING btree ("post_id","starts_at");--> statement-breakpoint
CREATE INDEX "service_slots_starts_idx" ON "service_slots" USING btree ("starts_at");--> statement-breakpoint
CREATE UNIQUE INDEX "service_targets_uq" ON "service_targets" USING btree ("year","county_code","group");--> statement-breakpoint
ALTER TABLE "points_vouchers" ADD CONSTRAINT "points_vouchers_status_chk" CHECK (status in ('issued','redeemed','cancelled','expired'));
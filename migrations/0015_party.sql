CREATE TABLE "party_colour_schemes" (
	"county_code" varchar(6) PRIMARY KEY NOT NULL,
	"entries" jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"updated_by" bigint
);
--> statement-breakpoint
CREATE TABLE "party_imports" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "party_imports_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"user_id" bigint NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"file_name" text NOT NULL,
	"status" varchar(10) NOT NULL,
	"rows" integer NOT NULL,
	"created" integer DEFAULT 0 NOT NULL,
	"updated" integer DEFAULT 0 NOT NULL,
	"unchanged" integer DEFAULT 0 NOT NULL,
	"problem_count" integer DEFAULT 0 NOT NULL,
	"problems" jsonb,
	"elapsed_ms" integer,
	CONSTRAINT "party_imports_status_chk" CHECK (status in ('checked','imported','rejected'))
);
--> statement-breakpoint
CREATE TABLE "party_member_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "party_member_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"member_id" bigint NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_user_id" bigint,
	"kind" varchar(20) NOT NULL,
	"changes" jsonb,
	"reason" text
);
--> statement-breakpoint
CREATE TABLE "party_members" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "party_members_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"user_id" bigint,
	"name" text NOT NULL,
	"sex" varchar(6) NOT NULL,
	"birth_date" date NOT NULL,
	"id_sealed" "bytea" NOT NULL,
	"id_index" "bytea" NOT NULL,
	"id_masked" varchar(18) NOT NULL,
	"phone" varchar(20),
	"education" varchar(12),
	"joined_on" date,
	"standing" varchar(12) DEFAULT 'full' NOT NULL,
	"relation_at" text,
	"org_id" bigint,
	"compound_id" bigint NOT NULL,
	"building_id" bigint,
	"household_id" bigint,
	"community_code" varchar(12) NOT NULL,
	"county_code" varchar(6) NOT NULL,
	"path" text NOT NULL,
	"ledger" varchar(12) NOT NULL,
	"work_unit" text,
	"skills" text[] DEFAULT '{}'::text[] NOT NULL,
	"frail" boolean DEFAULT false NOT NULL,
	"status" varchar(16) DEFAULT 'normal' NOT NULL,
	"colour" varchar(8),
	"colour_reason" text,
	"mobile_direction" varchar(4),
	"mobile_place" text,
	"mobile_contact" text,
	"mobile_certificate" varchar(40),
	"mobile_since" date,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "party_members_sex_chk" CHECK (sex in ('male','female')),
	CONSTRAINT "party_members_standing_chk" CHECK (standing in ('full','probationary')),
	CONSTRAINT "party_members_ledger_chk" CHECK (ledger in ('direct','retired','inService','mobile')),
	CONSTRAINT "party_members_status_chk" CHECK (status in ('normal','transferredOut','deceased','removed')),
	CONSTRAINT "party_members_education_chk" CHECK (education is null or education in ('primary','juniorHigh','seniorHigh','vocational','college','bachelor','master','doctorate')),
	CONSTRAINT "party_members_colour_chk" CHECK (colour is null or colour in ('red','orange','purple','blue','green')),
	CONSTRAINT "party_members_mobile_chk" CHECK ((ledger = 'mobile') = (mobile_direction is not null) and (mobile_direction is null or mobile_direction in ('out','in')))
);
--> statement-breakpoint
CREATE TABLE "party_org_compounds" (
	"org_id" bigint NOT NULL,
	"compound_id" bigint NOT NULL,
	CONSTRAINT "party_org_compounds_org_id_compound_id_pk" PRIMARY KEY("org_id","compound_id")
);
--> statement-breakpoint
CREATE TABLE "party_org_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "party_org_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"org_id" bigint NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_user_id" bigint,
	"kind" varchar(20) NOT NULL,
	"data" jsonb
);
--> statement-breakpoint
CREATE TABLE "party_orgs" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "party_orgs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"kind" varchar(20) NOT NULL,
	"name" text NOT NULL,
	"parent_id" bigint,
	"community_code" varchar(12) NOT NULL,
	"county_code" varchar(6) NOT NULL,
	"path" text NOT NULL,
	"building_id" bigint,
	"household_id" bigint,
	"status" varchar(12) DEFAULT 'active' NOT NULL,
	"founded_on" date,
	"ended_on" date,
	"merged_into_id" bigint,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "party_orgs_kind_chk" CHECK (kind in ('committee','generalBranch','branch','group','centralHousehold')),
	CONSTRAINT "party_orgs_status_chk" CHECK (status in ('active','merged','dissolved')),
	CONSTRAINT "party_orgs_merged_chk" CHECK (("party_orgs"."status" = 'merged') = ("party_orgs"."merged_into_id" is not null))
);
--> statement-breakpoint
ALTER TABLE "party_colour_schemes" ADD CONSTRAINT "party_colour_schemes_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_imports" ADD CONSTRAINT "party_imports_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_member_events" ADD CONSTRAINT "party_member_events_member_id_party_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."party_members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_member_events" ADD CONSTRAINT "party_member_events_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_members" ADD CONSTRAINT "party_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_members" ADD CONSTRAINT "party_members_org_id_party_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."party_orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_members" ADD CONSTRAINT "party_members_compound_id_compounds_id_fk" FOREIGN KEY ("compound_id") REFERENCES "public"."compounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_members" ADD CONSTRAINT "party_members_building_id_buildings_id_fk" FOREIGN KEY ("building_id") REFERENCES "public"."buildings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_members" ADD CONSTRAINT "party_members_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_org_compounds" ADD CONSTRAINT "party_org_compounds_org_id_party_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."party_orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_org_compounds" ADD CONSTRAINT "party_org_compounds_compound_id_compounds_id_fk" FOREIGN KEY ("compound_id") REFERENCES "public"."compounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_org_events" ADD CONSTRAINT "party_org_events_org_id_party_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."party_orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_org_events" ADD CONSTRAINT "party_org_events_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_orgs" ADD CONSTRAINT "party_orgs_community_code_regions_code_fk" FOREIGN KEY ("community_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_orgs" ADD CONSTRAINT "party_orgs_building_id_buildings_id_fk" FOREIGN KEY ("building_id") REFERENCES "public"."buildings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_orgs" ADD CONSTRAINT "party_orgs_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "party_imports_user_idx" ON "party_imports" USING btree ("user_id","at");--> statement-breakpoint
CREATE INDEX "party_member_events_member_idx" ON "party_member_events" USING btree ("member_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "party_members_id_index_uq" ON "party_members" USING btree ("id_index");--> statement-breakpoint
CREATE UNIQUE INDEX "party_members_user_uq" ON "party_members" USING btree ("user_id") WHERE user_id is not null;--> statement-breakpoint
CREATE INDEX "party_members_path_idx" ON "party_members" USING btree ("path" text_pattern_ops,"id");--> statement-breakpoint
CREATE INDEX "party_members_compound_idx" ON "party_members" USING btree ("compound_id","ledger");--> statement-breakpoint
CREATE INDEX "party_members_org_idx" ON "party_members" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "party_members_phone_idx" ON "party_members" USING btree ("phone");--> statement-breakpoint
CREATE INDEX "party_org_compounds_compound_idx" ON "party_org_compounds" USING btree ("compound_id");--> statement-breakpoint
CREATE INDEX "party_org_events_org_idx" ON "party_org_events" USING btree ("org_id","at");--> statement-breakpoint
CREATE INDEX "party_orgs_community_idx" ON "party_orgs" USING btree ("community_code","kind");--> statement-breakpoint
CREATE INDEX "party_orgs_parent_idx" ON "party_orgs" USING btree ("parent_id");
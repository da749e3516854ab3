CREATE TABLE "audit_log" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_log_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"at" timestamp with time zone NOT NULL,
	"actor_user_id" bigint,
	"action" varchar(64) NOT NULL,
	"entity" varchar(32) NOT NULL,
	"entity_id" varchar(40),
	"scope_path" text,
	"ip" "inet",
	"detail" jsonb
);
--> statement-breakpoint
CREATE TABLE "grants" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "grants_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"user_id" bigint NOT NULL,
	"role" varchar(24) NOT NULL,
	"scope_path" text NOT NULL,
	"node_kind" varchar(12) NOT NULL,
	"node_ref" varchar(20) NOT NULL,
	"department_id" bigint,
	"granted_by" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "grants_role_chk" CHECK (role in ('resident','member','merchant','unitAdmin','gridWorker','compoundSecretary','departmentOfficer','communityAdmin','townshipAdmin','countyAdmin','cityAdmin'))
);
--> statement-breakpoint
CREATE TABLE "otp_codes" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "otp_codes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"phone" varchar(20) NOT NULL,
	"code_hash" varchar(64) NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "rate_limits" (
	"key" text NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"count" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"token_hash" varchar(64) PRIMARY KEY NOT NULL,
	"user_id" bigint NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"ip" "inet",
	"user_agent" text
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "users_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"phone" varchar(20) NOT NULL,
	"name" text NOT NULL,
	"password_hash" text,
	"locale" varchar(8) DEFAULT 'zh-CN' NOT NULL,
	"disabled" boolean DEFAULT false NOT NULL,
	"failed_logins" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"sessions_valid_after" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "buildings" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "buildings_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"compound_id" bigint NOT NULL,
	"name" text NOT NULL,
	"units" smallint DEFAULT 1 NOT NULL,
	"floors" smallint DEFAULT 6 NOT NULL,
	"county_code" varchar(6) NOT NULL,
	"path" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "buildings_units_chk" CHECK ("buildings"."units" between 1 and 50),
	CONSTRAINT "buildings_floors_chk" CHECK ("buildings"."floors" between 1 and 200)
);
--> statement-breakpoint
CREATE TABLE "compounds" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "compounds_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"code" varchar(15) NOT NULL,
	"name" text NOT NULL,
	"community_code" varchar(12) NOT NULL,
	"county_code" varchar(6) NOT NULL,
	"grid_id" bigint NOT NULL,
	"path" text NOT NULL,
	"address" text,
	"lat" double precision,
	"lng" double precision,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "departments" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "departments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"type" varchar(40) NOT NULL,
	"region_code" varchar(12) NOT NULL,
	"path" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "grids" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "grids_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"code" varchar(20) NOT NULL,
	"name" text NOT NULL,
	"community_code" varchar(12) NOT NULL,
	"county_code" varchar(6) NOT NULL,
	"path" text NOT NULL,
	"worker_user_id" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "households" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "households_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"building_id" bigint NOT NULL,
	"unit" smallint DEFAULT 1 NOT NULL,
	"room" varchar(16) NOT NULL,
	"county_code" varchar(6) NOT NULL,
	"path" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "regions" (
	"code" varchar(12) PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"official_name" text NOT NULL,
	"level" varchar(12) NOT NULL,
	"kind" varchar(12),
	"parent_code" varchar(12),
	"path" text NOT NULL,
	"county_code" varchar(6),
	"sort" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "regions_level_chk" CHECK ("regions"."level" in ('city','county','township','community'))
);
--> statement-breakpoint
ALTER TABLE "grants" ADD CONSTRAINT "grants_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grants" ADD CONSTRAINT "grants_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "buildings" ADD CONSTRAINT "buildings_compound_id_compounds_id_fk" FOREIGN KEY ("compound_id") REFERENCES "public"."compounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "compounds" ADD CONSTRAINT "compounds_community_code_regions_code_fk" FOREIGN KEY ("community_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "compounds" ADD CONSTRAINT "compounds_grid_id_grids_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."grids"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "departments" ADD CONSTRAINT "departments_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grids" ADD CONSTRAINT "grids_community_code_regions_code_fk" FOREIGN KEY ("community_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "households" ADD CONSTRAINT "households_building_id_buildings_id_fk" FOREIGN KEY ("building_id") REFERENCES "public"."buildings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_at_idx" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_scope_idx" ON "audit_log" USING btree ("scope_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "audit_actor_idx" ON "audit_log" USING btree ("actor_user_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "grants_user_role_node_uq" ON "grants" USING btree ("user_id","role","node_kind","node_ref");--> statement-breakpoint
CREATE INDEX "grants_scope_idx" ON "grants" USING btree ("scope_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "otp_phone_idx" ON "otp_codes" USING btree ("phone","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "rate_limits_pk" ON "rate_limits" USING btree ("key","window_start");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_phone_uq" ON "users" USING btree ("phone");--> statement-breakpoint
CREATE UNIQUE INDEX "buildings_compound_name_uq" ON "buildings" USING btree ("compound_id","name");--> statement-breakpoint
CREATE INDEX "buildings_path_idx" ON "buildings" USING btree ("path" text_pattern_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "compounds_code_uq" ON "compounds" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "compounds_community_name_uq" ON "compounds" USING btree ("community_code","name");--> statement-breakpoint
CREATE INDEX "compounds_path_idx" ON "compounds" USING btree ("path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "compounds_grid_idx" ON "compounds" USING btree ("grid_id");--> statement-breakpoint
CREATE UNIQUE INDEX "departments_region_name_uq" ON "departments" USING btree ("region_code","name");--> statement-breakpoint
CREATE INDEX "departments_path_idx" ON "departments" USING btree ("path" text_pattern_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "grids_code_uq" ON "grids" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "grids_community_name_uq" ON "grids" USING btree ("community_code","name");--> statement-breakpoint
CREATE INDEX "grids_path_idx" ON "grids" USING btree ("path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "grids_community_idx" ON "grids" USING btree ("community_code");--> statement-breakpoint
CREATE UNIQUE INDEX "households_building_unit_room_uq" ON "households" USING btree ("building_id","unit","room");--> statement-breakpoint
CREATE INDEX "households_path_idx" ON "households" USING btree ("path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "regions_path_idx" ON "regions" USING btree ("path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "regions_parent_idx" ON "regions" USING btree ("parent_code");
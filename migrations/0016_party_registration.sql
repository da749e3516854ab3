CREATE TABLE "party_registrations" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "party_registrations_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"user_id" bigint NOT NULL,
	"name" text NOT NULL,
	"sex" varchar(6) NOT NULL,
	"birth_date" date NOT NULL,
	"id_sealed" "bytea" NOT NULL,
	"id_index" "bytea" NOT NULL,
	"id_masked" varchar(18) NOT NULL,
	"phone" varchar(20) NOT NULL,
	"unit_id" bigint,
	"work_unit" text NOT NULL,
	"compound_id" bigint NOT NULL,
	"community_code" varchar(12) NOT NULL,
	"path" text NOT NULL,
	"skills" text[] DEFAULT '{}'::text[] NOT NULL,
	"leader" boolean DEFAULT false NOT NULL,
	"status" varchar(10) DEFAULT 'pending' NOT NULL,
	"reason" text,
	"decided_by" bigint,
	"decided_at" timestamp with time zone,
	"member_id" bigint,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "party_registrations_status_chk" CHECK (status in ('pending','confirmed','rejected','withdrawn')),
	CONSTRAINT "party_registrations_sex_chk" CHECK (sex in ('male','female'))
);
--> statement-breakpoint
CREATE TABLE "party_unit_admins" (
	"unit_id" bigint NOT NULL,
	"user_id" bigint NOT NULL,
	CONSTRAINT "party_unit_admins_unit_id_user_id_pk" PRIMARY KEY("unit_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "party_unit_communities" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "party_unit_communities_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"unit_id" bigint NOT NULL,
	"community_code" varchar(12) NOT NULL,
	"path" text NOT NULL,
	"agreement" text,
	"pledged" text,
	"contact_name" text,
	"contact_phone" varchar(20),
	"signed_on" date,
	"created_at" timestamp with time zone NOT NULL,
	"created_by" bigint
);
--> statement-breakpoint
CREATE TABLE "party_units" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "party_units_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"contact_name" text,
	"contact_phone" varchar(20),
	"expected_members" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "party_registrations" ADD CONSTRAINT "party_registrations_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_registrations" ADD CONSTRAINT "party_registrations_unit_id_party_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."party_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_registrations" ADD CONSTRAINT "party_registrations_compound_id_compounds_id_fk" FOREIGN KEY ("compound_id") REFERENCES "public"."compounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_registrations" ADD CONSTRAINT "party_registrations_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_registrations" ADD CONSTRAINT "party_registrations_member_id_party_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."party_members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_unit_admins" ADD CONSTRAINT "party_unit_admins_unit_id_party_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."party_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_unit_admins" ADD CONSTRAINT "party_unit_admins_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_unit_communities" ADD CONSTRAINT "party_unit_communities_unit_id_party_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."party_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_unit_communities" ADD CONSTRAINT "party_unit_communities_community_code_regions_code_fk" FOREIGN KEY ("community_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_unit_communities" ADD CONSTRAINT "party_unit_communities_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "party_registrations_path_idx" ON "party_registrations" USING btree ("path" text_pattern_ops,"status");--> statement-breakpoint
CREATE INDEX "party_registrations_unit_idx" ON "party_registrations" USING btree ("unit_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "party_registrations_pending_uq" ON "party_registrations" USING btree ("user_id") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "party_unit_admins_user_idx" ON "party_unit_admins" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "party_unit_communities_uq" ON "party_unit_communities" USING btree ("unit_id","community_code");--> statement-breakpoint
CREATE INDEX "party_unit_communities_path_idx" ON "party_unit_communities" USING btree ("path" text_pattern_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "party_units_name_uq" ON "party_units" USING btree ("name");
CREATE TABLE "files" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "files_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"sha256" varchar(64) NOT NULL,
	"mime" varchar(32) NOT NULL,
	"size" integer NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"data" "bytea" NOT NULL,
	"thumb" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" bigint,
	"scope_path" text NOT NULL,
	"owner_kind" varchar(24) NOT NULL,
	"owner_id" bigint,
	CONSTRAINT "files_mime_chk" CHECK ("files"."mime" in ('image/jpeg','image/png','image/webp')),
	CONSTRAINT "files_size_chk" CHECK ("files"."size" > 0)
);
--> statement-breakpoint
CREATE TABLE "calendar_overrides" (
	"day" date PRIMARY KEY NOT NULL,
	"workday" boolean NOT NULL,
	"note" text,
	"updated_by" bigint,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "responsibility_categories" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "responsibility_categories_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"list_id" bigint NOT NULL,
	"code" varchar(20) NOT NULL,
	"name" text NOT NULL,
	"sort" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "responsibility_items" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "responsibility_items_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"list_id" bigint NOT NULL,
	"category_id" bigint NOT NULL,
	"code" varchar(20) NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"handler_level" varchar(12) NOT NULL,
	"department_type" varchar(40),
	"urgent" boolean DEFAULT false NOT NULL,
	"accept_limit" varchar(12) NOT NULL,
	"check_in_limit" varchar(12) NOT NULL,
	"resolve_limit" varchar(12) NOT NULL,
	"keywords" text[] DEFAULT '{}'::text[] NOT NULL,
	"sort" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "responsibility_items_level_chk" CHECK ("responsibility_items"."handler_level" in ('community','township','department')),
	CONSTRAINT "responsibility_items_department_chk" CHECK (("responsibility_items"."handler_level" = 'department') = ("responsibility_items"."department_type" is not null))
);
--> statement-breakpoint
CREATE TABLE "responsibility_lists" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "responsibility_lists_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"version" varchar(20) NOT NULL,
	"current" boolean DEFAULT false NOT NULL,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_by" bigint,
	"note" text,
	CONSTRAINT "responsibility_lists_version_unique" UNIQUE("version")
);
--> statement-breakpoint
CREATE TABLE "ticket_dispatches" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "ticket_dispatches_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"ticket_id" bigint NOT NULL,
	"department_id" bigint NOT NULL,
	"status" varchar(12) NOT NULL,
	"urgent" boolean DEFAULT false NOT NULL,
	"whistled_at" timestamp with time zone NOT NULL,
	"check_in_due_at" timestamp with time zone NOT NULL,
	"check_in_warn_at" timestamp with time zone NOT NULL,
	"checked_in_at" timestamp with time zone,
	"done_at" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "ticket_dispatches_status_chk" CHECK ("ticket_dispatches"."status" in ('pending','checkedIn','returned','done','cancelled'))
);
--> statement-breakpoint
CREATE TABLE "ticket_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "ticket_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"ticket_id" bigint NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_user_id" bigint,
	"department_id" bigint,
	"kind" varchar(24) NOT NULL,
	"from_status" varchar(12),
	"to_status" varchar(12),
	"note" text,
	"public" boolean DEFAULT true NOT NULL,
	"data" jsonb
);
--> statement-breakpoint
CREATE TABLE "ticket_followers" (
	"ticket_id" bigint NOT NULL,
	"user_id" bigint NOT NULL,
	"reason" varchar(12) NOT NULL,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "ticket_followers_ticket_id_user_id_pk" PRIMARY KEY("ticket_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "ticket_numbers" (
	"day" date PRIMARY KEY NOT NULL,
	"last" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tickets" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "tickets_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"number" varchar(20) NOT NULL,
	"channel" varchar(12) NOT NULL,
	"status" varchar(12) NOT NULL,
	"item_id" bigint,
	"description" text NOT NULL,
	"private" boolean DEFAULT false NOT NULL,
	"urgent" boolean DEFAULT false NOT NULL,
	"reporter_user_id" bigint,
	"created_by" bigint,
	"contact_name" text,
	"contact_phone" varchar(20),
	"community_code" varchar(12) NOT NULL,
	"county_code" varchar(6) NOT NULL,
	"compound_id" bigint,
	"building_id" bigint,
	"path" text NOT NULL,
	"lat" double precision,
	"lng" double precision,
	"place" text,
	"handled_by_self" boolean DEFAULT false NOT NULL,
	"reopen_count" smallint DEFAULT 0 NOT NULL,
	"merged_into_id" bigint,
	"accept_due_at" timestamp with time zone,
	"accept_warn_at" timestamp with time zone,
	"resolve_due_at" timestamp with time zone,
	"resolve_warn_at" timestamp with time zone,
	"follow_up_due_at" timestamp with time zone,
	"supervised_level" varchar(12),
	"rating" smallint,
	"outcome" varchar(12),
	"idempotency_key" varchar(80),
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"accepted_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	CONSTRAINT "tickets_status_chk" CHECK ("tickets"."status" in ('submitted','accepted','whistled','inProgress','resolved','confirmed','closed','rejected','referred','merged')),
	CONSTRAINT "tickets_rating_chk" CHECK ("tickets"."rating" is null or "tickets"."rating" between 1 and 5),
	CONSTRAINT "tickets_merged_chk" CHECK (("tickets"."status" = 'merged') = ("tickets"."merged_into_id" is not null))
);
--> statement-breakpoint
ALTER TABLE "files" ADD CONSTRAINT "files_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calendar_overrides" ADD CONSTRAINT "calendar_overrides_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "responsibility_categories" ADD CONSTRAINT "responsibility_categories_list_id_responsibility_lists_id_fk" FOREIGN KEY ("list_id") REFERENCES "public"."responsibility_lists"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "responsibility_items" ADD CONSTRAINT "responsibility_items_list_id_responsibility_lists_id_fk" FOREIGN KEY ("list_id") REFERENCES "public"."responsibility_lists"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "responsibility_items" ADD CONSTRAINT "responsibility_items_category_id_responsibility_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."responsibility_categories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "responsibility_lists" ADD CONSTRAINT "responsibility_lists_published_by_users_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_dispatches" ADD CONSTRAINT "ticket_dispatches_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_dispatches" ADD CONSTRAINT "ticket_dispatches_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_events" ADD CONSTRAINT "ticket_events_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_events" ADD CONSTRAINT "ticket_events_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_events" ADD CONSTRAINT "ticket_events_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_followers" ADD CONSTRAINT "ticket_followers_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_followers" ADD CONSTRAINT "ticket_followers_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_item_id_responsibility_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."responsibility_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_reporter_user_id_users_id_fk" FOREIGN KEY ("reporter_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_community_code_regions_code_fk" FOREIGN KEY ("community_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_compound_id_compounds_id_fk" FOREIGN KEY ("compound_id") REFERENCES "public"."compounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_building_id_buildings_id_fk" FOREIGN KEY ("building_id") REFERENCES "public"."buildings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "files_owner_idx" ON "files" USING btree ("owner_kind","owner_id");--> statement-breakpoint
CREATE INDEX "files_unattached_idx" ON "files" USING btree ("created_at") WHERE "files"."owner_id" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "responsibility_categories_list_code_uq" ON "responsibility_categories" USING btree ("list_id","code");--> statement-breakpoint
CREATE UNIQUE INDEX "responsibility_items_list_code_uq" ON "responsibility_items" USING btree ("list_id","code");--> statement-breakpoint
CREATE UNIQUE INDEX "ticket_dispatches_ticket_department_uq" ON "ticket_dispatches" USING btree ("ticket_id","department_id");--> statement-breakpoint
CREATE INDEX "ticket_dispatches_department_idx" ON "ticket_dispatches" USING btree ("department_id","status","check_in_due_at");--> statement-breakpoint
CREATE INDEX "ticket_events_ticket_idx" ON "ticket_events" USING btree ("ticket_id","at");--> statement-breakpoint
CREATE INDEX "ticket_followers_user_idx" ON "ticket_followers" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "tickets_number_uq" ON "tickets" USING btree ("number");--> statement-breakpoint
CREATE UNIQUE INDEX "tickets_idempotency_uq" ON "tickets" USING btree ("created_by","idempotency_key");--> statement-breakpoint
CREATE INDEX "tickets_path_idx" ON "tickets" USING btree ("path" text_pattern_ops,"created_at");--> statement-breakpoint
CREATE INDEX "tickets_reporter_idx" ON "tickets" USING btree ("reporter_user_id","created_at");--> statement-breakpoint
CREATE INDEX "tickets_compound_idx" ON "tickets" USING btree ("compound_id","created_at");--> statement-breakpoint
CREATE INDEX "tickets_status_idx" ON "tickets" USING btree ("status","community_code");
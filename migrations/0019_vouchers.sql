CREATE TABLE "points_merchant_users" (
	"merchant_id" bigint NOT NULL,
	"user_id" bigint NOT NULL,
	CONSTRAINT "points_merchant_users_merchant_id_user_id_pk" PRIMARY KEY("merchant_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "points_merchants" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "points_merchants_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"community_code" varchar(12) NOT NULL,
	"path" text NOT NULL,
	"address" text,
	"approved_by" bigint,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "points_offers" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "points_offers_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"merchant_id" bigint NOT NULL,
	"title" text NOT NULL,
	"category" varchar(10) NOT NULL,
	"price" integer NOT NULL,
	"stock" integer NOT NULL,
	"per_member_limit" integer NOT NULL,
	"valid_from" date NOT NULL,
	"valid_until" date NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "points_offers_category_chk" CHECK (category in ('food','leisure','medical','daily','other')),
	CONSTRAINT "points_offers_price_chk" CHECK (price > 0),
	CONSTRAINT "points_offers_stock_chk" CHECK (stock >= 0),
	CONSTRAINT "points_offers_limit_chk" CHECK (per_member_limit > 0),
	CONSTRAINT "points_offers_dates_chk" CHECK (valid_until >= valid_from)
);
--> statement-breakpoint
CREATE TABLE "points_vouchers" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "points_vouchers_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"offer_id" bigint NOT NULL,
	"member_id" bigint NOT NULL,
	"code" varchar(16) NOT NULL,
	"status" varchar(10) DEFAULT 'issued' NOT NULL,
	"transfer_id" bigint NOT NULL,
	"refund_transfer_id" bigint,
	"expires_at" timestamp with time zone NOT NULL,
	"redeemed_at" timestamp with time zone,
	"redeemed_by" bigint,
	"cancelled_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "points_vouchers_status_chk" CHECK (status in ('issued','redeemed','cancelled')),
	CONSTRAINT "points_vouchers_redeemed_chk" CHECK ((status = 'redeemed') = (redeemed_at is not null))
);
--> statement-breakpoint
ALTER TABLE "points_merchant_users" ADD CONSTRAINT "points_merchant_users_merchant_id_points_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."points_merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_merchant_users" ADD CONSTRAINT "points_merchant_users_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_merchants" ADD CONSTRAINT "points_merchants_community_code_regions_code_fk" FOREIGN KEY ("community_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_merchants" ADD CONSTRAINT "points_merchants_approved_by_users_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_offers" ADD CONSTRAINT "points_offers_merchant_id_points_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."points_merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_vouchers" ADD CONSTRAINT "points_vouchers_offer_id_points_offers_id_fk" FOREIGN KEY ("offer_id") REFERENCES "public"."points_offers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_vouchers" ADD CONSTRAINT "points_vouchers_member_id_party_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."party_members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_vouchers" ADD CONSTRAINT "points_vouchers_transfer_id_points_transfers_id_fk" FOREIGN KEY ("transfer_id") REFERENCES "public"."points_transfers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_vouchers" ADD CONSTRAINT "points_vouchers_refund_transfer_id_points_transfers_id_fk" FOREIGN KEY ("refund_transfer_id") REFERENCES "public"."points_transfers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_vouchers" ADD CONSTRAINT "points_vouchers_redeemed_by_users_id_fk" FOREIGN KEY ("redeemed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "points_merchant_users_user_idx" ON "points_merchant_users" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "points_merchants_name_uq" ON "points_merchants" USING btree ("community_code","name");--> statement-breakpoint
CREATE INDEX "points_merchants_path_idx" ON "points_merchants" USING btree ("path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "points_offers_merchant_idx" ON "points_offers" USING btree ("merchant_id");--> statement-breakpoint
CREATE UNIQUE INDEX "points_vouchers_code_uq" ON "points_vouchers" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "points_vouchers_transfer_uq" ON "points_vouchers" USING btree ("transfer_id");--> statement-breakpoint
CREATE INDEX "points_vouchers_member_idx" ON "points_vouchers" USING btree ("member_id","offer_id");--> statement-breakpoint
CREATE INDEX "points_vouchers_offer_idx" ON "points_vouchers" USING btree ("offer_id","status");--> statement-breakpoint
ALTER TABLE "points_accounts" ADD CONSTRAINT "points_accounts_merchant_id_points_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."points_merchants"("id") ON DELETE no action ON UPDATE no action;
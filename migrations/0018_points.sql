CREATE TABLE "points_accounts" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "points_accounts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"kind" varchar(10) NOT NULL,
	"member_id" bigint,
	"community_code" varchar(12),
	"merchant_id" bigint,
	"balance" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "points_accounts_kind_chk" CHECK (kind in ('member','issuer','merchant')),
	CONSTRAINT "points_accounts_balance_chk" CHECK (kind = 'issuer' or balance >= 0),
	CONSTRAINT "points_accounts_member_chk" CHECK ((kind = 'member') = (member_id is not null)),
	CONSTRAINT "points_accounts_issuer_chk" CHECK ((kind = 'issuer') = (community_code is not null)),
	CONSTRAINT "points_accounts_merchant_chk" CHECK ((kind = 'merchant') = (merchant_id is not null))
);
--> statement-breakpoint
CREATE TABLE "points_transfers" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "points_transfers_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"idempotency_key" varchar(120) NOT NULL,
	"request_hash" varchar(64) NOT NULL,
	"kind" varchar(10) NOT NULL,
	"from_account_id" bigint NOT NULL,
	"to_account_id" bigint NOT NULL,
	"amount" bigint NOT NULL,
	"source" varchar(16),
	"reason" text NOT NULL,
	"evidence" text,
	"approved_by" bigint,
	"created_by" bigint,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "points_transfers_amount_chk" CHECK (amount > 0),
	CONSTRAINT "points_transfers_accounts_chk" CHECK (from_account_id <> to_account_id),
	CONSTRAINT "points_transfers_kind_chk" CHECK (kind in ('award','deduct','redeem','refund')),
	CONSTRAINT "points_transfers_source_chk" CHECK (source is null or source in ('service','activity','branch','selfDeclared','praise','peer','award','deduction'))
);
--> statement-breakpoint
ALTER TABLE "points_accounts" ADD CONSTRAINT "points_accounts_member_id_party_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."party_members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_transfers" ADD CONSTRAINT "points_transfers_from_account_id_points_accounts_id_fk" FOREIGN KEY ("from_account_id") REFERENCES "public"."points_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_transfers" ADD CONSTRAINT "points_transfers_to_account_id_points_accounts_id_fk" FOREIGN KEY ("to_account_id") REFERENCES "public"."points_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_transfers" ADD CONSTRAINT "points_transfers_approved_by_users_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_transfers" ADD CONSTRAINT "points_transfers_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "points_accounts_member_uq" ON "points_accounts" USING btree ("member_id") WHERE member_id is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "points_accounts_issuer_uq" ON "points_accounts" USING btree ("community_code") WHERE kind = 'issuer';--> statement-breakpoint
CREATE UNIQUE INDEX "points_accounts_merchant_uq" ON "points_accounts" USING btree ("merchant_id") WHERE merchant_id is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "points_transfers_key_uq" ON "points_transfers" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "points_transfers_from_idx" ON "points_transfers" USING btree ("from_account_id","id");--> statement-breakpoint
CREATE INDEX "points_transfers_to_idx" ON "points_transfers" USING btree ("to_account_id","id");
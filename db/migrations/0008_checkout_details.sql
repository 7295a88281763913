ALTER TABLE "checkouts" ADD COLUMN "email" text;--> statement-breakpoint
ALTER TABLE "checkouts" ADD COLUMN "shipping_address" jsonb;--> statement-breakpoint
ALTER TABLE "checkouts" ADD COLUMN "shipping_method" text;--> statement-breakpoint
ALTER TABLE "checkouts" ADD COLUMN "shipping_cents" integer;--> statement-breakpoint
ALTER TABLE "checkouts" ADD COLUMN "tax_rate_basis_points" integer DEFAULT 0 NOT NULL;
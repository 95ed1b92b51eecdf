ALTER TABLE "orders" ADD COLUMN "closed_by" text;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "closed_by_role" text;
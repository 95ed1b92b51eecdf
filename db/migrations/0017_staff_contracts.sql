ALTER TABLE "staff" ADD COLUMN "contract_ends" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "staff" ADD COLUMN "contract_ended_at" timestamp with time zone;
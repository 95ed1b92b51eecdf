DROP INDEX "orders_customer_created_idx";--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "returned_amount" integer;--> statement-breakpoint
CREATE INDEX "courier_events_order_outcome_idx" ON "courier_events" USING btree ("order_id","state","at") WHERE "courier_events"."applied";--> statement-breakpoint
CREATE INDEX "tasks_subject_role_done_idx" ON "tasks" USING btree ("subject_id","role","completed_at","id","completed_by") WHERE "tasks"."status" = 'done';--> statement-breakpoint
CREATE INDEX "orders_customer_created_idx" ON "orders" USING btree ("customer_id","created_at","id");
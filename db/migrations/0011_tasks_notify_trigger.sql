-- Live task events: every write to a task's status, holder, role, priority or escalation level, whatever
-- wrote it (the workflows' activities, the task API, a bulk fix by hand), notifies the API replicas'
-- live streams at commit (server/notifications/stream.ts), so consoles refresh their task lists and
-- order pages at once. The payload is small: the task, what changed, and who may see it.
CREATE OR REPLACE FUNCTION shopflow_task_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE'
     AND NEW.status IS NOT DISTINCT FROM OLD.status
     AND NEW.assignee_id IS NOT DISTINCT FROM OLD.assignee_id
     AND NEW.role IS NOT DISTINCT FROM OLD.role
     AND NEW.priority IS NOT DISTINCT FROM OLD.priority
     AND NEW.escalation_level IS NOT DISTINCT FROM OLD.escalation_level THEN
    RETURN NULL;
  END IF;
  PERFORM pg_notify('shopflow_tasks', json_build_object(
    'taskId', NEW.id,
    'change', CASE
      WHEN TG_OP = 'INSERT' THEN 'opened'
      WHEN NEW.status IS DISTINCT FROM OLD.status THEN CASE NEW.status WHEN 'done' THEN 'completed' ELSE NEW.status END
      WHEN NEW.assignee_id IS DISTINCT FROM OLD.assignee_id OR NEW.role IS DISTINCT FROM OLD.role THEN
        CASE WHEN NEW.assignee_id IS NULL THEN 'unassigned' ELSE 'assigned' END
      ELSE 'updated' END,
    'subjectType', NEW.subject_type,
    'subjectId', NEW.subject_id,
    'role', NEW.role,
    'assigneeId', NEW.assignee_id,
    'status', NEW.status,
    'previousRole', CASE WHEN TG_OP = 'UPDATE' THEN OLD.role END,
    'previousAssigneeId', CASE WHEN TG_OP = 'UPDATE' THEN OLD.assignee_id END
  )::text);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER tasks_notify_changed AFTER INSERT OR UPDATE ON tasks FOR EACH ROW EXECUTE FUNCTION shopflow_task_changed();

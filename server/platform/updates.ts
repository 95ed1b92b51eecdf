/**
 * Workflow Updates sent by the API, retried when Temporal drops them unprocessed. An update that
 * arrives while a workflow task is running is delivered with that task; when the task cannot
 * complete because new events came in meanwhile (a courier signal: the server fails it with
 * `UnhandledCommand` and schedules another), the server fails the update with
 * FAILED_PRECONDITION "unexpected workflow task failure". Nothing of it was applied, so it is
 * sent again (a few times, briefly apart) instead of answering the caller 500.
 */
import { isGrpcServiceError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';

const ATTEMPTS = 5;
/** gRPC status FAILED_PRECONDITION. */
const FAILED_PRECONDITION = 9;

/** Whether Temporal dropped the update because the workflow task it rode on failed (retry is safe). */
export function updateDroppedWithTask(err: unknown): boolean {
  const cause = (err as { cause?: unknown })?.cause ?? err;
  const grpc = isGrpcServiceError(cause) ? cause : isGrpcServiceError(err) ? err : undefined;
  if (!grpc || grpc.code !== FAILED_PRECONDITION) return false;
  return /workflow task failure/i.test(grpc.details ?? grpc.message ?? '');
}

export async function executeUpdateRetried<Ret, Args extends [any, ...any[]]>(
  handle: WorkflowHandle,
  update: UpdateDefinition<Ret, Args>,
  options: { args: Args },
): Promise<Ret> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await handle.executeUpdate(update, options);
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError || attempt >= ATTEMPTS || !updateDroppedWithTask(err)) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}

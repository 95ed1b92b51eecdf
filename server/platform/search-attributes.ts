/**
 * Registers the order workflow's custom search attributes (workflows/orders/search-attributes.ts)
 * in a Temporal namespace through the operator service, idempotently: the API, the worker and
 * `npm start` call it at start-up (their local dev server included), the order service on a
 * start refused for an unregistered attribute, and the cluster tests' set-up for a fresh cluster.
 * `devServerSearchAttributeFlags()` gives the same list as `temporal server start-dev` flags.
 */
import { isGrpcServiceError, type Client, type Connection } from '@temporalio/client';
import type { SearchAttributeType } from '@temporalio/common';
import { ORDER_SEARCH_ATTRIBUTES } from '../../workflows/orders/search-attributes';
import type { Logger } from './logger';

/** gRPC status codes this module tells apart. */
const GRPC = { INVALID_ARGUMENT: 3, ALREADY_EXISTS: 6, PERMISSION_DENIED: 7, UNIMPLEMENTED: 12, UNAVAILABLE: 14 } as const;

export class SearchAttributeRegistrationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SearchAttributeRegistrationError';
  }
}

/** What a registration did. */
export interface SearchAttributeRegistration {
  /** Names newly registered by this call. */
  added: string[];
  /** Names that were registered already, with the right type. */
  existing: string[];
}

/**
 * Makes sure every name in `attributes` (default: the order attributes) is a custom search
 * attribute of `namespace` with its type. Names already there with that type are left alone;
 * a name registered with another type is an error naming it (Temporal would keep the old type
 * silently). "Already exists" and the server's race between two start-ups registering at once
 * ("Generated search attributes mapping unavailable", UNAVAILABLE) are retried, not failures.
 * A SQL visibility store has a fixed number of slots per type: when they are full the server
 * answers "cannot have more than N search attribute of type …", passed on with what was asked.
 */
export async function registerSearchAttributes(
  connection: Pick<Connection, 'operatorService'>,
  namespace: string,
  attributes: ReadonlyArray<{ name: string; type: SearchAttributeType }> = ORDER_SEARCH_ATTRIBUTES,
): Promise<SearchAttributeRegistration> {
  const wanted = new Map(attributes.map((a) => [a.name, INDEXED_VALUE_TYPE[a.type]]));
  for (let attempt = 1; ; attempt++) {
    const listed = await connection.operatorService.listSearchAttributes({ namespace });
    const custom = (listed.customAttributes ?? {}) as Record<string, number>;
    const system = (listed.systemAttributes ?? {}) as Record<string, number>;
    const existing: string[] = [];
    const missing: Record<string, number> = {};
    for (const [name, type] of wanted) {
      const have = custom[name] ?? system[name];
      if (have === undefined) missing[name] = type;
      else if (have !== type)
        throw new SearchAttributeRegistrationError(
          `search attribute ${name} is registered in namespace ${namespace} with type ${typeName(have)}, but shopflow needs ${typeName(type)}: remove it (temporal operator search-attribute remove --name ${name}) or rename it`,
        );
      else existing.push(name);
    }
    if (!Object.keys(missing).length) return { added: [], existing };
    try {
      await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: missing });
      // Confirm through the list (another process may have won a race for some of the names).
      const after = ((await connection.operatorService.listSearchAttributes({ namespace })).customAttributes ?? {}) as Record<
        string,
        number
      >;
      const absent = Object.keys(missing).filter((name) => after[name] === undefined);
      if (!absent.length) return { added: Object.keys(missing), existing };
      if (attempt >= 5)
        throw new SearchAttributeRegistrationError(`search attributes ${absent.join(', ')} did not appear in namespace ${namespace}`);
    } catch (err) {
      if (err instanceof SearchAttributeRegistrationError) throw err;
      const code = isGrpcServiceError(err) ? err.code : undefined;
      const retryable = code === GRPC.ALREADY_EXISTS || code === GRPC.UNAVAILABLE;
      if (!retryable || attempt >= 5) throw describeFailure(err, code, namespace, missing);
    }
    await new Promise((r) => setTimeout(r, 200 * attempt));
  }
}

function describeFailure(err: unknown, code: number | undefined, namespace: string, missing: Record<string, number>): Error {
  const asked = Object.entries(missing)
    .map(([name, type]) => `${name}=${typeName(type)}`)
    .join(', ');
  const detail = err instanceof Error ? err.message : String(err);
  const hint =
    code === GRPC.PERMISSION_DENIED || code === GRPC.UNIMPLEMENTED
      ? ' — this Temporal does not let shopflow add them (e.g. Temporal Cloud: add them in the namespace settings or with tcld)'
      : code === GRPC.INVALID_ARGUMENT && /cannot have more than/i.test(detail)
        ? ' — the namespace has no free custom search attribute slot of that type (SQL visibility stores have a fixed number per type): remove unused ones'
        : '';
  return new SearchAttributeRegistrationError(`could not register search attributes ${asked} in namespace ${namespace}: ${detail}${hint}`, {
    cause: err,
  });
}

/** temporal.api.enums.v1.IndexedValueType of each SDK type, and the name the CLI and errors use for it. */
const INDEXED_VALUE_TYPE: Record<SearchAttributeType, number> = {
  TEXT: 1,
  KEYWORD: 2,
  INT: 3,
  DOUBLE: 4,
  BOOL: 5,
  DATETIME: 6,
  KEYWORD_LIST: 7,
};
const TYPE_NAMES: Record<number, string> = { 1: 'Text', 2: 'Keyword', 3: 'Int', 4: 'Double', 5: 'Bool', 6: 'Datetime', 7: 'KeywordList' };
const typeName = (type: number) => TYPE_NAMES[type] ?? `type ${type}`;

/** `--search-attribute Name=Type` flags for `temporal server start-dev`. */
export function devServerSearchAttributeFlags(
  attributes: ReadonlyArray<{ name: string; type: SearchAttributeType }> = ORDER_SEARCH_ATTRIBUTES,
): string[] {
  return attributes.flatMap((a) => ['--search-attribute', `${a.name}=${typeName(INDEXED_VALUE_TYPE[a.type])}`]);
}

/**
 * Start-up's registration (API, worker, `npm start`): registers the order attributes in the
 * namespace and logs what it did. A Temporal that refuses (e.g. Temporal Cloud, where the
 * namespace's settings add them) is a warning, not a failed start: orders then start without
 * their search attributes until an operator adds them.
 */
export async function ensureOrderSearchAttributes(temporal: Pick<Client, 'connection'>, namespace: string, log: Logger): Promise<void> {
  try {
    const done = await registerSearchAttributes(temporal.connection, namespace);
    if (done.added.length) log.info({ namespace, added: done.added }, 'registered the order search attributes in Temporal');
    else log.debug({ namespace }, 'the order search attributes are registered');
  } catch (err) {
    log.warn(
      { err, namespace, attributes: ORDER_SEARCH_ATTRIBUTES.map((a) => `${a.name}=${a.type}`) },
      'could not register the order search attributes: orders start without them until they are added (temporal operator search-attribute create)',
    );
  }
}

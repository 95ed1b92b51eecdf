/**
 * Checks a real answer against the OpenAPI document: its status is documented for the operation
 * and its JSON body matches the documented schema (JSON Schema 2020-12, as OpenAPI 3.1 uses).
 */
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { openApiDocument, type Operation } from '../../server/http/openapi';

const ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }));
ajv.addSchema(JSON.parse(JSON.stringify(openApiDocument)), 'openapi');
const pointer = (...keys: string[]) => keys.map((k) => k.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

export function expectDocumented(path: string, method: string, res: { status: number; body: unknown }): void {
  const responses = (openApiDocument.paths[path] as Record<string, Operation | undefined> | undefined)?.[method]?.responses;
  const documented = responses?.[res.status];
  if (!documented) throw new Error(`${method.toUpperCase()} ${path} answered ${res.status}, which is not documented`);
  const base = '$ref' in documented ? documented.$ref.slice(2) : pointer('paths', path, method, 'responses', String(res.status));
  const validate = ajv.compile({ $ref: `openapi#/${base}/content/${pointer('application/json')}/schema` });
  if (!validate(res.body)) {
    throw new Error(
      `${method.toUpperCase()} ${path} ${res.status} does not match its documented schema: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(res.body, null, 2).slice(0, 2000)}`,
    );
  }
}

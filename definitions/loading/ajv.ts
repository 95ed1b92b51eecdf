/**
 * The one Ajv instance of shopflow: it checks definition files against the JSON Schemas in
 * `schema/` and checks/validates the `form` schemas definitions declare. Compiled validators are
 * cached (Ajv caches schemas added by key; forms are cached by content in forms.ts).
 */
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import complaintProcessSchema from '../schema/complaint-process.schema.json';
import kpiPlanSchema from '../schema/kpi-plan.schema.json';
import orderProcessSchema from '../schema/order-process.schema.json';
import shopSchema from '../schema/shop.schema.json';
import salesGuideSchema from '../schema/sales-guide.schema.json';
import storeSaleProcessSchema from '../schema/store-sale-process.schema.json';
import { SHOPFLOW_KEYWORD } from '../tasks/widgets';

/**
 * The instance, made on first use. Workflow code imports this module (stage kinds hold their
 * check beside their run), and the workflow sandbox evaluates a workflow's modules afresh for
 * each workflow: built at import, every order paid for a new Ajv, its meta-schema compiled and the
 * four definition schemas added (measured: the largest item of the workflow threads' CPU).
 */
let instance: Ajv | undefined;
export function sharedAjv(): Ajv {
  if (instance) return instance;
  instance = new Ajv({
    allErrors: true, // report every problem at once, not the first
    verbose: true, // keep the failing value and schema, so messages can quote them
    strict: true, // an unknown keyword in a form is a typo (requried, maxLenght), not an extension
    strictTypes: false, // forms written by admins may omit `type` next to `properties`; that is fine
    strictTuples: false,
    strictRequired: false, // forms.ts checks required-vs-properties itself, without flagging anyOf: [{ required }]
    allowUnionTypes: true,
  });
  addShopFormats(instance);
  for (const [key, schema] of Object.entries(SCHEMAS)) instance.addSchema(schema, key);
  return instance;
}

/** The formats forms may use (ajv-formats' and `sku`), and shopflow's `x-shopflow` keyword. */
export function addShopFormats(target: Ajv): void {
  addFormats(target);
  // `x-shopflow` (widget, default from a fact, sum) is an annotation for the console and the task
  // API: data is not checked by it. Known, so strict mode does not take it for a typo;
  // definitions/tasks/widgets.ts checks its content at the definition's paths.
  target.addKeyword({ keyword: SHOPFLOW_KEYWORD });
  // `format: sku` marks a form field that holds a product SKU: the task API checks it against the
  // shop's catalogue (when it has one); as a format it only asks for some non-blank text.
  target.addFormat('sku', /\S/);
}

/** Keys of the definition schemas, one per file kind. */
export const SCHEMAS = {
  shop: shopSchema,
  'order-process': orderProcessSchema,
  'kpi-plan': kpiPlanSchema,
  'complaint-process': complaintProcessSchema,
  'sales-guide': salesGuideSchema,
  'store-sale-process': storeSaleProcessSchema,
} as const;
export type SchemaKey = keyof typeof SCHEMAS;

/** The compiled validator of a definition schema (compiled once, then cached by Ajv). */
export function definitionValidator(key: SchemaKey): ValidateFunction {
  const validate = sharedAjv().getSchema(key);
  if (!validate) throw new Error(`definition schema "${key}" is not registered`);
  return validate;
}

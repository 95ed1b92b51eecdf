/**
 * Places: Vietnam's provinces and their wards after the 2025 reform, for address pickers.
 */
import { Type, type Static } from '@sinclair/typebox';
import {
  answer,
  apiOperation,
  failure,
  object,
  pathParam,
  schema,
  type DomainContract,
  type JsonSchema,
  type PathItem,
} from '../http/contract';

/** `GET /places/provinces/{code}/wards`: an optional name filter. */
export const WardsQuery = Type.Object({
  q: Type.Optional(
    Type.String({ minLength: 1, maxLength: 100, description: 'Only wards whose name contains this (tone marks optional: `ben nghe`).' }),
  ),
});
export type WardsQuery = Static<typeof WardsQuery>;

/** A province code as the statistics office writes it: two digits. */
export const PROVINCE_CODE = /^\d{2}$/;

const str: JsonSchema = { type: 'string' };
export const schemas: Record<string, JsonSchema> = {
  Province: object(['code', 'name', 'fullName', 'type'], {
    code: { type: 'string', pattern: '^\\d{2}$', examples: ['01', '79'], description: "The statistics office's code." },
    name: { type: 'string', examples: ['Hà Nội', 'Hồ Chí Minh'], description: 'As addresses and couriers write it.' },
    fullName: { type: 'string', examples: ['Thành phố Hà Nội'] },
    type: { type: 'string', examples: ['Tỉnh', 'Thành phố Trung Ương'] },
  }),
  Ward: object(['code', 'name', 'provinceCode'], {
    code: { type: 'string', examples: ['00004'] },
    name: { type: 'string', examples: ['Phường Ba Đình'] },
    provinceCode: str,
  }),
};

const source = {
  type: 'string',
  description: 'The dataset the units come from (package, licence, the resolution it follows).',
};
export const paths: Record<string, PathItem> = {
  '/api/v1/places/provinces': {
    get: apiOperation({
      operationId: 'listProvinces',
      tags: ['places'],
      permission: 'orders.read',
      summary: "Vietnam's 34 provinces and centrally-run cities (after 1 July 2025)",
      description: 'By name. There is no district level any more: a province has wards (phường, xã, đặc khu).',
      responses: {
        200: answer('The provinces.', object(['provinces', 'source'], { provinces: { type: 'array', items: schema('Province') }, source })),
      },
    }),
  },
  '/api/v1/places/provinces/{code}/wards': {
    get: apiOperation({
      operationId: 'listWards',
      tags: ['places'],
      permission: 'orders.read',
      summary: "A province's wards and communes",
      parameters: [pathParam('code', 'Province code (two digits, e.g. `79`).')],
      query: WardsQuery,
      responses: {
        200: answer(
          'The province and its wards, by name (those matching `q` when it is given).',
          object(['province', 'wards', 'source'], {
            province: schema('Province'),
            wards: { type: 'array', items: schema('Ward') },
            source,
          }),
        ),
        404: failure('No province has that code.'),
        422: failure('The code is not two digits, or `q` is invalid (`details.fields`).'),
      },
    }),
  },
};

export const contract: DomainContract = {
  tags: [{ name: 'places', description: "Vietnam's administrative units after the 2025 reform: provinces and wards, for addresses." }],
  schemas,
  paths,
};

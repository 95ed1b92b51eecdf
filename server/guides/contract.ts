/**
 * Sales scripts: the close rate of each script version (GET /reports/scripts). The guide a task
 * shows is part of the task (server/tasks/contract.ts `Guide`).
 */
import { Type } from '@sinclair/typebox';
import { schema, answer, object, nullable, apiOperation, type DomainContract, type JsonSchema, type PathItem } from '../http/contract';

const id = { type: 'string', pattern: '^[a-z][a-z0-9]*(-[a-z0-9]+)*$', maxLength: 60 } as const;
export const ScriptsReportQuery = Type.Object({
  stage: Type.Optional(Type.String({ ...id, description: 'Only tasks of this stage (e.g. close).' })),
  channel: Type.Optional(Type.String({ ...id, description: "Only orders of this channel (shop.yaml's id)." })),
  segment: Type.Optional(Type.String({ ...id, description: 'Only customers of this segment (when the task was finished).' })),
  from: Type.Optional(Type.String({ format: 'date-time', description: 'Tasks finished at or after this instant (ISO 8601).' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'Tasks finished before this instant.' })),
});

export const schemas: Record<string, JsonSchema> = {
  Guide: object(
    ['script', 'checklist', 'definition', 'for'],
    {
      script: object(['id', 'version', 'title', 'text'], {
        id: { type: 'string' },
        version: { type: 'integer', minimum: 1 },
        title: { type: 'string' },
        text: { type: 'string', description: 'What to say, step by step (line breaks kept).' },
      }),
      checklist: {
        type: 'array',
        items: object(['id', 'text', 'required'], {
          id: { type: 'string' },
          text: { type: 'string' },
          required: {
            type: 'boolean',
            description: 'Must be ticked (`checklist` of the completion) to finish the task with its forward outcome.',
          },
        }),
      },
      definition: object(['name', 'version'], { name: { type: 'string' }, version: { type: 'integer' } }),
      for: object(['stage', 'process', 'channel', 'segment'], {
        stage: { type: 'string' },
        process: nullable('string'),
        channel: nullable('string'),
        segment: nullable('string'),
      }),
    },
    'The sales script and checklist the active SalesGuide gives this task (first guide matching its stage, process, channel and customer segment).',
  ),
  ScriptCloseRate: object(['script', 'version', 'title', 'stages', 'tasks', 'closed', 'closeRate'], {
    script: { type: 'string', description: 'The script id (SalesGuide guides[].id).' },
    version: { type: 'integer' },
    title: { type: 'string' },
    stages: { type: 'array', items: { type: 'string' } },
    tasks: { type: 'integer', description: 'Sample size: tasks finished with this version shown.' },
    closed: { type: 'integer', description: 'Of them, finished with the forward outcome (closed).' },
    closeRate: { type: 'number', minimum: 0, maximum: 1, description: 'closed ÷ tasks, rounded to 4 decimals (0 when there are none).' },
  }),
};

export const paths: Record<string, PathItem> = {
  '/api/v1/reports/scripts': {
    get: apiOperation({
      operationId: 'getScriptsReport',
      tags: ['reports'],
      permission: 'reports.read',
      summary: 'Close rate per sales script version',
      description:
        'Which script version closes more: every task finished while a guide was shown counts for its script id and version; `closed` counts the forward outcome. Filter by stage, channel, segment and time.',
      query: ScriptsReportQuery,
      responses: {
        200: answer(
          'One row per script version, by script then version.',
          object(['scripts'], { scripts: { type: 'array', items: schema('ScriptCloseRate') } }),
        ),
      },
    }),
  },
};

export const contract: DomainContract = {
  tags: [{ name: 'reports', description: 'Reports across orders and staff: sales scripts.' }],
  schemas,
  paths,
};

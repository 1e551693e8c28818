/**
 * Turns the operation lists (ingest-operations.ts, read-operations.ts, team-operations.ts) into
 * OpenAPI 3.1 paths and components. Bodies are the server's own zod schemas, converted by zod's
 * toJSONSchema into `components/schemas` (requests as they are accepted, answers as they are
 * sent); the answers every route of a kind can give (401 without credentials, 404 for an
 * unknown project, 400 and 413 for a body...) are added from what the operation is.
 */
import * as z from 'zod/mini';
import { errorBodySchema } from '../../lib/api/schemas.ts';
import { IDEMPOTENCY_HEADERS, IDEMPOTENCY_KEY_PATTERN } from '../constants.ts';

type Schema = z.core.$ZodType;
/** A JSON Schema (2020-12, OpenAPI 3.1's dialect). */
export type JsonSchema = Record<string, unknown>;

/** A zod schema and its name under `components/schemas`. */
export interface Named {
  name: string;
  schema: Schema;
  description?: string;
}

/** Names a schema for the document. */
export const named = (name: string, schema: Schema, description?: string): Named => ({ name, schema, description });

/** `{items: [...]}` of one kind. */
export const listOf = (name: string, item: Schema): Named => named(name, z.object({ items: z.array(item) }));

/**
 * Who may call an operation: anyone (`public`), a bearer token or a signed-in person (`team`),
 * a signed-in person only (`person`), anyone, with a session when there is one (`maybePerson`),
 * or whoever signs the body with a GitHub connection's webhook secret (`githubSignature`).
 */
export type Access = 'public' | 'team' | 'person' | 'maybePerson' | 'githubSignature';

/** The JSON of an answer: a named schema, or an error: `{error}`, `{error, issues}`, or either. */
export type AnswerBody = Named | 'error' | 'invalid' | 'errorOrInvalid';

/** One answer of an operation; no body for 204 (and 302). */
export interface AnswerSpec {
  description: string;
  body?: AnswerBody;
  headers?: (keyof typeof HEADERS)[];
}

/** One operation as the lists describe it. */
export interface OperationSpec {
  id: string;
  /** `METHOD /path/{param}`, as OpenAPI writes paths. */
  route: string;
  tag: string;
  summary: string;
  description?: string;
  access: Access;
  /** Query parameters: each one's zod schema (what the route validates) and what it means. */
  query?: Record<string, { schema: Schema; description: string }>;
  /** Request headers the route reads, as `query` describes parameters. */
  requestHeaders?: Record<string, { schema: Schema; description: string }>;
  /** Takes an `Idempotency-Key` header (the ingest routes). */
  idempotent?: boolean;
  /** A JSON body (`optional`: an empty one is `{}`), or a multipart form, described here (no zod schema reads it). */
  body?: { json: Named; optional?: boolean } | { multipart: JsonSchema; fileTypes: Record<string, string> };
  answers: Record<number, AnswerSpec>;
}

/** What the lists give: the parts after the route, its id, tag and summary. */
type Details = Pick<OperationSpec, 'description' | 'query' | 'requestHeaders' | 'idempotent' | 'body' | 'answers'>;

/** Makes operations of one access: `operation('team')(route, id, tag, summary, details)`. */
export const operation =
  (access: Access) =>
  (route: string, id: string, tag: string, summary: string, details: Details): OperationSpec => ({ id, route, tag, summary, access, ...details });

/** A JSON body, by its zod schema's name. */
export const json = (name: string, schema: Schema, optional = false): OperationSpec['body'] => ({ json: named(name, schema), optional });

/** A success (or any answer) and its body, if any. */
export const ok = (description: string, body?: Named): AnswerSpec => ({ description, body });

/** A refusal with one message, and what else it may be. */
export const refusal = (error: string, more = ''): AnswerSpec => ({ description: `\`${error}\`${more}`, body: 'error' });

/** Answer headers the operations name. */
const HEADERS = {
  'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer', minimum: 0 } },
  'WWW-Authenticate': { description: '`Bearer`', schema: { type: 'string' } },
  'Idempotent-Replayed': { description: '`true` when this is the remembered answer of an earlier request with the same key', schema: { type: 'string', enum: ['true'] } },
  'Set-Cookie': { description: 'The session cookie (`loupe_session`, HttpOnly, SameSite=Lax)', schema: { type: 'string' } },
} as const;

/** `{"error": "..."}`, and the 400 that names each failing field. */
const ERROR = named('Error', z.omit(errorBodySchema, { issues: true }), 'Every refusal: a message.');
const INVALID = named('InvalidRequest', z.required(errorBodySchema), 'A 400 that names its places: `issues` maps each failing field (`query.0.operator`, `body`...) to its messages.');

const PATH_PARAMETERS: Record<string, string> = {
  clientId: "The project's id (`client_…`)",
  id: 'A feedback item of the project (`fb_…`)',
  commentId: 'A comment of the project',
  labelId: 'A label of the project',
  userId: 'A member of the project (their user id)',
  kid: 'A key id of the project (`key_…`)',
  token: "The invitation link's token",
  webhookId: 'A webhook endpoint of the project (`whk_…`)',
  deliveryId: 'A delivery of the project, to a webhook endpoint or a tracker (`msg_…`)',
  integrationId: 'A tracker connection (`int_…`)',
};

const IDEMPOTENCY_KEY = {
  name: IDEMPOTENCY_HEADERS.key,
  in: 'header',
  required: false,
  description: 'Any 1 to 255 visible ASCII characters: a retry with the same key gets the first 2xx answer again (7 days) and writes nothing twice.',
  schema: { type: 'string', pattern: IDEMPOTENCY_KEY_PATTERN.source },
};

const changes = (method: string) => method !== 'get';

// The answers an operation gives because of what it is; its own list can say more about any of them.
function implied(spec: OperationSpec, method: string, path: string): Record<number, AnswerSpec> {
  const answers: Record<number, AnswerSpec> = {};
  const csrf = changes(method) ? ', or a session without its CSRF token (`X-CSRF-Token`)' : '';
  if (spec.access === 'team') {
    answers[401] = { description: "No valid bearer token or session, or another project's key (the message says why)", body: 'error', headers: ['WWW-Authenticate'] };
    answers[429] = { description: 'Too many failed authentications from this address', body: 'error', headers: ['Retry-After'] };
  }
  if (spec.access === 'person') answers[401] = { description: 'Not signed in', body: 'error' };
  if (spec.access === 'githubSignature') answers[401] = { description: "No `X-Hub-Signature-256`, or one that is not of this body with the connection's secret", body: 'error' };
  if (spec.access !== 'public' && spec.access !== 'githubSignature' && changes(method)) answers[403] = { description: 'A session without its CSRF token (`X-CSRF-Token`)', body: 'error' };
  if (path.startsWith('/api/projects/{clientId}')) {
    answers[403] = { description: `Not a member of the project, or a role below the route's${csrf}`, body: 'error' };
    answers[404] = { description: 'No project has this id (`Invalid client ID`)', body: 'error' };
  }
  if (spec.body && 'json' in spec.body) {
    answers[400] = { description: 'Invalid body: not JSON, not an object, or fields that fail (each named in `issues`)', body: 'invalid' };
    answers[413] = { description: 'Body too large (refused as it streams in)', body: 'error' };
  }
  return answers;
}

type Registry = z.core.$ZodRegistry<{ id: string; description?: string }>;

// One schema per name and one name per schema, across requests and answers: two schemas under
// one name would make the document lie about one of them (zod's registry keeps the last).
function register(registry: Registry, names: Map<string, Schema>, entry: Named): void {
  const known = names.get(entry.name);
  if (known && known !== entry.schema) throw new Error(`Two schemas are named ${entry.name}`);
  const id = registry.get(entry.schema)?.id;
  if (id !== undefined && id !== entry.name) throw new Error(`One schema is named both ${id} and ${entry.name}`);
  names.set(entry.name, entry.schema);
  if (id === undefined) registry.add(entry.schema, { id: entry.name, ...(entry.description ? { description: entry.description } : {}) });
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

// JSON Schema's formats; zod also names its own checks as formats (`starts_with`), which validators refuse.
const FORMATS = new Set(['date-time', 'date', 'time', 'duration', 'email', 'idn-email', 'hostname', 'idn-hostname', 'ipv4', 'ipv6', 'uri', 'uri-reference', 'iri', 'iri-reference', 'uuid', 'uri-template', 'json-pointer', 'relative-json-pointer', 'regex']);
const conversion = (io: 'input' | 'output') => ({
  io,
  override: ({ jsonSchema }: { jsonSchema: JsonSchema }) => {
    if (typeof jsonSchema.format === 'string' && !FORMATS.has(jsonSchema.format)) delete jsonSchema.format;
  },
});

// zod marks each component as a document of its own; inside an OpenAPI document it is not.
function components(registry: Registry, io: 'input' | 'output'): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(registry, { ...conversion(io), metadata: registry, uri: (id) => ref(id).$ref });
  if ('__shared' in schemas) throw new Error('A schema of the document is recursive or unnamed where it must be named');
  return Object.fromEntries(
    Object.entries(schemas).map(([name, schema]) => {
      const { $schema: _schema, $id: _id, ...rest } = schema as JsonSchema;
      return [name, rest];
    }),
  );
}

function leafSchema(schema: Schema): JsonSchema {
  const { $schema: _schema, ...rest } = z.toJSONSchema(schema, conversion('input')) as JsonSchema;
  return rest;
}

function security(access: Access, method: string): Record<string, string[]>[] {
  const session: Record<string, string[]> = changes(method) ? { session: [], csrf: [] } : { session: [] };
  if (access === 'public') return [];
  if (access === 'githubSignature') return [{ githubSignature: [] }];
  if (access === 'team') return [{ bearer: [] }, session];
  return access === 'person' ? [session] : [{}, session];
}

const answerContent = (body: AnswerBody) => {
  const schema = body === 'error' ? ref(ERROR.name) : body === 'invalid' ? ref(INVALID.name) : body === 'errorOrInvalid' ? { oneOf: [ref(INVALID.name), ref(ERROR.name)] } : ref(body.name);
  return { 'application/json': { schema } };
};

function operationObject(spec: OperationSpec, method: string, path: string) {
  const parameters = [
    ...[...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({ name, in: 'path', required: true, description: PATH_PARAMETERS[name!], schema: { type: 'string' } })),
    ...Object.entries(spec.query ?? {}).map(([name, query]) => ({ name, in: 'query', required: false, description: query.description, schema: leafSchema(query.schema) })),
    ...Object.entries(spec.requestHeaders ?? {}).map(([name, header]) => ({ name, in: 'header', required: false, description: header.description, schema: leafSchema(header.schema) })),
    ...(spec.idempotent ? [IDEMPOTENCY_KEY] : []),
  ];
  const body = spec.body;
  const requestBody = !body
    ? undefined
    : 'json' in body
      ? { required: !body.optional, content: { 'application/json': { schema: ref(body.json.name) } } }
      : {
          required: true,
          content: {
            'multipart/form-data': {
              schema: body.multipart,
              encoding: Object.fromEntries(Object.entries(body.fileTypes).map(([field, contentType]) => [field, { contentType }])),
            },
          },
        };
  const answers = { ...implied(spec, method, path), ...spec.answers };
  const responses = Object.fromEntries(
    Object.entries(answers).map(([status, answer]) => [
      status,
      {
        description: answer.description,
        ...(answer.headers ? { headers: Object.fromEntries(answer.headers.map((name) => [name, HEADERS[name]])) } : {}),
        ...(answer.body ? { content: answerContent(answer.body) } : {}),
      },
    ]),
  );
  return {
    operationId: spec.id,
    tags: [spec.tag],
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    security: security(spec.access, method),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(requestBody ? { requestBody } : {}),
    responses,
  };
}

/** The paths of these operations and the schemas they name (`shared` first: answer parts that get names of their own). */
export function buildPaths(specs: readonly OperationSpec[], shared: readonly Named[]) {
  const [requests, answers, names]: [Registry, Registry, Map<string, Schema>] = [z.registry(), z.registry(), new Map()];
  for (const entry of [ERROR, INVALID, ...shared]) register(answers, names, entry);
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of specs) {
    const [verb, path] = spec.route.split(' ') as [string, string];
    const method = verb.toLowerCase();
    if (spec.body && 'json' in spec.body) register(requests, names, spec.body.json);
    for (const answer of Object.values(spec.answers)) if (typeof answer.body === 'object') register(answers, names, answer.body);
    if (paths[path]?.[method]) throw new Error(`${spec.route} is listed twice`);
    (paths[path] ??= {})[method] = operationObject(spec, method, path);
  }
  return { paths, schemas: { ...components(answers, 'output'), ...components(requests, 'input') } };
}

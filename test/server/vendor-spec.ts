/**
 * A vendor's published OpenAPI 3.0 document as a check of the requests a local vendor API
 * (github-api.ts, jira-api.ts) gets and the answers it gives: the operation exists, its path
 * and query parameters and its JSON body match their schemas, and so does each answer.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema: Record<string, unknown>;
}
/** One operation of the document. */
export interface Operation {
  operationId: string;
  parameters?: (Parameter | { $ref: string })[];
  requestBody?: { required?: boolean; content: Record<string, { schema: unknown }> };
  responses: Record<string, { content?: Record<string, { schema?: unknown; example?: unknown; examples?: Record<string, { $ref?: string; value?: unknown }> }> }>;
}
/** The parts of a document read here. */
export interface Spec {
  paths: Record<string, Record<string, Operation>>;
  components: { parameters?: Record<string, Parameter>; schemas?: Record<string, unknown>; examples?: Record<string, { value: unknown }> };
}

// OpenAPI 3.0's `nullable: true` in JSON Schema terms (ajv's own support needs a `type` beside it).
export function withNulls(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withNulls);
  if (node === null || typeof node !== 'object') return node;
  const { nullable, ...rest } = node as Record<string, unknown>;
  const out = Object.fromEntries(Object.entries(rest).map(([key, value]) => [key, withNulls(value)]));
  if (nullable !== true) return out;
  if (Array.isArray(out.enum)) out.enum = [...(out.enum as unknown[]), null];
  if (typeof out.type === 'string') return { ...out, type: [out.type, 'null'] };
  return { anyOf: [out, { type: 'null' }] };
}

// Query strings carry text: a parameter's value is read as its schema's type first (a list split at commas).
function asTyped(value: string, schema: Record<string, unknown>): unknown {
  if (schema.type === 'array') return value.split(',').map((item) => asTyped(item, (schema.items ?? {}) as Record<string, unknown>));
  if (schema.type === 'integer' || schema.type === 'number') return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  if (schema.type === 'boolean') return value === 'true' ? true : value === 'false' ? false : value;
  return value;
}

const messages = (validate: ValidateFunction) => validate.errors?.slice(0, 3).map((e) => `${e.instancePath} ${e.message}`).join('; ');

/** A request as the document sees it. */
export interface CheckedRequest {
  operation: Operation;
  params: Record<string, string>;
  /** The JSON body, `{}` when there is none. */
  body: Record<string, unknown>;
}

/** The checks of one document (already through `withNulls`), its `#/components/…` refs under `name`; `vendor` names it in problems. */
export function specChecks(spec: Spec, name: string, vendor: string) {
  // OpenAPI 3.0 schemas: formats, and keywords ajv does not know (examples, x-…).
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true, coerceTypes: false });
  addFormats.default(ajv);
  ajv.addSchema({ $id: name, components: spec.components }, name);
  const validators = new Map<string, ValidateFunction>();
  // A schema of the document, refs into its components resolved against the whole document.
  const validatorOf = (schema: unknown): ValidateFunction => {
    const key = JSON.stringify(schema);
    let validate = validators.get(key);
    if (!validate) {
      validate = ajv.compile(JSON.parse(key.replaceAll('"#/components/', `"${name}#/components/`)) as object);
      validators.set(key, validate);
    }
    return validate;
  };
  const resolveParameter = (p: Parameter | { $ref: string }): Parameter => ('$ref' in p ? spec.components.parameters![p.$ref.split('/').pop()!]! : p);

  /** The operation a request is, with its path parameters. */
  function operationOf(method: string, path: string): { operation: Operation; params: Record<string, string> } | undefined {
    for (const [template, item] of Object.entries(spec.paths)) {
      const operation = item[method.toLowerCase()];
      if (!operation) continue;
      const names: string[] = [];
      const pattern = new RegExp(`^${template.replace(/\{(\w+)\}/g, (_, param: string) => (names.push(param), '([^/]+)'))}$`);
      const match = pattern.exec(path);
      if (match) return { operation, params: Object.fromEntries(names.map((param, i) => [param, decodeURIComponent(match[i + 1]!)])) };
    }
    return undefined;
  }

  /** The request checked: what does not match is pushed onto `problems`, each starting with the operation's id. */
  function checkRequest(method: string, url: URL, contentType: string, text: string, problems: string[]): CheckedRequest | undefined {
    const found = operationOf(method, url.pathname);
    if (!found) {
      problems.push(`${method} ${url.pathname}: no such operation in ${vendor}'s document`);
      return undefined;
    }
    const { operation, params } = found;
    const problem = (what: string) => problems.push(`${operation.operationId}: ${what}`);
    const parameters = (operation.parameters ?? []).map(resolveParameter);
    for (const parameter of parameters) {
      const raw = parameter.in === 'path' ? params[parameter.name] : parameter.in === 'query' ? url.searchParams.get(parameter.name) : undefined;
      if (raw === undefined || raw === null) {
        if (parameter.required) problem(`missing ${parameter.in} parameter ${parameter.name}`);
        continue;
      }
      const validate = validatorOf(parameter.schema);
      if (!validate(asTyped(raw, parameter.schema))) problem(`${parameter.name}=${raw}: ${validate.errors?.[0]?.message}`);
    }
    const known = new Set(parameters.filter((p) => p.in === 'query').map((p) => p.name));
    for (const param of url.searchParams.keys()) if (!known.has(param)) problem(`unknown query parameter ${param}`);

    let body: Record<string, unknown> = {};
    if (operation.requestBody) {
      if (text === '' && operation.requestBody.required) problem('missing body');
      if (text !== '') {
        if (!/^application\/json/.test(contentType)) problem(`body sent as ${contentType}`);
        body = JSON.parse(text) as Record<string, unknown>;
        const validate = validatorOf(operation.requestBody.content['application/json']!.schema);
        if (!validate(body)) problem(`body: ${messages(validate)}`);
      }
    } else if (text !== '') problem('a body where the operation takes none');
    return { operation, params, body };
  }

  /** The answer checked against the operation's schema for its status, when it has one. */
  function checkAnswer(operation: Operation, status: number, body: unknown, problems: string[]): void {
    const schema = operation.responses[String(status)]?.content?.['application/json']?.schema;
    if (!schema) return;
    const validate = validatorOf(schema);
    if (!validate(body)) problems.push(`our ${operation.operationId} ${status} answer: ${messages(validate)}`);
  }

  return { operationOf, checkRequest, checkAnswer };
}

/** Serves `handle` on loopback with each request's body read whole; what it throws is a problem (and a 500). */
export async function serveLocal(handle: (req: IncomingMessage, res: ServerResponse, text: string) => void, problems: string[]): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        handle(req, res, Buffer.concat(chunks).toString('utf8'));
      } catch (error) {
        problems.push(`the test API failed: ${String(error)}`);
        res.writeHead(500).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

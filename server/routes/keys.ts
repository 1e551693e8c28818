/**
 * A project's read API keys under /api/projects/:clientId/keys (owner): the list, a new key
 * (its secret in this one answer, never again: it is kept only encrypted) and revoking one.
 */
import type { Hono } from 'hono';
import * as z from 'zod/mini';
import { requireRole } from '../auth/access.ts';
import { createProjectKey } from '../auth/keys.ts';
import { TEAM_ERRORS } from '../constants.ts';
import type { ProjectKey } from '../storage/types.ts';
import { invalidBody, readBody, teamBodyCap } from '../team-api/body.ts';
import { newKeyBody } from '../team-api/schemas.ts';
import { timestampSchema } from '../read-api/schemas.ts';
import type { ProjectEnv, ReadApiOptions } from './read-api.ts';

/** A key as the list shows it: never its secret. */
export const keySchema = z.object({ kid: z.string(), name: z.nullable(z.string()), createdAt: timestampSchema, revokedAt: z.nullable(timestampSchema) });

/** A new key: its secret is in this answer only. */
export const newKeySchema = z.object({ kid: z.string(), name: z.nullable(z.string()), secret: z.string(), createdAt: timestampSchema });

const keyJson = (key: ProjectKey): z.infer<typeof keySchema> => ({ kid: key.kid, name: key.name, createdAt: key.createdAt, revokedAt: key.revokedAt });

/** Adds the key routes to the read API's sub-app. */
export function registerKeyRoutes(api: Hono<ProjectEnv>, options: ReadApiOptions): void {
  const { storage } = options;

  api.get('/:clientId/keys', requireRole('owner'), async (c) => {
    return c.json({ items: (await storage.listProjectKeys(c.get('client').id)).map(keyJson) });
  });

  api.post('/:clientId/keys', requireRole('owner'), teamBodyCap, async (c) => {
    const body = await readBody(c, newKeyBody);
    if (!body.ok) return invalidBody(c, body.issues);
    const { key, secret } = await createProjectKey(storage, options.masterKey, { clientId: c.get('client').id, name: body.value.name });
    return c.json({ kid: key.kid, name: key.name, secret, createdAt: key.createdAt }, 201);
  });

  api.delete('/:clientId/keys/:kid', requireRole('owner'), async (c) => {
    const kid = c.req.param('kid');
    const found = await storage.getProjectKey(kid);
    // Another project's key is as unknown here as one that does not exist.
    if (!found || found.clientId !== c.get('client').id) return c.json({ error: TEAM_ERRORS.keyNotFound }, 404);
    const revoked = await storage.revokeProjectKey(kid, new Date(options.nowMs()).toISOString());
    return c.json(keyJson(revoked ?? found));
  });
}

/**
 * vitest setupFile of the `server-pg` project: each test file gets a fresh database in
 * DATABASE_URL, so that whatever opens storage without being told where (openStorage,
 * startServer, a spawned `npm run server`) uses PostgreSQL, and it is dropped after the file.
 * Servers started through test/server/helpers.ts get a database of their own on top.
 */
import { afterAll, inject } from 'vitest';
import { POSTGRES } from '../../server/constants.ts';
import { createPgDatabase } from './postgres.ts';

const database = await createPgDatabase(inject('pgAdminUrl'));
process.env[POSTGRES.envVar] = database.url;
afterAll(() => database.drop());

/**
 * vitest globalSetup of the `server-pg` project: one PostgreSQL cluster for the whole run,
 * its maintenance URL provided to the test files (`inject('pgAdminUrl')`), stopped at the
 * end. A cluster that cannot start fails the run with initdb's or pg_ctl's own words.
 */
import type { TestProject } from 'vitest/node';
import { startPgCluster, type PgCluster } from './postgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
  }
}

let cluster: PgCluster | undefined;

export async function setup(project: TestProject): Promise<void> {
  cluster = await startPgCluster();
  project.provide('pgAdminUrl', cluster.adminUrl);
}

export async function teardown(): Promise<void> {
  await cluster?.stop();
}

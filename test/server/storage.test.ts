// The storage contract on the project's engine: SQLite in `server`, PostgreSQL in `server-pg`.
import { TEST_ENGINE, openTestStorage } from './helpers.ts';
import { describeStorage } from './storage-contract.ts';

describeStorage(TEST_ENGINE === 'postgres' ? 'PostgreSQL' : 'SQLite', openTestStorage);

/**
 * `npm run --silent mcp -- --server URL --client CLIENT_ID --key-id KEY_ID`, with the key's
 * secret in LOUPE_API_KEY: an MCP server on stdin/stdout for coding agents, an HTTP client of
 * one Loupe server's read API (it never opens the database). Stdout carries the protocol only;
 * anything for a person goes to stderr.
 */
import { createRequire } from 'node:module';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { parseMcpArgs } from './args.ts';
import { MCP_SERVER_NAME, MCP_USAGE } from './constants.ts';
import { createReader } from './loupe-reader.ts';
import { registerTools } from './tools.ts';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

const parsed = parseMcpArgs(process.argv.slice(2), process.env);
if (!parsed.ok) {
  process.stderr.write(`${parsed.message ? `${parsed.message}\n\n` : ''}${MCP_USAGE}\n`);
  process.exit(parsed.help ? 0 : 2);
}

const { config } = parsed;
const server = new McpServer({ name: MCP_SERVER_NAME, version });
registerTools(server, createReader(config), config);
await server.connect(new StdioServerTransport());
process.stderr.write(`Loupe MCP server: project ${config.clientId} on ${config.server.href}, key ${config.kid}\n`);
// The client closing stdin is the end of the session.
process.stdin.once('end', () => void server.close().then(() => process.exit(0)));

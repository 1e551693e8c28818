/**
 * The MCP tools over one Loupe project: list_reports, search_reports, get_report,
 * get_screenshot, add_comment and set_state. Each is one or a few read API calls; a failure
 * is a tool error (`isError`) whose text names the problem (see toolError).
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import * as z from 'zod/mini';
import type { Api } from '../server/inbox/client/api.ts';
import type { Cursor, FilterClause } from '../server/inbox/client/types.ts';
import { FEEDBACK_STATES, PRIORITIES } from '../server/read-api/schemas.ts';
import type { McpConfig } from './args.ts';
import { MCP_ERRORS, MCP_LIMITS, TOOL_TEXT } from './constants.ts';
import { getReport, readReplayEvents, readScreenshot, toolError, ToolError } from './loupe-reader.ts';
import { reportDetail, reportList } from './report-view.ts';

const F = TOOL_TEXT.fields;
const described = <T extends z.ZodMiniType>(schema: T, text: string) => schema.check(z.describe(text)) as T;
const text = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));

const filterShape = {
  state: z.optional(described(z.enum(FEEDBACK_STATES), F.state)),
  assignee: z.optional(described(text(320), F.assignee)),
  label: z.optional(described(text(60), F.label)),
  priority: z.optional(described(z.enum(PRIORITIES), F.priority)),
  limit: z.optional(described(z.int().check(z.minimum(1), z.maximum(MCP_LIMITS.pageMaxItems)), F.limit)),
  after: z.optional(described(text(128), F.after)),
  before: z.optional(described(text(128), F.before)),
};
type FilterArgs = { state?: string; assignee?: string; label?: string; priority?: string; limit?: number; after?: string; before?: string };

const json = (value: unknown): CallToolResult => ({ content: [{ type: 'text', text: JSON.stringify(value, null, 2) }] });
const failure = (message: string): CallToolResult => ({ isError: true, content: [{ type: 'text', text: message }] });

/** Registers every tool on `server`, answering from `api` for the project of `config`. */
export function registerTools(server: McpServer, api: Api, config: McpConfig): void {
  const project = config.clientId;

  // Runs one tool call; any failure becomes its error result.
  const run = async (what: { reportId?: string; comment?: boolean }, answer: () => Promise<CallToolResult>): Promise<CallToolResult> => {
    try {
      return await answer();
    } catch (error) {
      return failure(toolError(config, error, what));
    }
  };

  // The read API filters by ids: a label may be named, an assignee given by e-mail.
  async function clauses(args: FilterArgs, query?: string): Promise<FilterClause[]> {
    const out: FilterClause[] = [];
    if (args.state) out.push({ filter_type: 'state', operator: 'eq', value: args.state });
    if (args.priority) out.push({ filter_type: 'priority', operator: 'eq', value: args.priority });
    if (args.label) {
      const labels = await api.labels(project);
      const wanted = args.label.toLowerCase();
      const label = labels.find((l) => l.id === args.label) ?? labels.find((l) => l.name.toLowerCase() === wanted);
      if (!label) throw new ToolError(MCP_ERRORS.noLabel(args.label, labels.map((l) => l.name)));
      out.push({ filter_type: 'label', operator: 'eq', value: label.id });
    }
    if (args.assignee) {
      if (args.assignee.toLowerCase() === 'none') out.push({ filter_type: 'assignee', operator: 'eq', value: null });
      else {
        const members = await api.members(project);
        const wanted = args.assignee.toLowerCase();
        const member = members.find((m) => m.userId === args.assignee || m.email.toLowerCase() === wanted);
        if (!member) throw new ToolError(MCP_ERRORS.noMember(args.assignee));
        out.push({ filter_type: 'assignee', operator: 'eq', value: member.userId });
      }
    }
    if (query !== undefined) out.push({ filter_type: 'comment', operator: 'contains', value: query });
    return out;
  }

  async function listed(args: FilterArgs, query?: string): Promise<CallToolResult> {
    const filters = await clauses(args, query);
    const cursor: Cursor = args.after ? { after: args.after } : args.before ? { before: args.before } : {};
    const [page, total, labels] = await Promise.all([
      api.filter(project, filters, cursor, args.limit ?? MCP_LIMITS.pageDefaultItems),
      api.count(project, filters),
      api.labels(project),
    ]);
    return json(reportList(page, total, new Map(labels.map((label) => [label.id, label.name]))));
  }

  server.registerTool('list_reports', { description: TOOL_TEXT.listReports, inputSchema: filterShape, annotations: { readOnlyHint: true } }, (args) =>
    run({}, () => listed(args)),
  );

  server.registerTool(
    'search_reports',
    {
      description: TOOL_TEXT.searchReports,
      inputSchema: { query: described(text(MCP_LIMITS.queryMaxChars), F.query), ...filterShape },
      annotations: { readOnlyHint: true },
    },
    ({ query, ...args }) => run({}, () => listed(args, query)),
  );

  const id = described(text(128), F.id);

  server.registerTool('get_report', { description: TOOL_TEXT.getReport, inputSchema: { id }, annotations: { readOnlyHint: true } }, (args) =>
    run({ reportId: args.id }, async () => {
      const item = await getReport(api, config, args.id);
      const [replay, comments, labels] = await Promise.all([readReplayEvents(config, item), api.comments(project, item.id), api.labels(project)]);
      return json(reportDetail({ base: config.server, item, replay, comments, labels }));
    }),
  );

  server.registerTool(
    'get_screenshot',
    {
      description: TOOL_TEXT.getScreenshot,
      inputSchema: { id, index: z.optional(described(z.int().check(z.minimum(0), z.maximum(99)), F.index)) },
      annotations: { readOnlyHint: true },
    },
    (args) =>
      run({ reportId: args.id }, async () => {
        const item = await getReport(api, config, args.id);
        const image = await readScreenshot(config, item, args.index ?? 0);
        return { content: [{ type: 'image', data: image.data, mimeType: image.mimeType }] };
      }),
  );

  server.registerTool(
    'add_comment',
    { description: TOOL_TEXT.addComment, inputSchema: { id, body: described(text(MCP_LIMITS.commentMaxChars), F.body) } },
    (args) =>
      run({ reportId: args.id, comment: true }, async () => {
        const comment = await api.addComment(project, args.id, args.body);
        return json({ id: comment.id, reportId: args.id, createdAt: comment.createdAt });
      }),
  );

  server.registerTool(
    'set_state',
    { description: TOOL_TEXT.setState, inputSchema: { id, state: described(z.enum(FEEDBACK_STATES), F.newState) }, annotations: { idempotentHint: true } },
    (args) =>
      run({ reportId: args.id }, async () => {
        const item = await api.setState(project, args.id, args.state);
        return json({ id: item.id, state: item.state, updatedAt: item.updatedAt });
      }),
  );
}

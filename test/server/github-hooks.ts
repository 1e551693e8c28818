/**
 * GitHub's side of its webhook for the tests: GitHub's own example of an `issues` event
 * (@octokit/webhooks-examples) for an issue, and the headers GitHub sends with a body,
 * signed by @octokit/webhooks (`X-Hub-Signature-256`).
 */
import { createRequire } from 'node:module';
import { Webhooks } from '@octokit/webhooks';

/** GitHub's example `issues` event, made about issue `number` of `repo` being closed or reopened. */
export function issuesEvent(action: 'closed' | 'reopened', number: number, repo: string): string {
  const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as { name: string; examples: Record<string, any>[] }[];
  const payload = structuredClone(examples.find((e) => e.name === 'issues')!.examples.find((e) => e.action === 'reopened')!);
  payload.action = action;
  payload.issue.number = number;
  payload.issue.state = action === 'closed' ? 'closed' : 'open';
  payload.repository.full_name = repo;
  return JSON.stringify(payload);
}

/** The headers of a delivery of `body` as GitHub sends it: its event, its id, its signature with `secret`. */
export async function hookHeaders(body: string, secret: string, event = 'issues'): Promise<Record<string, string>> {
  const signature = await new Webhooks({ secret }).sign(body);
  return { 'content-type': 'application/json', 'x-github-event': event, 'x-github-delivery': crypto.randomUUID(), 'x-hub-signature-256': signature };
}

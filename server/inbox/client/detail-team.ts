/** The report page's team parts, hooked into detail.ts: triage and trackers after the status line, discussion and history at the end. */
import type { Api } from './api.ts';
import { renderTrackers } from './detail-trackers.ts';
import { renderTriage } from './detail-triage.ts';
import { createDiscussion } from './discussion.ts';
import type { TeamContext } from './team-context.ts';
import type { TriagedItem } from './team-types.ts';
import type { FeedbackItem } from './types.ts';

/** Mounts the parts into `article`; `onChanged` gets the item after a triage change. Answers what reloads the history. */
export function mountTeamDetail(
  article: HTMLElement,
  status: HTMLElement,
  api: Api,
  context: TeamContext,
  item: FeedbackItem,
  onChanged: (item: FeedbackItem) => void,
): { reload(): Promise<void> } {
  const discussion = createDiscussion(api, context, item.id);
  const triage = renderTriage(api, context, item as TriagedItem, (changed) => {
    onChanged(changed);
    void discussion.reload();
  });
  status.after(triage, renderTrackers(api, context, item.id));
  article.append(discussion.element);
  return discussion;
}

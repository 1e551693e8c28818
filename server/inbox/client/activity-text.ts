/** One line of a report's history in words: who did what (the when is shown beside it). */
import { PRIORITY_LABELS, STATE_LABELS, TEAM_STRINGS as T } from './strings.ts';
import { personLabel, type Activity, type Label, type Member } from './team-types.ts';

const str = (value: unknown) => (typeof value === 'string' ? value : '');
const ids = (value: unknown) => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

/** What `activity` did, e.g. "changed the state from New to Done"; names come from the project's members and labels. */
export function activityText(activity: Activity, people: { members: Member[]; labels: Label[] }): string {
  const { data } = activity;
  const member = (id: string) => people.members.find((m) => m.userId === id);
  const label = (id: string) => people.labels.find((l) => l.id === id)?.name ?? id;
  const state = (value: unknown) => (STATE_LABELS as Record<string, string>)[str(value)] ?? str(value);
  const priority = (value: unknown) => PRIORITY_LABELS[str(value)] ?? str(value);
  switch (activity.kind) {
    case 'created':
      return T.activity.created;
    case 'state':
      return T.activity.state(state(data.from), state(data.to));
    case 'assigned': {
      const to = str(data.to) || str(data.assigneeId);
      if (!to) return T.activity.unassigned;
      const who = member(to);
      return T.activity.assigned(who ? personLabel(who) : str(data.toLabel) || T.unknownMember);
    }
    case 'labelled':
      return T.activity.labelled(ids(data.added).map(label).join(', '), ids(data.removed).map(label).join(', '));
    case 'priority':
      return T.activity.priority(priority(data.from), priority(data.to));
    case 'commented':
      return T.activity.commented;
    default:
      return T.activity.other(activity.kind);
  }
}

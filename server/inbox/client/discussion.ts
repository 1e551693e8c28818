/** The report page's discussion and history: comments (safe Markdown, edit/delete your own), the "Comment" box, the activity log. */
import { activityText } from './activity-text.ts';
import { errorText, isSignedOut, type Api } from './api.ts';
import { renderMarkdown } from './comment-markdown.ts';
import { formatDate, h, replaceChildren } from './dom.ts';
import { TEAM_STRINGS as T } from './strings.ts';
import type { TeamContext } from './team-context.ts';
import { personLabel, type Comment } from './team-types.ts';

/** The discussion section, and what refreshes it (after a triage change, say). */
export interface Discussion {
  element: HTMLElement;
  reload(): Promise<void>;
}

/** Builds the section for report `feedbackId` of `context`'s project and loads it. */
export function createDiscussion(api: Api, context: TeamContext, feedbackId: string): Discussion {
  const projectId = context.projectId;
  const comments = h('ol', { class: 'comments', 'aria-labelledby': 'discussion-title' });
  const history = h('ol', { class: 'activity', 'aria-labelledby': 'activity-title' });
  const status = h('p', { class: 'discussion-status', role: 'status' });
  const box = h('textarea', { id: 'comment-body', name: 'comment', rows: 4, maxlength: 10000, 'aria-describedby': 'comment-hint' });
  const add = h('button', { type: 'submit', class: 'primary' }, T.addComment);
  const form = context.canTriage
    ? h(
        'form',
        { class: 'comment-form', onsubmit: (event: Event) => (event.preventDefault(), void submit()) },
        h('div', { class: 'field' }, h('label', { for: 'comment-body' }, T.comment), box, h('p', { id: 'comment-hint', class: 'hint' }, T.commentHint)),
        add,
      )
    : undefined;

  async function submit(): Promise<void> {
    if (!box.value.trim()) return void box.focus();
    add.disabled = true;
    try {
      await api.addComment(projectId, feedbackId, box.value);
      box.value = '';
      status.textContent = '';
      await reload();
    } catch (error) {
      if (!isSignedOut(error)) status.textContent = T.commentFailed(errorText(error));
    } finally {
      add.disabled = false;
    }
  }

  function renderComment(comment: Comment): HTMLElement {
    const mine = context.me !== undefined && comment.author.id === context.me.id && !comment.deletedAt;
    const body = comment.deletedAt ? h('p', { class: 'hint' }, T.commentDeleted) : renderMarkdown(comment.body);
    const li = h(
      'li',
      { class: 'comment', 'data-comment-id': comment.id },
      h(
        'p',
        { class: 'comment-head' },
        h('strong', {}, personLabel(comment.author)),
        ' ',
        h('time', { datetime: comment.createdAt }, formatDate(comment.createdAt)),
        comment.updatedAt !== comment.createdAt && !comment.deletedAt && h('span', { class: 'hint' }, ` (${T.edited})`),
      ),
      body,
      mine &&
        h(
          'div',
          { class: 'comment-actions' },
          h('button', { type: 'button', class: 'secondary', onclick: () => edit(li, comment) }, T.editComment),
          h('button', { type: 'button', class: 'secondary', onclick: () => void remove(comment) }, T.deleteComment),
        ),
    );
    return li;
  }

  function edit(li: HTMLElement, comment: Comment): void {
    const id = `edit-${comment.id}`;
    const text = h('textarea', { id, rows: 4, maxlength: 10000 }, comment.body);
    const save = async () => {
      try {
        await api.editComment(projectId, comment.id, text.value);
        await reload();
      } catch (error) {
        if (!isSignedOut(error)) status.textContent = T.commentFailed(errorText(error));
      }
    };
    li.replaceChildren(
      h('label', { for: id }, T.commentEditLabel),
      text,
      h(
        'div',
        { class: 'comment-actions' },
        h('button', { type: 'button', class: 'primary', onclick: () => void save() }, T.saveComment),
        h('button', { type: 'button', class: 'secondary', onclick: () => li.replaceWith(renderComment(comment)) }, T.cancel),
      ),
    );
    text.focus();
  }

  async function remove(comment: Comment): Promise<void> {
    if (!confirm(T.confirmDelete)) return;
    try {
      await api.deleteComment(projectId, comment.id);
      await reload();
    } catch (error) {
      if (!isSignedOut(error)) status.textContent = T.commentFailed(errorText(error));
    }
  }

  async function reload(): Promise<void> {
    try {
      const [items, activity] = await Promise.all([api.comments(projectId, feedbackId), api.activity(projectId, feedbackId)]);
      replaceChildren(comments, items.length ? items.map(renderComment) : h('li', { class: 'hint' }, T.noComments));
      replaceChildren(
        history,
        activity.length
          ? activity.map((a) => h('li', {}, h('strong', {}, a.actorLabel), ` ${activityText(a, context)} `, h('time', { datetime: a.createdAt }, formatDate(a.createdAt))))
          : h('li', { class: 'hint' }, T.noActivity),
      );
    } catch (error) {
      if (!isSignedOut(error)) status.textContent = T.commentLoadFailed(errorText(error));
    }
  }

  const element = h(
    'section',
    { class: 'discussion', 'aria-labelledby': 'discussion-title' },
    h('h3', { id: 'discussion-title' }, T.discussionTitle),
    comments,
    form,
    status,
    h('h3', { id: 'activity-title' }, T.activityTitle),
    history,
  );
  void reload();
  return { element, reload };
}

/**
 * Settings: the project's webhook endpoints (add with the signing secret shown once, pick
 * events, disable or enable, delete), each one's recent deliveries (status, time, the
 * answer's excerpt) with Redeliver, and "Send test event".
 */
import type { Api } from './api.ts';
import { formatDate, h, replaceChildren } from './dom.ts';
import { attempt, copyField } from './settings-parts.ts';
import { TEAM_STRINGS as T } from './strings.ts';
import type { WebhookDelivery, WebhookEndpoint } from './team-types.ts';

// The events an endpoint may ask for (server/storage/outbox-types.ts WEBHOOK_EVENTS).
const EVENTS = ['feedback.created', 'feedback.updated', 'comment.created'] as const;

/** The webhooks section of project `projectId`. */
export function renderWebhookSection(api: Api, projectId: string): HTMLElement {
  const C = T.webhookColumns;
  const rows = h('tbody');
  const status = h('p', { class: 'hint', role: 'status' });
  const secret = h('div');
  const log = h('div');
  const url = h('input', { id: 'webhook-url', type: 'url', autocomplete: 'off', placeholder: 'https://' });
  const boxes = EVENTS.map((event) => h('input', { id: `webhook-event-${event}`, type: 'checkbox', value: event, checked: true }));

  async function reload(): Promise<void> {
    await attempt(status, async () => {
      const endpoints = await api.webhooks(projectId);
      replaceChildren(rows, endpoints.length ? endpoints.map(row) : h('tr', {}, h('td', { colspan: 4 }, T.noWebhooks)));
    });
  }

  function row(endpoint: WebhookEndpoint): HTMLElement {
    const act = (label: string, action: () => Promise<unknown>, extra: Record<string, string> = {}) =>
      h('button', { type: 'button', class: 'secondary', ...extra, onclick: () => void action() }, label);
    return h(
      'tr',
      {},
      h('td', {}, h('code', {}, endpoint.url)),
      h('td', {}, endpoint.events.join(', ')),
      h('td', { class: endpoint.enabled ? '' : 'alert' }, endpoint.enabled ? T.webhookOn : T.webhookOff(endpoint.disabledReason)),
      h(
        'td',
        { class: 'row-actions' },
        act(T.deliveries, () => showDeliveries(endpoint)),
        act(T.sendTest, async () => {
          if (await attempt(status, () => api.testWebhook(projectId, endpoint.id), T.testQueued)) await showDeliveries(endpoint);
        }),
        act(endpoint.enabled ? T.disable : T.enable, async () => {
          if (await attempt(status, () => api.changeWebhook(projectId, endpoint.id, { enabled: !endpoint.enabled }))) await reload();
        }),
        act(
          T.delete,
          async () => {
            if (!confirm(T.confirmDeleteWebhook(endpoint.url))) return;
            if (await attempt(status, () => api.deleteWebhook(projectId, endpoint.id))) {
              replaceChildren(log);
              await reload();
            }
          },
          { 'aria-label': T.deleteOf(endpoint.url) },
        ),
      ),
    );
  }

  async function showDeliveries(endpoint: WebhookEndpoint): Promise<void> {
    const D = T.deliveryColumns;
    await attempt(status, async () => {
      const list = await api.deliveries(projectId, endpoint.id);
      const line = (d: WebhookDelivery) =>
        h(
          'tr',
          {},
          h('td', {}, d.type),
          h('td', {}, T.deliveryStatus(d.status, d.attempts), d.lastError && h('span', { class: 'hint' }, ` ${d.lastError}`)),
          h('td', {}, formatDate(d.lastAttemptAt ?? d.createdAt)),
          h('td', {}, d.responseStatus !== null && h('code', {}, String(d.responseStatus)), d.responseExcerpt && h('span', { class: 'hint excerpt' }, ` ${d.responseExcerpt}`)),
          h(
            'td',
            {},
            d.status !== 'pending' &&
              h('button', { type: 'button', class: 'secondary', onclick: () => void attempt(status, () => api.redeliver(projectId, d.id), T.redelivered).then((ok) => { if (ok) void showDeliveries(endpoint); }) }, T.redeliver),
          ),
        );
      replaceChildren(
        log,
        h('h3', { id: 'deliveries-title' }, T.deliveriesOf(endpoint.url)),
        h(
          'div',
          { class: 'table-scroll' },
          h(
            'table',
            { 'aria-labelledby': 'deliveries-title' },
            h('thead', {}, h('tr', {}, [D.event, D.status, D.time, D.response, ''].map((c) => h('th', { scope: 'col' }, c)))),
            h('tbody', {}, list.length ? list.map(line) : h('tr', {}, h('td', { colspan: 5 }, T.noDeliveries))),
          ),
        ),
      );
    });
  }

  async function create(event: Event): Promise<void> {
    event.preventDefault();
    await attempt(status, async () => {
      const events = boxes.filter((box) => box.checked).map((box) => box.value);
      const made = await api.createWebhook(projectId, { url: url.value.trim(), events });
      url.value = '';
      replaceChildren(secret, copyField('webhook-secret-once', T.webhookSecret, made.secret, T.webhookCreated(made.id)));
      secret.querySelector('input')?.focus();
      await reload();
    });
  }

  void reload();
  return h(
    'section',
    { class: 'card settings-section', 'aria-labelledby': 'webhooks-title' },
    h('h2', { id: 'webhooks-title' }, T.webhooks),
    h('p', { class: 'hint' }, T.webhooksHint),
    h('div', { class: 'table-scroll' }, h('table', {}, h('thead', {}, h('tr', {}, [C.url, C.events, C.status, ''].map((c) => h('th', { scope: 'col' }, c)))), rows)),
    h(
      'form',
      { class: 'inline-form', onsubmit: (e: Event) => void create(e) },
      h('div', { class: 'field' }, h('label', { for: 'webhook-url' }, T.webhookUrl), url),
      h('fieldset', { class: 'field' }, h('legend', {}, T.webhookEvents), ...boxes.map((box) => h('label', { class: 'choice', for: box.id }, box, box.value))),
      h('button', { type: 'submit', class: 'primary' }, T.addWebhook),
    ),
    secret,
    status,
    log,
  );
}

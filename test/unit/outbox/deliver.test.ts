import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/lib/api/client';
import { createDelivery, SENDING_WATCHDOG_MS, type Delivered, type SendReport } from '@/lib/outbox/deliver';
import { openDB } from 'idb';
import { openOutboxStore, type NewReport, type OutboxStore } from '@/lib/outbox/store';
import { PAGE } from '../fixtures';

let store: OutboxStore;
let dbCount = 0;

function report(id: string, patch: Partial<NewReport> = {}): NewReport {
  return {
    id,
    createdAtMs: 1,
    revision: 0,
    state: 'queued',
    attempts: 0,
    nextAttemptAtMs: 0,
    settings: { clientId: 'client_a', environment: '', serverUrl: 'http://127.0.0.1:1' },
    comment: 'hello',
    page: PAGE,
    metadata: {},
    screenshots: [{ image: new Uint8Array([1, 2, 3]).buffer, type: 'image/png' }],
    sizeBytes: 100,
    ...patch,
  };
}

function engine(send: SendReport, nowMs = 1_000) {
  const schedule = vi.fn();
  const onChange = vi.fn();
  const delivery = createDelivery({ store, send, schedule, onChange, nowMs: () => nowMs, random: () => 0.5 });
  return { delivery, schedule, onChange };
}

describe('outbox delivery', () => {
  beforeEach(async () => {
    store = await openOutboxStore(`test-outbox-${dbCount++}`);
  });
  afterEach(() => store.close());

  it('keeps the report until the server accepts it, then forgets it', async () => {
    let kept: Awaited<ReturnType<OutboxStore['get']>>;
    const { delivery } = engine(async (r) => {
      kept = await store.get(r.id); // written before the first network call
      return { feedbackId: 'fb_1', replay: 'none' as const };
    });
    const outcome = await delivery.submit(report('a'));
    expect(kept).toMatchObject({ id: 'a', state: 'sending', attempts: 1 });
    expect(outcome).toEqual({ status: 'delivered', id: 'a', feedbackId: 'fb_1', replay: 'none' });
    expect(await store.list()).toEqual([]);
  });

  it('queues a retryable failure with backoff, honouring Retry-After, and wakes up then', async () => {
    const { delivery, schedule } = engine(async () => {
      throw new ApiError('Could not reach the feedback server', 0);
    });
    expect(await delivery.submit(report('a'))).toMatchObject({ status: 'queued', nextAttemptAtMs: 6_000 });
    await vi.waitFor(() => expect(schedule).toHaveBeenLastCalledWith(6_000));
    const limited = engine(async () => {
      throw new ApiError('Too many requests', 429, undefined, 30_000);
    });
    expect(await limited.delivery.submit(report('b'))).toMatchObject({ status: 'queued', nextAttemptAtMs: 31_000 });
    expect(await store.get('b')).toMatchObject({ state: 'queued', attempts: 1, lastError: 'Too many requests' });
  });

  it('keeps a 4xx as needs-attention with the field issues, and never retries it by itself', async () => {
    const send = vi.fn(async () => {
      throw new ApiError('Invalid data provided', 400, { clientId: ['Unknown client ID'] });
    });
    const { delivery, schedule } = engine(send);
    expect(await delivery.submit(report('a'))).toEqual({
      status: 'needs-attention',
      id: 'a',
      error: 'Invalid data provided',
      issues: { clientId: ['Unknown client ID'] },
    });
    await delivery.deliverDue();
    expect(send).toHaveBeenCalledTimes(1);
    expect(schedule).toHaveBeenLastCalledWith(undefined);
    expect(await store.get('a')).toMatchObject({ state: 'needs-attention', issues: { clientId: ['Unknown client ID'] } });
  });

  it('sends only what is due, and resumes a report a dead worker left "sending"', async () => {
    await store.add(report('due', { nextAttemptAtMs: 500 }));
    await store.add(report('later', { nextAttemptAtMs: 5_000 }));
    await store.add(report('orphan', { state: 'sending', attempts: 1 }));
    await store.add(report('refused', { state: 'needs-attention' }));
    const sent: string[] = [];
    const { delivery, schedule } = engine(async (r) => {
      sent.push(r.id);
      return { feedbackId: `fb_${r.id}`, replay: 'none' as const };
    });
    await delivery.deliverDue();
    expect(sent.sort()).toEqual(['due', 'orphan']);
    expect((await store.list()).map((r) => r.id).sort()).toEqual(['later', 'refused']);
    expect(schedule).toHaveBeenLastCalledWith(5_000);
  });

  it('keeps a watchdog wake-up while a report is being sent, in case the worker dies', async () => {
    let release!: () => void;
    const { delivery, schedule } = engine(() => new Promise<Delivered>((resolve) => (release = () => resolve({ feedbackId: 'fb_1', replay: 'none' }))));
    const sending = delivery.submit(report('a'));
    await vi.waitFor(() => expect(schedule).toHaveBeenLastCalledWith(1_000 + SENDING_WATCHDOG_MS));
    release();
    await sending;
    await vi.waitFor(() => expect(schedule).toHaveBeenLastCalledWith(undefined));
  });

  it('never runs two attempts of one report at once', async () => {
    let release!: () => void;
    const send = vi.fn(() => new Promise<Delivered>((resolve) => (release = () => resolve({ feedbackId: 'fb_1', replay: 'none' }))));
    const { delivery } = engine(send);
    const first = delivery.submit(report('a'));
    await vi.waitFor(() => expect(send).toHaveBeenCalledTimes(1));
    const second = delivery.retryNow('a');
    const third = delivery.deliverDue();
    release();
    expect(await first).toMatchObject({ status: 'delivered' });
    expect(await second).toMatchObject({ status: 'delivered' });
    await third;
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('tells the badge how many reports wait', async () => {
    const { delivery, onChange } = engine(async () => {
      throw new ApiError('down', 503);
    });
    await delivery.submit(report('a'));
    await delivery.submit(report('b'));
    await vi.waitFor(() => expect(onChange.mock.lastCall?.[0]).toHaveLength(2));
    await delivery.remove('a');
    expect(onChange.mock.lastCall?.[0]).toHaveLength(1);
  });

  it('keeps screenshot bytes and uploaded answers across a reopen of the database', async () => {
    const kept = await store.add(report('a', { screenshots: [{ image: new Uint8Array([9, 8]).buffer, type: 'image/jpeg' }] }));
    kept.screenshots[0]!.uploaded = { fileName: 'f', url: 'u', fileSize: 2, mimeType: 'image/png' };
    await store.put(kept);
    store.close();
    store = await openOutboxStore(`test-outbox-${dbCount - 1}`);
    const [reopened] = await store.list();
    expect([...new Uint8Array((await store.screenshot('a', 0))!)]).toEqual([9, 8]);
    expect(reopened!.screenshots[0]!.type).toBe('image/jpeg');
    expect(reopened!.screenshots[0]!.uploaded?.fileName).toBe('f');
  });

  it('upgrades reports queued by an earlier version (PNG bytes under `png`) without losing them', async () => {
    const name = `test-outbox-v1-${dbCount++}`;
    const v1 = await openDB(name, 1, { upgrade: (database) => void database.createObjectStore('reports', { keyPath: 'id' }) });
    const { screenshots: _, ...rest } = report('old');
    await v1.put('reports', { ...rest, screenshots: [{ png: new Uint8Array([7, 7]).buffer }] });
    v1.close();
    const upgraded = await openOutboxStore(name);
    const [kept] = await upgraded.list();
    expect(kept!.id).toBe('old');
    expect(kept!.screenshots).toEqual([{ type: 'image/png', byteLength: 2 }]);
    expect([...new Uint8Array((await upgraded.screenshot('old', 0))!)]).toEqual([7, 7]);
    upgraded.close();
  });
});

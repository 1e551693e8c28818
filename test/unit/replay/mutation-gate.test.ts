import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMutationGate, MAX_INTERVAL_MS, MERGED_PER_SECOND, mergeRecords, MIN_INTERVAL_MS, mutatedNodes, STORM_NODES } from '@/lib/replay/mutation-gate';

/** Stand-ins for DOM nodes: the gate only compares them by identity. */
const node = (name: string) => ({ name }) as unknown as Node;
const [text1, text2, li1, li2, list] = [node('#text 1'), node('#text 2'), node('li 1'), node('li 2'), node('ol')] as const;

const text = (target: Node, oldValue: string) => ({ type: 'characterData', target, attributeName: null, oldValue }) as unknown as MutationRecord;
const attribute = (target: Node, attributeName: string, oldValue: string) =>
  ({ type: 'attributes', target, attributeName, oldValue }) as unknown as MutationRecord;
const children = (target: Node, added: number, removed = 0) =>
  ({ type: 'childList', target, attributeName: null, oldValue: null, addedNodes: Array(added).fill(li1), removedNodes: Array(removed).fill(li2) }) as unknown as MutationRecord;

describe('merging mutation records', () => {
  it('keeps the first record per text node and per attribute (the value before), and every childList record in order', () => {
    const records = [
      text(text1, 'a'),
      attribute(li1, 'class', 'x'),
      children(list, 1),
      text(text1, 'b'),
      attribute(li1, 'class', 'y'),
      attribute(li1, 'title', 't'),
      children(list, 0, 1),
      text(text2, 'c'),
      attribute(li2, 'class', 'z'),
      attribute(li1, 'title', 'u'),
    ];
    expect(mergeRecords(records)).toEqual([records[0], records[1], records[2], records[5], records[6], records[7], records[8]]);
  });

  it('counts the nodes a batch touches: one per text or attribute change, each added or removed node', () => {
    expect(mutatedNodes([text(text1, 'a'), attribute(li1, 'class', 'x'), children(list, 3, 2)])).toBe(7);
  });
});

describe('the mutation gate', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('passes the first batch after a quiet spell on at once, then at most one merged batch per interval', () => {
    const processed: MutationRecord[][] = [];
    const gate = createMutationGate({ onStorm: () => {} });
    const observe = gate.wrap((records) => processed.push(records));
    const first = [text(text1, 'a')];
    observe(first);
    expect(processed).toEqual([first]);

    vi.advanceTimersByTime(16);
    observe([text(text1, 'b'), attribute(li1, 'class', 'x')]);
    vi.advanceTimersByTime(16);
    observe([text(text1, 'c'), attribute(li1, 'class', 'y'), children(list, 1)]);
    expect(processed).toHaveLength(1);

    vi.advanceTimersByTime(MIN_INTERVAL_MS - 32 - 1);
    expect(processed).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(processed[1]).toEqual([text(text1, 'b'), attribute(li1, 'class', 'x'), children(list, 1)]);

    // Quiet again for longer than the interval: the next change is not held.
    vi.advanceTimersByTime(500);
    observe([text(text2, 'd')]);
    expect(processed).toHaveLength(3);
  });

  it('waits longer after a larger merged batch, so that rrweb gets at most MERGED_PER_SECOND records a second, within the bounds', () => {
    const processed: MutationRecord[][] = [];
    const observe = createMutationGate({ onStorm: () => {} }).wrap((records) => processed.push(records));
    const changes = (count: number, value: string) => Array.from({ length: count }, (_, i) => attribute(node(`li ${i}`), 'class', value));
    const large = MERGED_PER_SECOND / 2; // half a second's worth
    observe(changes(large, 'a'));
    observe(changes(1, 'b'));
    vi.advanceTimersByTime(500 - 1);
    expect(processed).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(processed).toHaveLength(2);

    observe(changes(MERGED_PER_SECOND * 2.5, 'c')); // 2.5 s worth, still no storm
    vi.advanceTimersByTime(MIN_INTERVAL_MS); // due after the one-record batch
    expect(processed).toHaveLength(3);
    observe(changes(1, 'e'));
    vi.advanceTimersByTime(MAX_INTERVAL_MS - 1);
    expect(processed).toHaveLength(3);
    vi.advanceTimersByTime(1);
    expect(processed).toHaveLength(4);
  });

  it('tells, while rrweb processes held records, when the first of them was seen, and nothing otherwise', () => {
    const seenAt: (number | undefined)[] = [];
    const gate = createMutationGate({ onStorm: () => {} });
    const observe = gate.wrap(() => seenAt.push(gate.changedAtMs()));
    const startMs = Date.now();
    observe([text(text1, 'a')]);
    vi.advanceTimersByTime(16);
    observe([text(text1, 'b')]);
    vi.advanceTimersByTime(16);
    observe([text(text1, 'c')]);
    vi.advanceTimersByTime(MIN_INTERVAL_MS);
    expect(seenAt).toEqual([startMs, startMs + 16]);
    expect(gate.changedAtMs()).toBeUndefined();
  });

  it('flushes what is held on demand (before a full snapshot), each observer its own records', () => {
    const documentRecords: MutationRecord[][] = [];
    const shadowRecords: MutationRecord[][] = [];
    const gate = createMutationGate({ onStorm: () => {} });
    const observeDocument = gate.wrap((records) => documentRecords.push(records));
    const observeShadow = gate.wrap((records) => shadowRecords.push(records));
    observeDocument([text(text1, 'a')]);
    observeDocument([text(text1, 'b')]);
    observeShadow([text(text2, 'c')]);
    gate.flush();
    expect(documentRecords).toEqual([[text(text1, 'a')], [text(text1, 'b')]]);
    expect(shadowRecords).toEqual([[text(text2, 'c')]]);
    gate.flush();
    vi.advanceTimersByTime(1_000);
    expect(documentRecords).toHaveLength(2);
    expect(shadowRecords).toHaveLength(1);
  });

  it('never processes a storm: it drops what is held, calls onStorm once and ignores later batches', () => {
    const processed: MutationRecord[][] = [];
    const onStorm = vi.fn();
    const gate = createMutationGate({ onStorm });
    const observe = gate.wrap((records) => processed.push(records));
    observe([text(text1, 'a')]);
    observe([text(text1, 'b')]);
    observe([children(list, STORM_NODES + 1)]);
    observe([text(text2, 'c')]);
    vi.advanceTimersByTime(1_000);
    expect(onStorm).toHaveBeenCalledTimes(1);
    expect(processed).toEqual([[text(text1, 'a')]]);
  });

  it('lets a batch of exactly STORM_NODES nodes through', () => {
    const onStorm = vi.fn();
    const processed: MutationRecord[][] = [];
    const observe = createMutationGate({ onStorm }).wrap((records) => processed.push(records));
    observe([children(list, STORM_NODES)]);
    expect(onStorm).not.toHaveBeenCalled();
    expect(processed).toHaveLength(1);
  });

  it('processes nothing once stopped, not even what it held', () => {
    const processed: MutationRecord[][] = [];
    const gate = createMutationGate({ onStorm: () => {} });
    const observe = gate.wrap((records) => processed.push(records));
    observe([text(text1, 'a')]);
    observe([text(text1, 'b')]);
    gate.stop();
    observe([text(text1, 'c')]);
    gate.flush();
    vi.advanceTimersByTime(1_000);
    expect(processed).toEqual([[text(text1, 'a')]]);
  });
});

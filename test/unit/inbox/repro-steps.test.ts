import { describe, expect, it } from 'vitest';
import { createNodeIndex } from '../../../server/inbox/client/node-label';
import { reproSteps } from '../../../server/inbox/client/repro-steps';

// A tiny rrweb recording: Meta, a full snapshot of a form, then what a person did.
const el = (id: number, tagName: string, attributes: Record<string, string> = {}, childNodes: unknown[] = []) => ({ type: 2, id, tagName, attributes, childNodes });
const text = (id: number, textContent: string) => ({ type: 3, id, textContent });
const snapshot = {
  type: 0,
  id: 1,
  childNodes: [
    el(2, 'html', {}, [
      el(3, 'body', {}, [
        el(4, 'label', {}, [text(5, 'Coupon '), el(6, 'input', { type: 'text', value: '****' })]),
        el(7, 'button', {}, [el(8, 'span', {}, [text(9, '  Add\n to cart ')])]),
        el(10, 'button', { 'aria-label': 'Close dialog' }, [text(11, '×')]),
        el(12, 'div', { id: 'main' }),
        el(13, 'label', { for: 'email' }, [text(14, 'Email')]),
        el(15, 'input', { id: 'email', type: 'email', placeholder: 'you@example.com' }),
        el(16, 'input', { type: 'checkbox', name: 'terms' }),
        el(17, 'select', { 'aria-label': 'Size' }),
      ]),
    ]),
  ],
};
const meta = (timestamp: number, href: string) => ({ type: 4, timestamp, data: { href, width: 800, height: 600 } });
const click = (timestamp: number, id: number) => ({ type: 3, timestamp, data: { source: 2, type: 2, id, x: 1, y: 1 } });
const input = (timestamp: number, id: number, extra: Record<string, unknown> = {}) => ({ type: 3, timestamp, data: { source: 5, id, text: '****', isChecked: false, ...extra } });
const start = [meta(1000, 'https://shop.example/cart?token=abc'), { type: 2, timestamp: 1001, data: { node: snapshot } }];

describe('repro steps from a recording', () => {
  it('names clicks by the control’s aria-label or text (climbing from an inner span), and fields by their label, never their value', () => {
    const steps = reproSteps([
      ...start,
      input(1100, 6, { text: 'SECRET' }),
      input(1150, 6, { text: 'SECRET2' }),
      click(1200, 8),
      click(1300, 10),
      click(1400, 12),
      input(1500, 15),
      input(1600, 16, { isChecked: true }),
      input(1700, 17),
    ]);
    expect(steps.map((step) => [step.kind, 'url' in step ? step.url : step.label, step.atMs])).toEqual([
      ['open', 'https://shop.example/cart?token=redacted', 1000],
      ['type', 'Coupon', 1100],
      ['click', 'Add to cart', 1200],
      ['click', 'Close dialog', 1300],
      ['click', 'div#main', 1400],
      ['type', 'Email', 1500],
      ['check', 'input[name=terms]', 1600],
      ['choose', 'Size', 1700],
    ]);
    expect(JSON.stringify(steps)).not.toContain('SECRET');
    expect(JSON.stringify(steps)).not.toContain('****');
  });

  it('follows navigations once each (a checkout’s Meta at the same URL is no step), and sorts the events', () => {
    const steps = reproSteps([
      { type: 5, timestamp: 3000, data: { tag: 'loupe.navigation', payload: { url: 'https://shop.example/pay', via: 'push' } } },
      ...start,
      meta(2000, 'https://shop.example/cart?token=abc'),
      { type: 2, timestamp: 2001, data: { node: snapshot } },
      meta(4000, 'javascript:alert(1)'),
      meta(5000, 'https://shop.example/done'),
    ]);
    expect(steps.map((step) => [step.kind, 'url' in step && step.url])).toEqual([
      ['open', 'https://shop.example/cart?token=redacted'],
      ['navigate', 'https://shop.example/pay'],
      ['navigate', 'https://shop.example/done'],
    ]);
  });

  it('keeps labels current through mutations: added nodes, changed texts and attributes', () => {
    const index = createNodeIndex();
    index.reset(snapshot);
    index.mutate({
      adds: [
        { parentId: 3, nextId: null, node: el(20, 'a', { href: '/x' }) },
        { parentId: 20, nextId: null, node: text(21, 'Checkout') },
      ],
      texts: [{ id: 11, value: 'Close' }],
      attributes: [{ id: 10, attributes: { 'aria-label': null } }],
      removes: [{ parentId: 7, id: 8 }],
    });
    expect(index.label(21)).toBe('Checkout');
    expect(index.label(10)).toBe('Close');
    expect(index.label(7)).toBe('button');
    expect(index.label(999)).toBeUndefined();
    // Built-in names as attribute keys are just attributes.
    index.mutate({ attributes: [{ id: 12, attributes: JSON.parse('{"__proto__": "x", "constructor": "y", "title": "Main"}') }] });
    expect(index.label(12)).toBe('Main');
    expect(index.element(12)!.attrs.constructor).toBe('y');
  });

  it('shortens long labels and ignores what is not an rrweb event', () => {
    const long = { type: 0, id: 1, childNodes: [el(2, 'button', {}, [text(3, 'word '.repeat(40))])] };
    const steps = reproSteps([null, 'x', { type: 3 }, { type: 2, timestamp: 1, data: { node: long } }, click(2, 2), click(3, 77)]);
    expect(steps).toHaveLength(1);
    expect((steps[0] as { label: string }).label).toMatch(/^word word .{40,}…$/);
    expect((steps[0] as { label: string }).label.length).toBe(60);
  });
});

import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { cssSelector, describeElement } from '@/lib/capture/css-selector';

const page = (html: string) => parseHTML(`<!doctype html><html><body>${html}</body></html>`).document;

describe('the element capture selector', () => {
  it('is the element id when it is unique', () => {
    const document = page('<main><button id="save">Save</button></main>');
    expect(cssSelector(document.querySelector('button')!)).toBe('#save');
  });

  it('climbs to the nearest unique id, narrowing by position only among same-tag siblings', () => {
    const document = page('<div id="cart"><ul><li>a</li><li><span>b</span></li></ul></div>');
    const selector = cssSelector(document.querySelector('li:nth-of-type(2) span')!);
    expect(selector).toBe('#cart > ul > li:nth-of-type(2) > span');
    expect(document.querySelector(selector)!.textContent).toBe('b');
  });

  it('skips generated ids, which would not find the element on the next load', () => {
    const document = page('<section id="s-8f3a9c2e1b"><p>x</p><p>y</p></section>');
    const selector = cssSelector(document.querySelectorAll('p')[1]!);
    expect(selector).not.toContain('8f3a9c2e1b');
    expect(document.querySelector(selector)!.textContent).toBe('y');
  });

  it('labels an element by tag, id and classes', () => {
    const document = page('<button id="buy" class="primary large">Buy</button>');
    expect(describeElement(document.querySelector('button')!)).toBe('button#buy.primary.large');
  });
});

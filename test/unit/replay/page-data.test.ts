import { describe, expect, it } from 'vitest';
import { PAGE_DATA_MAX_BYTES, PAGE_DATA_MAX_DEPTH, pageDataProblem } from '@/lib/replay/page-data';

const cyclic: Record<string, unknown> = { name: 'loop' };
cyclic.self = cyclic;
const deep = Array.from({ length: PAGE_DATA_MAX_DEPTH + 1 }).reduce<Record<string, unknown>>((inner) => ({ inner }), {});

describe('the data a page may add to a report', () => {
  it('takes a plain object of JSON values', () => {
    expect(pageDataProblem({ plan: 'pro', seats: 3, beta: true, flags: ['a', 'b'], owner: { id: 'u1', team: null } })).toBeUndefined();
    expect(pageDataProblem(Object.assign(Object.create(null), { a: 1 }))).toBeUndefined();
  });

  it.each([
    ['a function', { onClick: () => 1 }, 'data.onClick is a function'],
    ['a Date', { when: new Date(0) }, 'data.when is a Date, not a plain object'],
    ['a Map', { lookup: new Map() }, 'data.lookup is a Map'],
    ['a class instance', { error: new Error('x') }, 'data.error is a Error'],
    ['undefined', { missing: undefined }, 'data.missing is undefined'],
    ['NaN', { ratio: Number.NaN }, 'data.ratio is NaN'],
    ['a bigint', { big: 1n }, 'data.big is a bigint'],
    ['a symbol deep in an array', { list: [1, [Symbol('s')]] }, 'data.list[1][0] is a symbol'],
    ['a cycle', cyclic, 'refers to itself'],
    ['a deep nest', deep, `nests more than ${PAGE_DATA_MAX_DEPTH} levels`],
  ])('refuses %s, naming where it is', (_name, value, problem) => {
    expect(pageDataProblem(value)).toContain(problem);
  });

  it.each([
    ['an array', [1, 2]],
    ['a string', 'hello'],
    ['null', null],
    ['a promise', Promise.resolve({})],
  ])('refuses %s at the top', (_name, value) => {
    expect(pageDataProblem(value)).toMatch(/plain object/);
  });

  it(`refuses more than ${PAGE_DATA_MAX_BYTES} bytes once serialised, multi-byte characters counted as bytes`, () => {
    expect(pageDataProblem({ note: 'x'.repeat(PAGE_DATA_MAX_BYTES - 20) })).toBeUndefined();
    expect(pageDataProblem({ note: 'x'.repeat(PAGE_DATA_MAX_BYTES) })).toMatch(/over the limit of 2048/);
    expect(pageDataProblem({ note: '\u00e9'.repeat(PAGE_DATA_MAX_BYTES / 2) })).toMatch(/over the limit/);
    // A huge array is refused without walking all of it.
    expect(pageDataProblem({ ids: new Array(10_000_000).fill(0) })).toMatch(/more than \d+ values/);
  });
});

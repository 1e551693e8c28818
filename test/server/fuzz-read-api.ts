/**
 * fast-check arbitraries for bad read-API bodies (filter, count, PATCH) and bad feedback
 * bodies, each carrying a built-in property name as a key, or as a value, at one level.
 * Every one is invalid, and says which field the 400 must name.
 */
import fc from 'fast-check';
import { oddString, POLLUTING_KEYS } from './fuzz-requests.ts';

/** One generated body and the place its 400 must name (undefined: any place will do). */
export interface NamedBadBody {
  body: string;
  place: string | undefined;
}

/** A read-API request: which route, and its body. */
export interface ReadApiFuzzRequest extends NamedBadBody {
  route: 'filter' | 'count' | 'patch';
}

const pollutingKey = fc.constantFrom(...POLLUTING_KEYS);
const jsonish = fc.jsonValue({ maxDepth: 3 });

/** `object` plus one own key, `__proto__` included (a plain assignment would set the prototype). */
function withKey(object: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  return Object.defineProperty({ ...object }, key, { value, enumerable: true, configurable: true, writable: true });
}

const order = fc.record({
  direction: fc.constantFrom('asc', 'desc'),
  order_by_type: fc.constantFrom('created_at', 'updated_at'),
});
const filter = fc.constantFrom(
  { filter_type: 'state', operator: 'eq', value: 'done' },
  { filter_type: 'rating', operator: 'in', value: [1, 2] },
  { filter_type: 'environment', operator: 'eq', value: 'staging' },
  { filter_type: 'comment', operator: 'contains', value: 'x' },
) as fc.Arbitrary<Record<string, unknown>>;
const validFilterBody = fc.record({ order_by: order, query: fc.array(filter, { minLength: 1, maxLength: 3 }) });

/** A valid filter body spoiled at one level by a built-in name: as a key, or as a filter's type or operator. */
const badFilterBody: fc.Arbitrary<NamedBadBody> = fc
  .record({
    base: validFilterBody,
    key: pollutingKey,
    value: jsonish,
    level: fc.constantFrom('top', 'order_by', 'query', 'filter_type', 'operator', 'value'),
    at: fc.nat(),
  })
  .map(({ base, key, value, level, at }) => {
    const i = at % base.query.length;
    const query = [...base.query];
    const spoil = (filterFields: Record<string, unknown>) => {
      query[i] = filterFields;
      return { ...base, query };
    };
    switch (level) {
      case 'top':
        return { body: withKey(base, key, value), place: key };
      case 'order_by':
        return { body: { ...base, order_by: withKey(base.order_by, key, value) }, place: `order_by.${key}` };
      case 'query':
        return { body: spoil(withKey(query[i]!, key, value)), place: `query.${i}.${key}` };
      case 'filter_type':
        return { body: spoil({ ...query[i], filter_type: key }), place: `query.${i}.filter_type` };
      case 'operator':
        return { body: spoil({ ...query[i], operator: key }), place: `query.${i}.operator` };
      default:
        // An object value is never a valid filter value, whatever its keys.
        return { body: spoil({ ...query[i], value: withKey({}, key, value) }), place: undefined };
    }
  })
  .map(({ body, place }) => ({ body: JSON.stringify(body), place }));

/** A PATCH body with a built-in name as an extra key, or as the state. */
const badStateChange: fc.Arbitrary<NamedBadBody> = fc.oneof(
  fc
    .record({ key: pollutingKey, value: jsonish, state: fc.constantFrom('new', 'done', 'in_progress') })
    .map(({ key, value, state }) => ({ body: JSON.stringify(withKey({ state }, key, value)), place: key })),
  pollutingKey.map((key) => ({ body: JSON.stringify({ state: key }), place: 'state' })),
);

/** Objects whose every key is a built-in name, nested: a body no route takes. */
const pollutedGarbage: fc.Arbitrary<NamedBadBody> = fc
  .dictionary(pollutingKey, fc.oneof(jsonish, oddString, fc.dictionary(pollutingKey, jsonish, { maxKeys: 3 })), { minKeys: 1, maxKeys: 4 })
  .map((object) => ({ body: JSON.stringify(object), place: undefined }));

/** Bad bodies for the three JSON routes of the read API. */
export const badReadApiRequests: fc.Arbitrary<ReadApiFuzzRequest> = fc.oneof(
  fc.record({ route: fc.constantFrom('filter' as const, 'count' as const), bad: fc.oneof({ arbitrary: badFilterBody, weight: 4 }, pollutedGarbage) }),
  fc.record({ route: fc.constant('patch' as const), bad: fc.oneof({ arbitrary: badStateChange, weight: 2 }, pollutedGarbage) }),
).map(({ route, bad }) => ({ route, ...bad }));

const SCREENSHOT = { fileName: 'client_x/1-a.png', url: 'https://x.example/a.png', fileSize: 1, mimeType: 'image/png' };
/** A field of a feedback body and a value it refuses. */
const BROKEN_FIELDS: [string, unknown][] = [
  ['rating', 9],
  ['rating', 'constructor'],
  ['userEmail', '__proto__'],
  ['replayOffsetMs', -1],
  ['sessionReplayId', ''],
  ['screenshots', 'toString'],
  ['metadata', ['valueOf']],
];

/**
 * Feedback bodies for `clientId` with built-in names as keys at every level (top, metadata
 * and below, a screenshot) and one refused field, which the 400 must name.
 */
export function badFeedbackBodies(clientId: string): fc.Arbitrary<NamedBadBody> {
  return fc
    .record({ keys: fc.array(pollutingKey, { minLength: 4, maxLength: 4 }), value: jsonish, broken: fc.constantFrom(...BROKEN_FIELDS) })
    .map(({ keys: [top, meta, deep, shot], value, broken: [field, bad] }) => {
      const metadata = withKey({ nested: withKey({}, deep!, value) }, meta!, value);
      const body = withKey({ clientId, comment: 'hi', metadata, screenshots: [withKey(SCREENSHOT, shot!, value)] }, top!, value);
      return { body: JSON.stringify(withKey(body, field, bad)), place: field };
    });
}

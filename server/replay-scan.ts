/**
 * A streaming check of a replay's JSON: full JSON syntax, plus the top level read as a list
 * of rrweb events. It builds no objects, so a 50 MB replay costs no more memory than its
 * current chunk, and it runs between the inflater's chunks instead of blocking the event
 * loop for seconds the way JSON.parse does on 50 MB of tiny containers (measured: ~10 s).
 */
import { NUMBER_FINAL, SIMPLE_ESCAPES, isDigit, isHex, isJsonSpace, nextNumberState, type NumberState } from './json-lexis.ts';

/** The top-level facts the upload check needs; the first problem of each kind. */
export interface ScanResult {
  /** Set when the text is not JSON; nothing else is meaningful then. */
  syntaxError: boolean;
  /** Whether the top-level value is an array. */
  isArray: boolean;
  eventCount: number;
  /** Index of the first element that is not an object with numeric `type` and `timestamp`. */
  firstBadEvent: number | undefined;
  /** `type` of elements 0 and 1, when they are events. */
  leadingTypes: number[];
  firstTimestamp: number | undefined;
  lastTimestamp: number | undefined;
}

/** A scanner for one document, fed in chunks of text. */
export interface ReplayScanner {
  /** Scans the next chunk; returns false once the text can no longer be JSON. */
  write(text: string): boolean;
  /** Ends the document and reports what was found. */
  end(): ScanResult;
}

type Mode =
  | 'value' | 'value-or-close' | 'key' | 'key-or-close' | 'colon' | 'after-value'
  | 'string' | 'escape' | 'unicode' | 'number' | 'literal' | 'done';

const EVENT_KEYS = new Set(['type', 'timestamp']);
const LONGEST_EVENT_KEY = 'timestamp'.length;
// What ends a string's plain run: its closing quote, an escape, or a raw control character.
const STRING_STOP = /["\\\u0000-\u001f]/g;
// The range a Date can hold: a timestamp outside it could not be stored as ISO 8601.
const MAX_DATE_MS = 8.64e15;

/** What a scanner stops at. */
export interface ScannerOptions {
  /** Past this many top-level elements `write` returns false (and `eventCount` is one more). */
  maxEvents?: number;
}

/** A scanner with its own state; nothing is shared between documents. */
export function createReplayScanner(options: ScannerOptions = {}): ReplayScanner {
  const maxEvents = options.maxEvents ?? Number.POSITIVE_INFINITY;
  const stack: ('[' | '{')[] = [];
  let mode: Mode = 'value';
  let ok = true;
  const result: ScanResult = {
    syntaxError: false, isArray: false, eventCount: 0, firstBadEvent: undefined,
    leadingTypes: [], firstTimestamp: undefined, lastTimestamp: undefined,
  };
  // The string, number or literal being read, and what it is for.
  let stringIsKey = false;
  let key: string | undefined; // decoded key of the current event's member, while short
  let unicodeDigits = '';
  let numberState: NumberState = 'int';
  let numberText: string | undefined;
  let literal = '';
  let literalIndex = 0;
  // The event (top-level element) being read.
  let memberKey: string | undefined;
  let event: { type?: number; timestamp?: number } = {};

  const inEvent = () => stack.length === 2 && stack[1] === '{';
  // Only keys short enough to be `type` or `timestamp` are kept; longer ones are dropped.
  const appendKey = (text: string) => {
    if (key !== undefined) key = key.length < LONGEST_EVENT_KEY ? key + text : undefined;
  };
  const markBad = () => void (result.firstBadEvent ??= result.eventCount - 1);

  function closeEvent(): void {
    const { type, timestamp } = event;
    const valid = type !== undefined && Number.isFinite(type) && timestamp !== undefined && Number.isFinite(timestamp) && Math.abs(timestamp) <= MAX_DATE_MS;
    if (!valid) return markBad();
    if (result.eventCount <= 2) result.leadingTypes[result.eventCount - 1] = type;
    result.firstTimestamp ??= timestamp;
    result.lastTimestamp = timestamp;
  }

  // A member of the current event got a value: only numbers count as type/timestamp.
  function setMember(value: number): void {
    if (memberKey === 'type') event.type = value;
    else if (memberKey === 'timestamp') event.timestamp = value;
  }

  function startValue(c: string): boolean {
    if (stack.length === 0) result.isArray = c === '[';
    if (stack.length === 1 && stack[0] === '[') {
      if (++result.eventCount > maxEvents) return false;
      event = {};
      if (c !== '{') markBad();
    }
    const tracked = inEvent() && memberKey !== undefined;
    if (tracked && c !== '-' && !isDigit(c)) setMember(Number.NaN);
    if (c === '[' || c === '{') {
      stack.push(c);
      mode = c === '[' ? 'value-or-close' : 'key-or-close';
    } else if (c === '"') {
      stringIsKey = false;
      key = undefined;
      mode = 'string';
    } else if (c === '-' || isDigit(c)) {
      numberState = c === '-' ? 'sign' : c === '0' ? 'zero' : 'int';
      numberText = tracked ? c : undefined;
      mode = 'number';
    } else if (c === 't' || c === 'f' || c === 'n') {
      literal = c === 't' ? 'true' : c === 'f' ? 'false' : 'null';
      literalIndex = 1;
      mode = 'literal';
    } else return false;
    return true;
  }

  function close(c: string): boolean {
    const open = stack.pop();
    if ((c === ']' && open !== '[') || (c === '}' && open !== '{')) return false;
    if (c === '}' && stack.length === 1 && stack[0] === '[') closeEvent();
    endValue();
    return true;
  }

  function endValue(): void {
    mode = stack.length === 0 ? 'done' : 'after-value';
  }

  function step(c: string): boolean {
    switch (mode) {
      case 'string':
        if (c === '"') {
          if (stringIsKey) {
            memberKey = key !== undefined && EVENT_KEYS.has(key) ? key : undefined;
            mode = 'colon';
          } else endValue();
        } else if (c === '\\') mode = 'escape';
        else if (c < ' ') return false; // raw control characters must be escaped
        else appendKey(c);
        return true;
      case 'escape':
        if (c === 'u') {
          unicodeDigits = '';
          mode = 'unicode';
          return true;
        }
        if (!(c in SIMPLE_ESCAPES)) return false;
        appendKey(SIMPLE_ESCAPES[c]!);
        mode = 'string';
        return true;
      case 'unicode':
        if (!isHex(c)) return false;
        unicodeDigits += c;
        if (unicodeDigits.length === 4) {
          appendKey(String.fromCharCode(Number.parseInt(unicodeDigits, 16)));
          mode = 'string';
        }
        return true;
      case 'number': {
        const next = nextNumberState(numberState, c);
        if (next !== undefined) {
          numberState = next;
          if (numberText !== undefined) numberText += c;
          return true;
        }
        if (!NUMBER_FINAL.has(numberState)) return false;
        if (numberText !== undefined) setMember(Number(numberText));
        endValue();
        return step(c); // the character after a number belongs to what follows it
      }
      case 'literal':
        if (c !== literal[literalIndex]) return false;
        if (++literalIndex === literal.length) endValue();
        return true;
      default:
        if (isJsonSpace(c)) return true;
    }
    switch (mode) {
      case 'value':
        return startValue(c);
      case 'value-or-close':
        return c === ']' ? close(c) : startValue(c);
      case 'key-or-close':
      case 'key':
        if (c === '}' && mode === 'key-or-close') return close(c);
        if (c !== '"') return false;
        stringIsKey = true;
        key = inEvent() ? '' : undefined;
        mode = 'string';
        return true;
      case 'colon':
        if (c !== ':') return false;
        mode = 'value';
        return true;
      case 'after-value':
        if (c === ',') {
          mode = stack[stack.length - 1] === '[' ? 'value' : 'key';
          return true;
        }
        return c === ']' || c === '}' ? close(c) : false;
      default:
        return false; // 'done': only whitespace may follow the value
    }
  }

  return {
    write(text) {
      for (let i = 0; ok && i < text.length; i++) {
        if (mode === 'string' && key === undefined) {
          // Inside a string nobody reads (most of a replay's bytes): jump to the next
          // character that could end it or is invalid in it, instead of stepping one by one.
          STRING_STOP.lastIndex = i;
          if (!STRING_STOP.test(text)) break;
          i = STRING_STOP.lastIndex - 1;
        }
        ok = step(text[i]!);
      }
      return ok;
    },
    end() {
      if (ok && mode === 'number' && NUMBER_FINAL.has(numberState)) endValue();
      result.syntaxError = !ok || mode !== 'done';
      return result;
    },
  };
}

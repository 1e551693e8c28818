/** JSON's lexical rules (RFC 8259), for scanners that read a document character by character. */

/** Where a number literal is in its grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`. */
export type NumberState = 'sign' | 'zero' | 'int' | 'dot' | 'frac' | 'e' | 'e-sign' | 'exp';

/** The states in which a number may end. */
export const NUMBER_FINAL: ReadonlySet<NumberState> = new Set<NumberState>(['zero', 'int', 'frac', 'exp']);

/** What `\x` stands for, for every single-character escape JSON allows (`\u` aside). */
export const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** JSON whitespace: space, tab, LF, CR and nothing else. */
export const isJsonSpace = (c: string): boolean => c === ' ' || c === '\n' || c === '\r' || c === '\t';
/** An ASCII digit. */
export const isDigit = (c: string): boolean => c >= '0' && c <= '9';
/** A hexadecimal digit, as in `\u00e9`. */
export const isHex = (c: string): boolean => isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');

/** The state after `c`, starting with `sign`/`zero`/`int` at the first character; undefined ends the number. */
export function nextNumberState(state: NumberState, c: string): NumberState | undefined {
  switch (state) {
    case 'sign': return c === '0' ? 'zero' : isDigit(c) ? 'int' : undefined;
    case 'zero': return c === '.' ? 'dot' : c === 'e' || c === 'E' ? 'e' : undefined;
    case 'int': return isDigit(c) ? 'int' : c === '.' ? 'dot' : c === 'e' || c === 'E' ? 'e' : undefined;
    case 'dot': return isDigit(c) ? 'frac' : undefined;
    case 'frac': return isDigit(c) ? 'frac' : c === 'e' || c === 'E' ? 'e' : undefined;
    case 'e': return c === '+' || c === '-' ? 'e-sign' : isDigit(c) ? 'exp' : undefined;
    case 'e-sign': case 'exp': return isDigit(c) ? 'exp' : undefined;
  }
}

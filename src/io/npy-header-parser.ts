/**
 * The .npy header's grammar (a Python dict literal), parsed, never evaluated: see src/io/npy.ts.
 */
import { FileFormatError } from '../errors';
import { formatShape } from '../tensor';

/** A header value: a quoted string, True/False, or a tuple of integers. */
export type HeaderValue = string | boolean | number[];

/** A header value as the messages quote it: 'descr', True, [1,10,3]. */
export function renderValue(value: HeaderValue | undefined): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (Array.isArray(value)) return formatShape(value);
  return 'nothing';
}

/**
 * The header grammar, no more: { 'key': value, ... } with an optional trailing comma, where a value
 * is a quoted string without escapes, True, False, or a tuple of non-negative integers.
 */
export class HeaderParser {
  private pos = 0;

  constructor(private readonly text: string) {}

  parseDict(): Map<string, HeaderValue> {
    const dict = new Map<string, HeaderValue>();
    this.expect('{');
    while (this.peek() !== '}') {
      const key = this.parseString();
      if (dict.has(key)) throw new FileFormatError(`npy header: expected each key once, got '${key}' twice`);
      this.expect(':');
      dict.set(key, this.parseValue());
      if (this.peek() !== ',') break;
      this.expect(',');
    }
    this.expect('}');
    if (this.peek() !== '') this.fail('the end of the header after the closing brace');
    return dict;
  }

  private parseValue(): HeaderValue {
    const c = this.peek();
    if (c === "'" || c === '"') return this.parseString();
    if (c === '(') return this.parseTuple();
    for (const [word, value] of [
      ['True', true],
      ['False', false],
    ] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return value;
      }
    }
    return this.fail('a value (string, True, False or a tuple)');
  }

  private parseString(): string {
    const quote = this.peek();
    if (quote !== "'" && quote !== '"') this.fail('a quoted string');
    const end = this.text.indexOf(quote, this.pos + 1);
    const body = end < 0 ? '' : this.text.slice(this.pos + 1, end);
    if (end < 0 || !/^[\x20-\x7e]*$/.test(body) || body.includes('\\')) this.fail('a plain quoted string');
    this.pos = end + 1;
    return body;
  }

  private parseTuple(): number[] {
    const items: number[] = [];
    this.expect('(');
    while (this.peek() !== ')') {
      const match = /^[0-9]+/.exec(this.text.slice(this.pos));
      if (!match) this.fail('a non-negative integer');
      if (!Number.isSafeInteger(Number(match[0]))) this.fail('an integer below 2^53');
      items.push(Number(match[0]));
      this.pos += match[0].length;
      if (this.peek() !== ',') break;
      this.expect(',');
    }
    this.expect(')');
    return items;
  }

  /** Skips whitespace and returns the next character ('' at the end). */
  private peek(): string {
    while (this.pos < this.text.length && ' \t\r\n'.includes(this.text[this.pos])) this.pos++;
    return this.text.slice(this.pos, this.pos + 1);
  }

  private expect(c: string): void {
    if (this.peek() !== c) this.fail(`'${c}'`);
    this.pos++;
  }

  private fail(what: string): never {
    const found = this.text.slice(this.pos, this.pos + 20);
    throw new FileFormatError(`npy header: expected ${what} at offset ${this.pos}, got ${found === '' ? 'end of header' : JSON.stringify(found)}`);
  }
}

/**
 * JSON from files we do not trust (model.json, a .keras file's config.json): parsed only when it is
 * nested no deeper than a real one could be, and quoted in error messages only as a short preview.
 *
 * Why a depth limit: JSON.parse takes about 1.4 s for 10^6 nested brackets (2 MB), and whatever walks
 * the result recursively (tfjs's deserializer, JSON.stringify in an error message) then overflows the
 * stack. A Keras or tfjs model config nests about 8 deep.
 */
import { FileFormatError } from '../errors';

/** Deepest nesting of arrays and objects accepted. */
export const MAX_JSON_DEPTH = 64;

/** Longest preview of a value quoted in an error message. */
const PREVIEW_CHARS = 80;

/**
 * The deepest nesting of `[` and `{` in JSON text, stopping as soon as it passes `limit`.
 * Brackets inside strings do not count. Linear in the text, no allocation.
 */
function jsonDepth(text: string, limit = Infinity): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > deepest) deepest = depth;
      if (deepest > limit) break;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return deepest;
}

/**
 * Parses JSON text after checking its nesting depth.
 * @param label how errors name the text, e.g. "DIR/model.json"
 * @throws FileFormatError for text nested deeper than MAX_JSON_DEPTH, or that does not parse.
 */
export function parseJsonText(text: string, label: string): unknown {
  if (jsonDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    throw new FileFormatError(`${label}: expected JSON nested at most ${MAX_JSON_DEPTH} deep, got deeper`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new FileFormatError(`${label}: expected JSON, got a parse error (${(error as Error).message.split('\n')[0]})`);
  }
}

/**
 * A short, one-line rendering of any value for an error message: JSON, except that non-finite numbers
 * read as themselves (JSON.stringify writes Infinity as null), cut to 80 characters. Never throws.
 */
export function previewJson(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? `<${v}>` : v)) ?? String(value);
  } catch {
    text = Array.isArray(value) ? '[...]' : typeof value === 'object' && value !== null ? '{...}' : String(value);
  }
  text = text.replace(/"<(-?Infinity|NaN)>"/g, '$1');
  return text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS - 3)}...` : text;
}

/**
 * Reading one layer's config: typed option readers that record every blocker instead of stopping at the
 * first, and that remember which keys they read, so that an option nobody reads is refused by name.
 *
 * Sources: 'keras' (config.json of a .keras file, a legacy .h5's model_config) and 'tfjs' (model.json's
 * modelTopology, written by tfjs's model.save or tensorflowjs_converter). Both use snake_case keys; they
 * differ in some values (tfjs writes its own activation names: 'hard_sigmoid' there is tfjs's
 * clip(0.2x + 0.5), Keras 3's is relu6(x + 3) / 6).
 */
import { previewJson } from '../io/json';
import type { AnyLayerKind } from './kind';

export type ConfigSource = 'keras' | 'tfjs';

/** One reason a model cannot be checked: which layer, which option, its value, and what to do. */
export interface Blocker {
  /** `layer 2 "lstm_1" (LSTM)` */
  readonly layer: string;
  readonly option: string;
  readonly value: unknown;
  /** What rnn-parity expected or supports. */
  readonly reason: string;
  /** What the user can do about it. */
  readonly hint?: string;
}

/** A blocker as one line: `layer 2 "lstm_1" (LSTM) stateful = true: expected false ...; hint`. */
export function formatBlocker(blocker: Blocker): string {
  const value = blocker.option === '' ? '' : ` ${blocker.option} = ${previewJson(blocker.value)}`;
  const hint = blocker.hint ? ` (${blocker.hint})` : '';
  return `${blocker.layer}${value}: ${blocker.reason}${hint}`;
}

type Raw = Readonly<Record<string, unknown>>;

export class ReadContext {
  private readonly seen = new Set<string>();

  /**
   * @param source which writer's conventions the values follow
   * @param layer how blockers name the layer
   * @param blockers where blockers are collected (shared by every layer of a model)
   */
  constructor(
    readonly source: ConfigSource,
    readonly layer: string,
    private readonly blockers: Blocker[],
    /** Finds the kind of a class name in this source: how wrappers (Bidirectional, TimeDistributed) read the layer they hold. */
    readonly kindFor: (className: string) => AnyLayerKind | undefined = () => undefined,
  ) {}

  /** A context for a layer nested in this one (a wrapper's `layer`), sharing the blockers. */
  nested(what: string): ReadContext {
    return new ReadContext(this.source, `${this.layer} ${what}`, this.blockers, this.kindFor);
  }

  /** Records a blocker. */
  block(option: string, value: unknown, reason: string, hint?: string): void {
    this.blockers.push({ layer: this.layer, option, value, reason, ...(hint ? { hint } : {}) });
  }

  /** Marks keys read without a check: options that only matter for training (initializers, regularizers). */
  ignore(...keys: string[]): void {
    for (const key of keys) this.seen.add(key);
  }

  /** The raw value of a key, marked as read. */
  value(raw: Raw, key: string): unknown {
    this.seen.add(key);
    return raw[key];
  }

  /** An integer from 1 to `limit` (required). Returns 1 after recording a blocker. */
  positiveInt(raw: Raw, key: string, limit: number): number {
    const v = this.value(raw, key);
    if (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= limit) return v;
    this.block(key, v, `expected an integer from 1 to ${limit}`);
    return 1;
  }

  /** A number in [min, max] (absent: `fallback`). */
  number(raw: Raw, key: string, fallback: number, min = -Infinity, max = Infinity): number {
    const v = this.value(raw, key);
    if (v === undefined) return fallback;
    if (typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max) return v;
    this.block(key, v, `expected a number from ${min} to ${max}`);
    return fallback;
  }

  /** true or false (absent, or null as tfjs saves an unset option: `fallback`). */
  bool(raw: Raw, key: string, fallback: boolean): boolean {
    const v = this.value(raw, key);
    if (v === undefined || v === null) return fallback;
    if (typeof v === 'boolean') return v;
    this.block(key, v, 'expected true or false');
    return fallback;
  }

  /** A string among `choices` (absent: `fallback`). */
  choice<T extends string>(raw: Raw, key: string, choices: readonly T[], fallback: T, hint?: string): T {
    const v = this.value(raw, key);
    if (v === undefined) return fallback;
    if (typeof v === 'string' && (choices as readonly string[]).includes(v)) return v as T;
    this.block(key, v, `expected one of ${choices.join(', ')}`, hint);
    return fallback;
  }

  /**
   * An option both paths implement for one value only (also its default, so absence is fine), e.g.
   * stateful: false. Null matches null or absence.
   */
  only(raw: Raw, key: string, accepted: unknown, hint?: string): void {
    const v = this.value(raw, key);
    if (v === undefined || v === accepted || (accepted === null && v === null)) return;
    this.block(key, v, `expected ${JSON.stringify(accepted)}, the only value rnn-parity checks`, hint);
  }

  /** Refuses every key of `raw` that no reader above touched: nothing is silently ignored. */
  finish(raw: Raw): void {
    for (const key of Object.keys(raw)) {
      if (!this.seen.has(key)) this.block(key, raw[key], 'an option rnn-parity does not know', 'please report it with the model');
    }
  }
}

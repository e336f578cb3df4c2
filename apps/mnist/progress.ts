/**
 * The training progress bar. On a terminal one line is redrawn in place (at most every 100 ms); into a file
 * or pipe it prints a line every 5% of the steps, so logs stay short:
 *   [#########.......................]  213/781  27%  loss 0.3121  acc 90.4%  433 samples/s  ETA 2:48
 * loss and acc are means over the last 50 steps (single batches are noisy); samples/s and ETA are measured
 * from the first step. The caller hands in where to write; nothing here touches process.stderr itself.
 */
import type { TrainStep } from './train';

/** Steps averaged for the loss and accuracy shown. */
export const PROGRESS_WINDOW = 50;
const BAR_WIDTH = 30;
const REDRAW_MS = 100;
const LINES_PER_RUN = 20;

/** m:ss or h:mm:ss. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** Means of loss and accuracy over the last `window` steps of `history`. */
export function trailingMeans(history: readonly TrainStep[], window: number = PROGRESS_WINDOW): { loss: number; accuracy: number } {
  const recent = history.slice(-window);
  const n = Math.max(1, recent.length);
  return {
    loss: recent.reduce((sum, s) => sum + s.loss, 0) / n,
    accuracy: recent.reduce((sum, s) => sum + s.accuracy, 0) / n,
  };
}

/** One progress line for the latest step of `history`. */
export function formatProgressLine(history: readonly TrainStep[]): string {
  const last = history[history.length - 1];
  const filled = Math.round((BAR_WIDTH * last.step) / last.steps);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}]`;
  const width = String(last.steps).length;
  const percent = `${Math.floor((100 * last.step) / last.steps)}%`.padStart(4);
  const { loss, accuracy } = trailingMeans(history);
  const rate = last.samplesSeen / (last.elapsedMs / 1000);
  const eta = last.step === last.steps ? 'done' : `ETA ${formatDuration(((last.totalSamples - last.samplesSeen) / rate) * 1000)}`;
  return `${bar} ${String(last.step).padStart(width)}/${last.steps} ${percent}  loss ${loss.toFixed(4)}  acc ${(100 * accuracy).toFixed(1)}%  ${rate.toFixed(0)} samples/s  ${eta}`;
}

/** Writes progress lines for a training run, in place on a terminal, periodically otherwise. */
export class ProgressBar {
  private readonly history: TrainStep[] = [];
  private lastDraw = -Infinity;
  private readonly every: number;

  /**
   * @param write where the lines go (stderr)
   * @param inPlace redraw one line with \r (stderr is a TTY) instead of printing lines
   * @param steps total steps
   */
  constructor(
    private readonly write: (text: string) => void,
    private readonly inPlace: boolean,
    steps: number,
  ) {
    this.every = Math.max(1, Math.ceil(steps / LINES_PER_RUN));
  }

  /** Records a step and draws when it is time to. */
  update(step: TrainStep): void {
    this.history.push(step);
    const last = step.step === step.steps;
    if (this.inPlace) {
      const now = performance.now();
      if (!last && now - this.lastDraw < REDRAW_MS) return;
      this.lastDraw = now;
      // \r back to the line's start, \x1b[K clears what a longer earlier line left behind.
      this.write(`\r${formatProgressLine(this.history)}\x1b[K${last ? '\n' : ''}`);
    } else if (last || step.step % this.every === 0 || step.step === 1) {
      this.write(`${formatProgressLine(this.history)}\n`);
    }
  }
}

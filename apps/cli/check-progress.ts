/**
 * The progress line of a check that runs in several chunks, on stderr (stdout stays the report):
 *   rnn-parity: 3,200 of 10,000 samples (32%), 0:12, about 0:26 left
 * On a terminal one line is redrawn in place (at most every 100 ms); into a file or pipe a line every 10% of
 * the samples. A second or third pass (the float32-floor rule) says so. A one-chunk check prints nothing.
 */
import type { CheckProgress } from '../../src/graph/check';
import { formatDuration } from '../mnist/progress';

const REDRAW_MS = 100;
const LINES_PER_PASS = 10;
const PASS_NAMES = { 1: '', 2: 'the float32 floor: ', 3: 'compared again at the widened tolerance: ' } as const;

/** One progress line. */
function formatCheckProgress(progress: CheckProgress, elapsedMs: number): string {
  const { samplesDone, samples } = progress;
  const left = samplesDone === samples ? 'done' : `about ${formatDuration((elapsedMs / Math.max(1, samplesDone)) * (samples - samplesDone))} left`;
  const percent = Math.floor((100 * samplesDone) / Math.max(1, samples));
  return `rnn-parity: ${PASS_NAMES[progress.pass]}${samplesDone.toLocaleString('en-US')} of ${samples.toLocaleString('en-US')} samples (${percent}%), ${formatDuration(elapsedMs)}, ${left}`;
}

/**
 * An onProgress for checkModel that writes to `write`.
 * @param inPlace redraw one line with \r (stderr is a terminal) instead of printing lines
 */
export function checkProgressPrinter(write: (text: string) => void, inPlace: boolean): (progress: CheckProgress) => void {
  let passStart = performance.now();
  let pass = 1;
  let lastDraw = -Infinity;
  let lastTenth = -1;
  return (progress) => {
    if (progress.chunks <= 1) return;
    const now = performance.now();
    if (progress.pass !== pass) {
      pass = progress.pass;
      passStart = now;
      lastTenth = -1;
    }
    const done = progress.samplesDone === progress.samples;
    const line = formatCheckProgress(progress, now - passStart);
    if (inPlace) {
      if (!done && now - lastDraw < REDRAW_MS) return;
      lastDraw = now;
      write(`\r${line}\x1b[K${done ? '\n' : ''}`);
      return;
    }
    const tenth = Math.floor((LINES_PER_PASS * progress.samplesDone) / progress.samples);
    if (tenth === lastTenth && !done) return;
    lastTenth = tenth;
    write(`${line}\n`);
  };
}

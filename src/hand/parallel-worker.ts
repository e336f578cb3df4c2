/**
 * The worker side of parallel.ts: runs forwardHand on each block of samples it is sent and sends the
 * output back (its buffer moved, not copied). Errors travel back as {name, message}.
 */
import { parentPort } from 'node:worker_threads';
import { forwardHand } from './forward';
import type { WorkerJob, WorkerReply } from './parallel';

const port = parentPort;
if (port === null) throw new Error('parallel-worker: expected to run in a worker thread, got the main thread');

port.on('message', (job: WorkerJob) => {
  let reply: WorkerReply;
  try {
    reply = { id: job.id, output: forwardHand(job.weights, job.input, job.precision) };
  } catch (error) {
    const { name, message } = error as Error;
    reply = { id: job.id, error: { name, message } };
  }
  const transfer = 'output' in reply ? [reply.output.data.buffer as ArrayBuffer] : [];
  port.postMessage(reply, transfer);
});

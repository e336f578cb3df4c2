/**
 * testEnvironment of jest.config.js (and of jest.unit.config.js, which extends it): Jest's node environment, plus
 * a prompt exit for the process once its event loop has run dry.
 *
 * Jest ends a worker by letting it exit by itself, and kills it if it has not within 500 ms ("A worker process has
 * failed to exit gracefully and has been force exited..."). Our workers leave no handle behind (process 'exit' is
 * emitted within a few ms), but a natural exit then makes Node tear the V8 heap down page by page, and a worker that
 * has loaded tfjs (often with two or three backends) into a fresh context for each test file holds 150-250 MB: on 2
 * CPUs that teardown alone took 300-600 ms, so one worker in each full run was killed. process.exit() skips it (the
 * kernel frees the memory in one go) and still emits 'exit'. What a worker holds outside the V8 heap (libtensorflow's
 * caches, memory glibc keeps) also takes time to free at exit: jest.config.js's workerIdleMemoryLimit bounds that.
 *
 * 'beforeExit' comes only when nothing is left to run: a test that leaks a timer, a socket, a child process or a
 * worker thread still keeps its worker alive, and Jest still reports it.
 */
import { TestEnvironment } from 'jest-environment-node';

process.once('beforeExit', () => process.exit());

// jest loads it by path (jest.config.js testEnvironment), which the export checker cannot follow.
// ts-unused-exports:disable-next-line
export default TestEnvironment;

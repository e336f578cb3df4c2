/**
 * Stopping a synchronous reader from outside: jsfive reads HDF5 structure synchronously, and a crafted file
 * can make it loop for ever, so each structure read runs in a vm script with a timeout, counted in CPU
 * time (src/keras/hdf5.ts uses it).
 */
import vm from 'node:vm';

/**
 * CPU time one jsfive call that reads the file's structure (a group's members, a dataset's shape) may
 * use, and all of them together: 50 times what the lstm fixture's whole structure takes (10 ms); a crafted
 * B-tree whose nodes share children makes jsfive visit 2^depth nodes, which never ends. CPU time, not
 * wall time, so that a loaded machine (a jest worker beside others on 2 cores) never fails a good file;
 * STRUCTURE_WALL_MS is the backstop for a machine so loaded that the CPU never comes.
 */
export const STRUCTURE_CALL_MS = 500;
export const STRUCTURE_TOTAL_MS = 3000;
const STRUCTURE_WALL_MS = 30000;

/** jsfive is synchronous; a vm script's timeout is the one way to stop a synchronous call from outside. */
const sandbox = vm.createContext({ read: undefined as unknown });
const callRead = new vm.Script('read()');

/** Runs `read` and stops it after `ms` of wall time (throws ERR_SCRIPT_EXECUTION_TIMEOUT). */
function withTimeout<T>(read: () => T, ms: number): T {
  const previous = sandbox.read;
  sandbox.read = read;
  try {
    return callRead.runInContext(sandbox, { timeout: Math.max(1, Math.ceil(ms)) }) as T;
  } finally {
    sandbox.read = previous;
  }
}

/** Milliseconds of CPU this process has used. */
export function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** A structure read that used up its CPU budget (or, on a starved machine, the wall-time backstop). */
export class StructureTimeout extends Error {
  constructor(readonly cpu: number) {
    super('structure read over budget');
  }
}

/**
 * Runs `read` with at most `cpuBudget` ms of CPU. vm timeouts count wall time, so when one fires before
 * the CPU budget is spent (the process was waiting for a core) the read is run again, from the start:
 * every structure read starts from the file's root, and jsfive builds a fresh object for each path.
 * @throws StructureTimeout once the budget (or STRUCTURE_WALL_MS) is spent; whatever `read` throws.
 */
export function withCpuBudget<T>(read: () => T, cpuBudget: number): T {
  const cpuStart = cpuMs();
  const wallStart = performance.now();
  for (;;) {
    const left = cpuBudget - (cpuMs() - cpuStart);
    if (left <= 0 || performance.now() - wallStart > STRUCTURE_WALL_MS) throw new StructureTimeout(cpuMs() - cpuStart);
    try {
      return withTimeout(read, left);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw error;
    }
  }
}

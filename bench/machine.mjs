// Pure pieces of the benchmark's report, kept apart from run.mjs (which runs the benchmark when
// imported) so they can be tested.
import * as os from 'node:os';

/** The load-average line: the load at the end and the cores this machine really has. */
export function loadLine(loadavg = os.loadavg(), cores = os.availableParallelism()) {
  const load = loadavg.map((l) => l.toFixed(1)).join(' ');
  return `Load average at the end (other jobs share this engine and its ${cores} ${cores === 1 ? 'core' : 'cores'}): ${load}.`;
}

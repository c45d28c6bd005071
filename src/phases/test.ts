import { UserError } from '../errors.js';
import { runTestCommand } from '../engine/run.js';
import type { BuildUnit, RunContext } from './run-context.js';

/** The default test step: `test-command` inside the image just built. Throws when a test fails. */
export async function testImage(ctx: RunContext, unit: BuildUnit): Promise<void> {
  const { report: br, index } = unit;
  const command = ctx.inputs.testCommand;
  if (!command) return;
  const started = Date.now();
  const r = await runTestCommand(ctx.docker, br.imageId!, command, `autobuild-test-${process.pid}-${index}`);
  const passed = r.code === 0;
  br.tests.push({ name: `test-command: ${command}`, passed, seconds: (Date.now() - started) / 1000 });
  if (!passed) {
    throw new UserError(`The test command failed (exit ${r.code}) inside ${br.refs[0]}; nothing was pushed.`);
  }
}

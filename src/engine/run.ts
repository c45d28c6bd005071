import type { Docker } from './docker.js';
import type { ExecResult } from './exec.js';

/** argv to run a shell command inside an image, entrypoint cleared. */
export function testArgv(image: string, command: string, name: string): string[] {
  return ['run', '--rm', '--name', name, '--entrypoint', 'sh', image, '-c', command];
}

export async function runTestCommand(docker: Docker, image: string, command: string, name: string, timeoutMs?: number): Promise<ExecResult> {
  try {
    return await docker.run(testArgv(image, command, name), { stream: true, timeoutMs });
  } catch (error) {
    // A hung test: remove its container before reporting.
    await docker.run(['rm', '--force', name]);
    throw error;
  }
}

/**
 * What a build, a test container, a hook or a commit prints is text, never a workflow command:
 * the runner acts on any output line that starts with `::` (and breaks lines at a lone `\r`), so
 * outside output goes to the log between `::stop-commands::TOKEN` and `::TOKEN::`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRepo, testRepositories } from './fixtures.js';
import { pushEvent, runAction, shownLog, workflowCommands } from './runner.js';
import { BASE_IMAGE, ENGINE, REGISTRY, REGISTRY_PASSWORD, REGISTRY_USER, registryTags } from './world.js';

const newRepo = testRepositories();

// Each line is a workflow command if it reaches the runner as output of the step.
const FORGED = [
  '::save-state name=compose-projects::FORGED-STATE',
  '::warning::FORGED-WARNING',
  '::add-mask::Dockerfile',
  '::set-output name=pushed::FORGED-OUTPUT',
].join('\\n');

describe(`output from outside is inert (${ENGINE} engine)`, () => {
  it('a test container, a RUN step, a hook and a commit subject that print workflow commands run none of them', async () => {
    const repo = newRepo('inert');
    const app = makeRepo({
      Dockerfile: [`FROM ${BASE_IMAGE}`, `RUN printf '${FORGED}\\n::error::FORGED-BUILD\\n'`, 'COPY app.sh /app.sh', ''].join('\n'),
      'app.sh': '#!/bin/sh\necho hello\n',
      // A hook's output, and a line that only a lone \r would break into a command.
      'hooks/post_build': `#!/bin/sh\nprintf 'from the hook\\r::warning::FORGED-HOOK\\n'\n`,
    });
    fs.chmodSync(path.join(app.dir, 'hooks/post_build'), 0o755);
    const r = await runAction({
      workspace: app.dir,
      event: pushEvent('refs/heads/main', app.sha, 'A subject\r::warning::FORGED-COMMIT\n\nbody'),
      inputs: {
        image: `${REGISTRY}/${repo}`,
        username: REGISTRY_USER,
        password: REGISTRY_PASSWORD,
        // Unbuffered and without a final newline: the end marker still starts a line of its own.
        'test-command': `printf '${FORGED}\\nno newline at the end'`,
      },
    });
    expect(r.code, shownLog(r)).toBe(0);
    const active = workflowCommands(r.stdout);
    // (autobuild's own debug lines name the test command, escaped, as one command each.)
    const forged = active.filter((c) => c.command !== 'debug' && (/FORGED|^Dockerfile$/.test(c.value) || c.properties.includes('FORGED')));
    expect(forged).toEqual([]);
    // The text is all in the log, to read.
    for (const text of ['FORGED-STATE', 'FORGED-WARNING', 'FORGED-OUTPUT', 'FORGED-HOOK', 'no newline at the end']) expect(r.stdout).toContain(text);
    // The commit subject is shown up to its line break.
    expect(r.stdout).toContain('"A subject"');
    expect(r.stdout).not.toContain('FORGED-COMMIT');
    // Nothing forged reached the state, the outputs or the masks; the action's own commands still work after each stretch.
    expect(r.state['compose-projects'] ?? '').not.toContain('FORGED');
    expect(r.outputs.pushed).toBe('true');
    expect(active.filter((c) => c.command === 'add-mask').map((c) => c.value)).not.toContain('Dockerfile');
    expect(active.filter((c) => c.command === 'group').map((c) => c.value)).toEqual(expect.arrayContaining(['build', 'push']));
    const stops = r.stdout.match(/^::stop-commands::[0-9a-f]{32}$/gm) ?? [];
    expect(stops.length).toBeGreaterThanOrEqual(3);
    expect(new Set(stops).size).toBe(stops.length);
    expect(await registryTags(repo)).toContain('latest');
  });
});

/** The Plan group of run(): what reaches the log and the annotations before any docker command. */
import * as core from '@actions/core';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { run } from '../../src/main.js';
import { pullRequest } from './facts.js';

vi.mock('@actions/core', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@actions/core')>();
  return {
    ...actual,
    info: vi.fn(),
    notice: vi.fn(),
    warning: vi.fn(),
    setFailed: vi.fn(),
    setOutput: vi.fn(),
    setSecret: vi.fn(),
    debug: vi.fn(),
    saveState: vi.fn(),
    group: vi.fn(async (_name: string, fn: () => Promise<unknown>) => fn()),
  };
});

// A closed pull request without pr-preview plans, logs the plan and stops: no engine is needed.
const closed = pullRequest(3, { pr: { number: 3, fork: false, headRef: 'feature', action: 'closed' } });
const inputs = (image: string) => (name: string) => (name === 'image' ? image : '');

describe('run(): image names lower-cased', () => {
  beforeEach(() => vi.mocked(core.notice).mockClear());

  it.each([
    ['Acme/WebApp', ["autobuild: image 'Acme/WebApp' was lower-cased to docker.io/acme/webapp (repository names must be lower case)."]],
    ['localhost:5000/Acme/App, acme/app2', ["autobuild: image 'localhost:5000/Acme/App' was lower-cased to localhost:5000/acme/app (repository names must be lower case)."]],
    ['acme/webapp', []],
  ])('%s raises a notice for each name changed', async (image, expected) => {
    const report = await run({ facts: closed, getInput: inputs(image) });
    expect(report.error).toBeUndefined();
    const notices = vi.mocked(core.notice).mock.calls.map((c) => String(c[0])).filter((m) => m.includes('lower-cased'));
    expect(notices).toEqual(expected);
  });
});

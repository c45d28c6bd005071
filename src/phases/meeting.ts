/**
 * Where the jobs of one distributed image meet: each leaves one small report a platform, and
 * reads every report of the image. On GitHub that is the run's artifact service (through
 * @actions/artifact, as the runner gives it to every job of the run); from the CLI, a folder that
 * every machine sees. A report is written once under a name of its own and never changed, so two
 * jobs finishing at once each see at least every report written before theirs: the last to write
 * sees all.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as core from '@actions/core';
import { getErrorMessage, UserError } from '../errors.js';
import { platformSlug, type PlatformReport } from '../plan/distribute.js';

export interface Meeting {
  /** In words, for the log: "the run's artifacts". */
  where: string;
  put(report: PlatformReport): Promise<void>;
  list(): Promise<PlatformReport[]>;
}

/** The name of a report: one a platform, attempt and meeting. */
export function reportName(report: Pick<PlatformReport, 'key' | 'platform' | 'attempt'>): string {
  return `autobuild-${report.key}-${platformSlug(report.platform)}-${report.attempt}.json`;
}

function parseReport(text: string, key: string): PlatformReport | undefined {
  try {
    const r = JSON.parse(text) as PlatformReport;
    return r && r.key === key && typeof r.platform === 'string' && typeof r.passed === 'boolean' ? r : undefined;
  } catch {
    return undefined;
  }
}

/** A folder every job can write (the CLI's --distribute-dir). */
export function folderMeeting(dir: string, key: string): Meeting {
  return {
    where: `the folder ${dir}`,
    async put(report) {
      fs.mkdirSync(dir, { recursive: true });
      // Written aside, then renamed: a reader never sees half a report.
      const file = path.join(dir, reportName(report));
      fs.writeFileSync(`${file}.part`, JSON.stringify(report));
      fs.renameSync(`${file}.part`, file);
    },
    async list() {
      if (!fs.existsSync(dir)) return [];
      return fs
        .readdirSync(dir)
        .filter((n) => n.startsWith(`autobuild-${key}-`) && n.endsWith('.json'))
        .map((n) => parseReport(fs.readFileSync(path.join(dir, n), 'utf8'), key))
        .filter((r): r is PlatformReport => Boolean(r));
    },
  };
}

/** The run's artifact service, through @actions/artifact (loaded only here). */
export function artifactMeeting(key: string, workDir: string): Meeting {
  const client = import('@actions/artifact').then((m) => new m.DefaultArtifactClient());
  return {
    where: "the run's artifacts",
    async put(report) {
      const dir = path.join(workDir, 'meeting-out');
      fs.mkdirSync(dir, { recursive: true });
      const file = path.join(dir, reportName(report));
      fs.writeFileSync(file, JSON.stringify(report));
      // Kept as long as the repository keeps artifacts: a re-run of a failed job reads the others'.
      await (await client).uploadArtifact(reportName(report), [file], dir, { skipArchive: true });
    },
    async list() {
      const artifacts = await client;
      const { artifacts: found } = await artifacts.listArtifacts();
      const ours = found.filter((a) => a.name.startsWith(`autobuild-${key}-`) && a.name.endsWith('.json'));
      const dir = path.join(workDir, 'meeting-in');
      fs.mkdirSync(dir, { recursive: true });
      const reports: PlatformReport[] = [];
      for (const a of ours) {
        const into = path.join(dir, String(a.id));
        fs.mkdirSync(into, { recursive: true });
        try {
          await artifacts.downloadArtifact(a.id, { path: into, skipDecompress: true });
        } catch (error) {
          // One the service lists but does not give (an earlier attempt's, say) is left out, with a line.
          core.warning(`Could not read the report ${a.name} from the run's artifacts: ${getErrorMessage(error)}`);
          continue;
        }
        for (const n of fs.readdirSync(into)) {
          const r = parseReport(fs.readFileSync(path.join(into, n), 'utf8'), key);
          if (r) reports.push(r);
        }
      }
      return reports;
    },
  };
}

/**
 * The meeting place this job has: the folder of AUTOBUILD_DISTRIBUTE_DIR when set (the CLI), else
 * the run's artifact service when the runner gives it (ACTIONS_RUNTIME_TOKEN and
 * ACTIONS_RESULTS_URL). Fails, naming both, when there is neither.
 */
export function meetingFor(key: string, workDir: string, env: NodeJS.ProcessEnv = process.env): Meeting {
  checkMeetingPlace(env);
  if (env.AUTOBUILD_DISTRIBUTE_DIR) return folderMeeting(env.AUTOBUILD_DISTRIBUTE_DIR, key);
  return artifactMeeting(key, workDir);
}

/** Whether the jobs of a distributed image have a place to meet here. */
export function hasMeetingPlace(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.AUTOBUILD_DISTRIBUTE_DIR || (env.ACTIONS_RUNTIME_TOKEN && env.ACTIONS_RESULTS_URL));
}

/** Fails, before any work, when the jobs of a distributed image have nowhere to meet. */
export function checkMeetingPlace(env: NodeJS.ProcessEnv = process.env): void {
  if (hasMeetingPlace(env)) return;
  throw new UserError(
    "Input 'distribute': the jobs of this image cannot find each other here: the runner gives no artifact service (ACTIONS_RUNTIME_TOKEN and ACTIONS_RESULTS_URL), and no shared folder is set (the CLI's --distribute-dir).",
  );
}

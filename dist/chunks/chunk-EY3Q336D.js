import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);
import {
  removeLocalTags,
  runTestCommand
} from "./chunk-I6ZNSQL3.js";
import {
  saveState
} from "./chunk-DPF6QIOO.js";
import {
  require_semver
} from "./chunk-ZTAIHROF.js";
import {
  ComposeProject,
  failed,
  loadYaml,
  pointAtImage,
  projectName,
  readAutotestFile,
  yamlLib
} from "./chunk-YLVLOKGC.js";
import {
  callsComposeV1,
  prepareHookTools,
  removeHookBuilders
} from "./chunk-MKP2NZNV.js";
import {
  DEFAULT_RETRY,
  RetryError,
  RetryableFailure,
  classifyError,
  classifyOutput,
  classifyStatus,
  credentialsFor,
  hasConfiguredLogin,
  login,
  removeDockerConfig,
  reserveDockerConfig,
  withRetry,
  writeDockerConfig
} from "./chunk-WBYOVNGI.js";
import {
  Docker,
  userConfigDir
} from "./chunk-57KFFATP.js";
import {
  DOCKER_HUB,
  IMAGE_HELP,
  REGISTRY_HELP,
  parseImage,
  parseRegistry,
  splitLines,
  splitList,
  splitTag
} from "./chunk-XNTVPW2M.js";
import {
  CommandFailed,
  PhaseTimeout,
  currentDeadline,
  execCommand,
  formatDuration,
  remainingMs,
  tail,
  withinPhase
} from "./chunk-7FCH2HRT.js";
import {
  UserError,
  getErrorMessage
} from "./chunk-LHJCWPA6.js";
import {
  debug,
  error,
  getInput,
  group,
  info,
  notice,
  setFailed,
  setOutput,
  setSecret,
  summary,
  warning
} from "./chunk-X4UWHUXT.js";
import {
  __commonJS,
  __toESM
} from "./chunk-WQQSJJD7.js";

// node_modules/@renovatebot/pep440/lib/version.js
var require_version = __commonJS({
  "node_modules/@renovatebot/pep440/lib/version.js"(exports, module) {
    var VERSION_PATTERN = [
      "v?",
      "(?:",
      /* */
      "(?:(?<epoch>[0-9]+)!)?",
      // epoch
      /* */
      "(?<release>[0-9]+(?:\\.[0-9]+)*)",
      // release segment
      /* */
      "(?<pre>",
      // pre-release
      /*    */
      "[-_\\.]?",
      /*    */
      "(?<pre_l>(a|b|c|rc|alpha|beta|pre|preview))",
      /*    */
      "[-_\\.]?",
      /*    */
      "(?<pre_n>[0-9]+)?",
      /* */
      ")?",
      /* */
      "(?<post>",
      // post release
      /*    */
      "(?:-(?<post_n1>[0-9]+))",
      /*    */
      "|",
      /*    */
      "(?:",
      /*        */
      "[-_\\.]?",
      /*        */
      "(?<post_l>post|rev|r)",
      /*        */
      "[-_\\.]?",
      /*        */
      "(?<post_n2>[0-9]+)?",
      /*    */
      ")",
      /* */
      ")?",
      /* */
      "(?<dev>",
      // dev release
      /*    */
      "[-_\\.]?",
      /*    */
      "(?<dev_l>dev)",
      /*    */
      "[-_\\.]?",
      /*    */
      "(?<dev_n>[0-9]+)?",
      /* */
      ")?",
      ")",
      "(?:\\+(?<local>[a-z0-9]+(?:[-_\\.][a-z0-9]+)*))?"
      // local version
    ].join("");
    module.exports = {
      VERSION_PATTERN,
      valid: valid7,
      clean: clean3,
      explain: explain3,
      parse: parse4,
      stringify
    };
    var validRegex = new RegExp("^" + VERSION_PATTERN + "$", "i");
    function valid7(version) {
      return validRegex.test(version) ? version : null;
    }
    var cleanRegex = new RegExp("^\\s*" + VERSION_PATTERN + "\\s*$", "i");
    function clean3(version) {
      return stringify(parse4(version, cleanRegex));
    }
    function parse4(version, regex) {
      const { groups } = (regex || validRegex).exec(version) || {};
      if (!groups) {
        return null;
      }
      const parsed = {
        epoch: Number(groups.epoch ? groups.epoch : 0),
        release: groups.release.split(".").map(Number),
        pre: normalize_letter_version(groups.pre_l, groups.pre_n),
        post: normalize_letter_version(
          groups.post_l,
          groups.post_n1 || groups.post_n2
        ),
        dev: normalize_letter_version(groups.dev_l, groups.dev_n),
        local: parse_local_version(groups.local)
      };
      return parsed;
    }
    function stringify(parsed) {
      if (!parsed) {
        return null;
      }
      const { epoch, release, pre, post: post2, dev, local } = parsed;
      const parts = [];
      if (epoch !== 0) {
        parts.push(`${epoch}!`);
      }
      parts.push(release.join("."));
      if (pre) {
        parts.push(pre.join(""));
      }
      if (post2) {
        parts.push("." + post2.join(""));
      }
      if (dev) {
        parts.push("." + dev.join(""));
      }
      if (local) {
        parts.push(`+${local}`);
      }
      return parts.join("");
    }
    function normalize_letter_version(letterIn, numberIn) {
      let letter = letterIn;
      let number = numberIn;
      if (letter) {
        if (!number) {
          number = 0;
        }
        letter = letter.toLowerCase();
        if (letter === "alpha") {
          letter = "a";
        } else if (letter === "beta") {
          letter = "b";
        } else if (["c", "pre", "preview"].includes(letter)) {
          letter = "rc";
        } else if (["rev", "r"].includes(letter)) {
          letter = "post";
        }
        return [letter, Number(number)];
      }
      if (!letter && number) {
        letter = "post";
        return [letter, Number(number)];
      }
      return null;
    }
    function parse_local_version(local) {
      if (local) {
        return local.split(/[._-]/).map(
          (part) => Number.isNaN(Number(part)) ? part.toLowerCase() : Number(part)
        );
      }
      return null;
    }
    function explain3(version) {
      const parsed = parse4(version);
      if (!parsed) {
        return parsed;
      }
      const { epoch, release, pre, post: post2, dev, local } = parsed;
      let base_version = "";
      if (epoch !== 0) {
        base_version += epoch + "!";
      }
      base_version += release.join(".");
      const is_prerelease = Boolean(dev || pre);
      const is_devrelease = Boolean(dev);
      const is_postrelease = Boolean(post2);
      return {
        epoch,
        release,
        pre,
        post: post2 ? post2[1] : post2,
        dev: dev ? dev[1] : dev,
        local: local ? local.join(".") : local,
        public: stringify(parsed).split("+", 1)[0],
        base_version,
        is_prerelease,
        is_devrelease,
        is_postrelease
      };
    }
  }
});

// node_modules/@renovatebot/pep440/lib/operator.js
var require_operator = __commonJS({
  "node_modules/@renovatebot/pep440/lib/operator.js"(exports, module) {
    var { parse: parse4 } = require_version();
    module.exports = {
      compare,
      rcompare,
      lt: lt2,
      le,
      eq,
      ne,
      ge,
      gt: gt3,
      "<": lt2,
      "<=": le,
      "==": eq,
      "!=": ne,
      ">=": ge,
      ">": gt3,
      "===": arbitrary
    };
    function lt2(version, other) {
      return compare(version, other) < 0;
    }
    function le(version, other) {
      return compare(version, other) <= 0;
    }
    function eq(version, other) {
      return compare(version, other) === 0;
    }
    function ne(version, other) {
      return compare(version, other) !== 0;
    }
    function ge(version, other) {
      return compare(version, other) >= 0;
    }
    function gt3(version, other) {
      return compare(version, other) > 0;
    }
    function arbitrary(version, other) {
      return version.toLowerCase() === other.toLowerCase();
    }
    function compare(version, other) {
      const parsedVersion = parse4(version);
      const parsedOther = parse4(other);
      const keyVersion = calculateKey(parsedVersion);
      const keyOther = calculateKey(parsedOther);
      return pyCompare(keyVersion, keyOther);
    }
    function rcompare(version, other) {
      return -compare(version, other);
    }
    function pyCompare(elemIn, otherIn) {
      let elem = elemIn;
      let other = otherIn;
      if (elem === other) {
        return 0;
      }
      if (Array.isArray(elem) !== Array.isArray(other)) {
        elem = Array.isArray(elem) ? elem : [elem];
        other = Array.isArray(other) ? other : [other];
      }
      if (Array.isArray(elem)) {
        const len = Math.min(elem.length, other.length);
        for (let i = 0; i < len; i += 1) {
          const res = pyCompare(elem[i], other[i]);
          if (res !== 0) {
            return res;
          }
        }
        return elem.length - other.length;
      }
      if (elem === -Infinity || other === Infinity) {
        return -1;
      }
      if (elem === Infinity || other === -Infinity) {
        return 1;
      }
      return elem < other ? -1 : 1;
    }
    function calculateKey(input) {
      const { epoch } = input;
      let { release, pre, post: post2, local, dev } = input;
      release = release.concat();
      release.reverse();
      while (release.length && release[0] === 0) {
        release.shift();
      }
      release.reverse();
      if (!pre && !post2 && dev) pre = -Infinity;
      else if (!pre) pre = Infinity;
      if (!post2) post2 = -Infinity;
      if (!dev) dev = Infinity;
      if (!local) {
        local = -Infinity;
      } else {
        local = local.map(
          (i) => Number.isNaN(Number(i)) ? [-Infinity, i] : [Number(i), ""]
        );
      }
      return [epoch, release, pre, post2, dev, local];
    }
  }
});

// node_modules/@renovatebot/pep440/lib/specifier.js
var require_specifier = __commonJS({
  "node_modules/@renovatebot/pep440/lib/specifier.js"(exports, module) {
    var { VERSION_PATTERN, explain: explainVersion } = require_version();
    var Operator = require_operator();
    var RANGE_PATTERN = [
      "(?<operator>(===|~=|==|!=|<=|>=|<|>))",
      "\\s*",
      "(",
      /*  */
      "(?<version>(?:" + VERSION_PATTERN.replace(/\?<\w+>/g, "?:") + "))",
      /*  */
      "(?<prefix>\\.\\*)?",
      /*  */
      "|",
      /*  */
      "(?<legacy>[^,;\\s)]+)",
      ")"
    ].join("");
    module.exports = {
      RANGE_PATTERN,
      parse: parse4,
      satisfies,
      filter,
      validRange,
      maxSatisfying,
      minSatisfying
    };
    var isEqualityOperator = (op) => ["==", "!=", "==="].includes(op);
    var rangeRegex = new RegExp("^" + RANGE_PATTERN + "$", "i");
    function parse4(ranges) {
      if (!ranges.trim()) {
        return [];
      }
      const specifiers = ranges.split(",").map((range) => rangeRegex.exec(range.trim()) || {}).map(({ groups }) => {
        if (!groups) {
          return null;
        }
        let { ...spec } = groups;
        const { operator, version, prefix, legacy } = groups;
        if (version) {
          spec = { ...spec, ...explainVersion(version) };
          if (operator === "~=") {
            if (spec.release.length < 2) {
              return null;
            }
          }
          if (!isEqualityOperator(operator) && spec.local) {
            return null;
          }
          if (prefix) {
            if (!isEqualityOperator(operator) || spec.dev || spec.local) {
              return null;
            }
          }
        }
        if (legacy && operator !== "===") {
          return null;
        }
        return spec;
      });
      if (specifiers.filter(Boolean).length !== specifiers.length) {
        return null;
      }
      return specifiers;
    }
    function filter(versions, specifier, options = {}) {
      const filtered = pick(versions, specifier, options);
      if (filtered.length === 0 && options.prereleases === void 0) {
        return pick(versions, specifier, { prereleases: true });
      }
      return filtered;
    }
    function maxSatisfying(versions, range, options) {
      const found = filter(versions, range, options).sort(Operator.compare);
      return found.length === 0 ? null : found[found.length - 1];
    }
    function minSatisfying(versions, range, options) {
      const found = filter(versions, range, options).sort(Operator.compare);
      return found.length === 0 ? null : found[0];
    }
    function pick(versions, specifier, options) {
      const parsed = parse4(specifier);
      if (!parsed) {
        return [];
      }
      return versions.filter((version) => {
        const explained = explainVersion(version);
        if (!parsed.length) {
          return explained && !(explained.is_prerelease && !options.prereleases);
        }
        return parsed.reduce((pass, spec) => {
          if (!pass) {
            return false;
          }
          return contains({ ...spec, ...options }, { version, explained });
        }, true);
      });
    }
    function satisfies(version, specifier, options = {}) {
      const filtered = pick([version], specifier, options);
      return filtered.length === 1;
    }
    function arrayStartsWith(array, prefix) {
      if (prefix.length > array.length) {
        return false;
      }
      for (let i = 0; i < prefix.length; i += 1) {
        if (prefix[i] !== array[i]) {
          return false;
        }
      }
      return true;
    }
    function contains(specifier, input) {
      const { explained } = input;
      let { version } = input;
      const { ...spec } = specifier;
      if (spec.prereleases === void 0) {
        spec.prereleases = spec.is_prerelease;
      }
      if (explained && explained.is_prerelease && !spec.prereleases) {
        return false;
      }
      if (spec.operator === "~=") {
        let compatiblePrefix = spec.release.slice(0, -1).concat("*").join(".");
        if (spec.epoch) {
          compatiblePrefix = spec.epoch + "!" + compatiblePrefix;
        }
        return satisfies(version, `>=${spec.version}, ==${compatiblePrefix}`, {
          prereleases: spec.prereleases
        });
      }
      if (spec.prefix) {
        const isMatching = explained.epoch === spec.epoch && arrayStartsWith(explained.release, spec.release);
        const isEquality = spec.operator !== "!=";
        return isEquality ? isMatching : !isMatching;
      }
      if (explained) {
        if (explained.local && spec.version) {
          version = explained.public;
          spec.version = explainVersion(spec.version).public;
        }
      }
      if (spec.operator === "<" || spec.operator === ">") {
        if (Operator.eq(spec.release.join("."), explained.release.join("."))) {
          return false;
        }
      }
      const op = Operator[spec.operator];
      return op(version, spec.version || spec.legacy);
    }
    function validRange(specifier) {
      return Boolean(parse4(specifier));
    }
  }
});

// node_modules/@renovatebot/pep440/lib/semantic.js
var require_semantic = __commonJS({
  "node_modules/@renovatebot/pep440/lib/semantic.js"(exports, module) {
    var { explain: explain3, parse: parse4, stringify } = require_version();
    module.exports = {
      major: major5,
      minor: minor3,
      patch: patch2,
      inc
    };
    function major5(input) {
      const version = explain3(input);
      if (!version) {
        throw new TypeError("Invalid Version: " + input);
      }
      return version.release[0];
    }
    function minor3(input) {
      const version = explain3(input);
      if (!version) {
        throw new TypeError("Invalid Version: " + input);
      }
      if (version.release.length < 2) {
        return 0;
      }
      return version.release[1];
    }
    function patch2(input) {
      const version = explain3(input);
      if (!version) {
        throw new TypeError("Invalid Version: " + input);
      }
      if (version.release.length < 3) {
        return 0;
      }
      return version.release[2];
    }
    function inc(input, release, preReleaseIdentifier) {
      let identifier = preReleaseIdentifier || `a`;
      const version = parse4(input);
      if (!version) {
        return null;
      }
      if (!["a", "b", "c", "rc", "alpha", "beta", "pre", "preview"].includes(
        identifier
      )) {
        return null;
      }
      switch (release) {
        case "premajor":
          {
            const [majorVersion] = version.release;
            version.release.fill(0);
            version.release[0] = majorVersion + 1;
          }
          version.pre = [identifier, 0];
          delete version.post;
          delete version.dev;
          delete version.local;
          break;
        case "preminor":
          {
            const [majorVersion, minorVersion = 0] = version.release;
            version.release.fill(0);
            version.release[0] = majorVersion;
            version.release[1] = minorVersion + 1;
          }
          version.pre = [identifier, 0];
          delete version.post;
          delete version.dev;
          delete version.local;
          break;
        case "prepatch":
          {
            const [majorVersion, minorVersion = 0, patchVersion = 0] = version.release;
            version.release.fill(0);
            version.release[0] = majorVersion;
            version.release[1] = minorVersion;
            version.release[2] = patchVersion + 1;
          }
          version.pre = [identifier, 0];
          delete version.post;
          delete version.dev;
          delete version.local;
          break;
        case "prerelease":
          if (version.pre === null) {
            const [majorVersion, minorVersion = 0, patchVersion = 0] = version.release;
            version.release.fill(0);
            version.release[0] = majorVersion;
            version.release[1] = minorVersion;
            version.release[2] = patchVersion + 1;
            version.pre = [identifier, 0];
          } else {
            if (preReleaseIdentifier === void 0 && version.pre !== null) {
              [identifier] = version.pre;
            }
            const [letter, number] = version.pre;
            if (letter === identifier) {
              version.pre = [letter, number + 1];
            } else {
              version.pre = [identifier, 0];
            }
          }
          delete version.post;
          delete version.dev;
          delete version.local;
          break;
        case "major":
          if (version.release.slice(1).some((value2) => value2 !== 0) || version.pre === null) {
            const [majorVersion] = version.release;
            version.release.fill(0);
            version.release[0] = majorVersion + 1;
          }
          delete version.pre;
          delete version.post;
          delete version.dev;
          delete version.local;
          break;
        case "minor":
          if (version.release.slice(2).some((value2) => value2 !== 0) || version.pre === null) {
            const [majorVersion, minorVersion = 0] = version.release;
            version.release.fill(0);
            version.release[0] = majorVersion;
            version.release[1] = minorVersion + 1;
          }
          delete version.pre;
          delete version.post;
          delete version.dev;
          delete version.local;
          break;
        case "patch":
          if (version.release.slice(3).some((value2) => value2 !== 0) || version.pre === null) {
            const [majorVersion, minorVersion = 0, patchVersion = 0] = version.release;
            version.release.fill(0);
            version.release[0] = majorVersion;
            version.release[1] = minorVersion;
            version.release[2] = patchVersion + 1;
          }
          delete version.pre;
          delete version.post;
          delete version.dev;
          delete version.local;
          break;
        default:
          return null;
      }
      return stringify(version);
    }
  }
});

// node_modules/@renovatebot/pep440/index.js
var require_pep440 = __commonJS({
  "node_modules/@renovatebot/pep440/index.js"(exports, module) {
    var { valid: valid7, clean: clean3, explain: explain3, parse: parse4 } = require_version();
    var { lt: lt2, le, eq, ne, ge, gt: gt3, compare, rcompare } = require_operator();
    var {
      filter,
      maxSatisfying,
      minSatisfying,
      RANGE_PATTERN,
      satisfies,
      validRange
    } = require_specifier();
    var { major: major5, minor: minor3, patch: patch2, inc } = require_semantic();
    module.exports = {
      // version
      valid: valid7,
      clean: clean3,
      explain: explain3,
      parse: parse4,
      // operator
      lt: lt2,
      le,
      lte: le,
      eq,
      ne,
      neq: ne,
      ge,
      gte: ge,
      gt: gt3,
      compare,
      rcompare,
      // range
      filter,
      maxSatisfying,
      minSatisfying,
      RANGE_PATTERN,
      satisfies,
      validRange,
      // semantic
      major: major5,
      minor: minor3,
      patch: patch2,
      inc
    };
  }
});

// src/main.ts
import { randomBytes as randomBytes2 } from "node:crypto";
import * as fs17 from "node:fs";
import * as os3 from "node:os";
import * as path18 from "node:path";

// src/context.ts
import * as fs from "node:fs";
import * as path from "node:path";
function readPayload(env) {
  const file = env.GITHUB_EVENT_PATH;
  if (!file || !fs.existsSync(file)) return {};
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return {};
  }
}
async function readGitHubFacts(env = process.env) {
  const payload = readPayload(env);
  const eventName = env.GITHUB_EVENT_NAME ?? "push";
  const workspace = env.GITHUB_WORKSPACE ?? process.cwd();
  const serverUrl = (env.GITHUB_SERVER_URL ?? "https://github.com").replace(/\/$/, "");
  const fullName = env.GITHUB_REPOSITORY ?? payload.repository?.full_name ?? "local/repository";
  const [owner = "local", name = "repository"] = fullName.split("/");
  const repo = payload.repository ?? {};
  const defaultBranch = repo.default_branch ?? env.AUTOBUILD_DEFAULT_BRANCH ?? "main";
  const pull = payload.pull_request;
  let ref = env.GITHUB_REF ?? "";
  let sha = env.GITHUB_SHA ?? "";
  let pr;
  let baseRef;
  let branch;
  let tag;
  let commitMessage = payload.head_commit?.message ?? "";
  let commitTime = payload.head_commit?.timestamp;
  let trigger;
  let fromWorkspace = false;
  const run2 = eventName === "workflow_run" ? payload.workflow_run : void 0;
  const commentedPull = eventName === "issue_comment" && payload.issue?.pull_request ? payload.issue : void 0;
  if (run2) {
    const headRepo = run2.head_repository?.full_name;
    const triggerEvent = String(run2.event ?? "");
    trigger = { event: triggerEvent, fork: !headRepo || headRepo.toLowerCase() !== fullName.toLowerCase(), headRepository: headRepo };
    sha = run2.head_sha ?? sha;
    commitMessage = run2.head_commit?.message ?? "";
    commitTime = run2.head_commit?.timestamp;
    const pulls = Array.isArray(run2.pull_requests) ? run2.pull_requests : [];
    const first = pulls[0];
    if (triggerEvent.startsWith("pull_request")) {
      if (first?.number !== void 0) {
        pr = { number: Number(first.number), fork: trigger.fork, headRef: run2.head_branch ?? first.head?.ref ?? "" };
        baseRef = first.base?.ref;
        branch = pr.headRef || void 0;
        ref = `refs/pull/${pr.number}/merge`;
      } else {
        ref = "";
      }
    } else if (run2.head_branch) {
      const isTag = triggerEvent === "release" || await git(workspace, ["rev-parse", "-q", "--verify", `refs/tags/${run2.head_branch}^{commit}`]) === run2.head_sha;
      ref = `${isTag ? "refs/tags/" : "refs/heads/"}${run2.head_branch}`;
    }
    fromWorkspace = true;
  } else if (commentedPull) {
    pr = { number: Number(commentedPull.number), fork: false, headRef: "" };
    ref = `refs/pull/${pr.number}/head`;
    fromWorkspace = true;
  } else if (pull) {
    const headRepo = pull.head?.repo?.full_name;
    pr = {
      number: Number(pull.number ?? payload.number),
      fork: !headRepo || headRepo.toLowerCase() !== String(pull.base?.repo?.full_name ?? fullName).toLowerCase(),
      headRef: pull.head?.ref ?? env.GITHUB_HEAD_REF ?? "",
      action: payload.action,
      merged: pull.merged
    };
    sha = pull.head?.sha ?? sha;
    baseRef = pull.base?.ref ?? env.GITHUB_BASE_REF;
    branch = pr.headRef || void 0;
    if (!ref.startsWith("refs/pull/")) ref = `refs/pull/${pr.number}/merge`;
  }
  if (!pr && ref.startsWith("refs/heads/")) {
    branch = ref.slice("refs/heads/".length);
  } else if (!pr && ref.startsWith("refs/tags/")) {
    tag = ref.slice("refs/tags/".length);
    if (typeof payload.base_ref === "string") baseRef = payload.base_ref.replace(/^refs\/heads\//, "");
  }
  const refType = pr ? "pull" : tag !== void 0 ? "tag" : branch !== void 0 ? "branch" : "other";
  if (fromWorkspace) {
    const head = await git(workspace, ["rev-parse", "--verify", "-q", "HEAD"]);
    if (head && head !== sha) {
      sha = head;
      commitMessage = "";
      commitTime = void 0;
    }
  }
  if (!commitMessage || !commitTime) {
    const local = await gitCommitInfo(workspace, sha || "HEAD");
    commitMessage ||= local.message;
    commitTime ??= local.time;
  }
  if (pull && !commitMessage) commitMessage = pull.title ?? "";
  const runId = env.GITHUB_RUN_ID;
  return {
    source: "github",
    eventName,
    ref,
    refType,
    branch,
    tag,
    sha,
    defaultBranch,
    isDefaultBranch: refType === "branch" && branch === defaultBranch,
    baseRef,
    pr,
    trigger,
    commitMessage,
    commitTime,
    repository: {
      owner,
      name,
      fullName,
      url: repo.html_url ?? `${serverUrl}/${fullName}`,
      description: repo.description ?? void 0,
      license: repo.license?.spdx_id && repo.license.spdx_id !== "NOASSERTION" ? repo.license.spdx_id : void 0
    },
    serverUrl,
    apiUrl: (env.GITHUB_API_URL ?? "https://api.github.com").replace(/\/$/, ""),
    workspace,
    runUrl: runId ? `${serverUrl}/${fullName}/actions/runs/${runId}` : void 0
  };
}
async function git(dir, args) {
  try {
    const r = await execCommand("git", ["-C", dir, ...args]);
    return r.code === 0 ? r.stdout.trim() : void 0;
  } catch {
    return void 0;
  }
}
async function gitCommitInfo(dir, rev) {
  if (!fs.existsSync(path.join(dir, ".git")) && !await git(dir, ["rev-parse", "--git-dir"])) return { message: "" };
  const out = await git(dir, ["log", "-1", "--format=%cI%n%B", rev]);
  if (!out) return { message: "" };
  const [time, ...msg] = out.split("\n");
  return { time: time || void 0, message: msg.join("\n").trim() };
}
var PULL_REF = /^refs\/pull\/([1-9][0-9]*)\/(merge|head)$/;
async function readLocalFacts(dir, overrides = {}) {
  const top = await git(dir, ["rev-parse", "--show-toplevel"]) ?? dir;
  const sha = await git(top, ["rev-parse", "HEAD"]) ?? "0000000000000000000000000000000000000000";
  const checkedOut = await git(top, ["symbolic-ref", "--short", "-q", "HEAD"]);
  let ref = overrides.ref ?? "";
  if (!ref) {
    const tagName = await git(top, ["describe", "--exact-match", "--tags", "HEAD"]);
    ref = checkedOut ? `refs/heads/${checkedOut}` : tagName ? `refs/tags/${tagName}` : "refs/heads/local";
  } else if (!ref.startsWith("refs/")) {
    ref = `refs/heads/${ref}`;
  }
  const pull = PULL_REF.exec(ref);
  if (ref.startsWith("refs/pull/") && !pull) {
    throw new UserError(`--ref '${ref}' is not a pull request's ref: give refs/pull/<number>/merge (or refs/pull/<number>/head).`);
  }
  if (!pull && (overrides.base !== void 0 || overrides.fork)) {
    throw new UserError(`${overrides.fork ? "--fork" : "--base"} describes a pull request: give --ref refs/pull/<number>/merge as well.`);
  }
  const originHead = await git(top, ["symbolic-ref", "--short", "-q", "refs/remotes/origin/HEAD"]);
  const defaultBranch = overrides.defaultBranch ?? (originHead ? originHead.replace(/^origin\//, "") : void 0) ?? (await git(top, ["rev-parse", "--verify", "-q", "refs/heads/main"]) ? "main" : void 0) ?? (await git(top, ["rev-parse", "--verify", "-q", "refs/heads/master"]) ? "master" : "main");
  const remote = await git(top, ["remote", "get-url", "origin"]);
  const fullName = overrides.repository ?? remote?.replace(/\.git$/, "").match(/[:/]([^/:]+\/[^/]+)$/)?.[1] ?? `local/${path.basename(top)}`;
  const info2 = await gitCommitInfo(top, sha);
  let pr;
  let baseRef;
  if (pull) {
    baseRef = overrides.base || defaultBranch;
    const headRef = checkedOut && checkedOut !== baseRef && checkedOut !== defaultBranch ? checkedOut : "";
    pr = { number: Number(pull[1]), fork: Boolean(overrides.fork), headRef };
  }
  const branch = pr ? pr.headRef || void 0 : ref.startsWith("refs/heads/") ? ref.slice(11) : void 0;
  const tag = ref.startsWith("refs/tags/") ? ref.slice(10) : void 0;
  const [owner = "local", name = "repository"] = fullName.split("/");
  return {
    source: "local",
    eventName: pr ? "pull_request" : "push",
    ref,
    refType: pr ? "pull" : tag !== void 0 ? "tag" : branch !== void 0 ? "branch" : "other",
    branch,
    tag,
    sha,
    defaultBranch,
    isDefaultBranch: !pr && branch === defaultBranch,
    baseRef,
    pr,
    commitMessage: info2.message,
    commitTime: info2.time,
    repository: { owner, name, fullName, url: remote ?? `file://${top}` },
    serverUrl: "",
    apiUrl: "",
    workspace: top
  };
}

// src/inputs.ts
import * as fs3 from "node:fs";
import * as path4 from "node:path";

// node_modules/csv-parse/lib/api/CsvError.js
var CsvError = class _CsvError extends Error {
  constructor(code2, message, options, ...contexts) {
    if (Array.isArray(message)) message = message.join(" ").trim();
    super(message);
    if (Error.captureStackTrace !== void 0) {
      Error.captureStackTrace(this, _CsvError);
    }
    this.code = code2;
    for (const context of contexts) {
      for (const key in context) {
        const value2 = context[key];
        this[key] = Buffer.isBuffer(value2) ? value2.toString(options.encoding) : value2 == null ? value2 : JSON.parse(JSON.stringify(value2));
      }
    }
  }
};

// node_modules/csv-parse/lib/utils/is_object.js
var is_object = function(obj) {
  return typeof obj === "object" && obj !== null && !Array.isArray(obj);
};

// node_modules/csv-parse/lib/api/normalize_columns_array.js
var normalize_columns_array = function(columns) {
  const normalizedColumns = [];
  for (let i = 0, l = columns.length; i < l; i++) {
    const column = columns[i];
    if (column === void 0 || column === null || column === false) {
      normalizedColumns[i] = { disabled: true };
    } else if (typeof column === "string" || typeof column === "number") {
      normalizedColumns[i] = { name: `${column}` };
    } else if (is_object(column)) {
      if (typeof column.name !== "string") {
        throw new CsvError("CSV_OPTION_COLUMNS_MISSING_NAME", [
          "Option columns missing name:",
          `property "name" is required at position ${i}`,
          "when column is an object literal"
        ]);
      }
      normalizedColumns[i] = column;
    } else {
      throw new CsvError("CSV_INVALID_COLUMN_DEFINITION", [
        "Invalid column definition:",
        "expect a string or a literal object,",
        `got ${JSON.stringify(column)} at position ${i}`
      ]);
    }
  }
  return normalizedColumns;
};

// node_modules/csv-parse/lib/utils/ResizeableBuffer.js
var ResizeableBuffer = class {
  constructor(size = 100) {
    this.size = size;
    this.length = 0;
    this.buf = Buffer.allocUnsafe(size);
  }
  prepend(val) {
    if (Buffer.isBuffer(val)) {
      const length = this.length + val.length;
      if (length >= this.size) {
        this.resize();
        if (length >= this.size) {
          throw Error("INVALID_BUFFER_STATE");
        }
      }
      const buf = this.buf;
      this.buf = Buffer.allocUnsafe(this.size);
      val.copy(this.buf, 0);
      buf.copy(this.buf, val.length);
      this.length += val.length;
    } else {
      const length = this.length++;
      if (length === this.size) {
        this.resize();
      }
      const buf = this.clone();
      this.buf[0] = val;
      buf.copy(this.buf, 1, 0, length);
    }
  }
  append(val) {
    const length = this.length++;
    if (length === this.size) {
      this.resize();
    }
    this.buf[length] = val;
  }
  clone() {
    return Buffer.from(this.buf.slice(0, this.length));
  }
  resize() {
    const length = this.length;
    this.size = this.size * 2;
    const buf = Buffer.allocUnsafe(this.size);
    this.buf.copy(buf, 0, 0, length);
    this.buf = buf;
  }
  toString(encoding) {
    if (encoding) {
      return this.buf.toString(encoding, 0, this.length);
    } else {
      return Uint8Array.prototype.slice.call(this.buf.slice(0, this.length));
    }
  }
  toJSON() {
    return this.toString("utf8");
  }
  reset() {
    this.length = 0;
  }
};
var ResizeableBuffer_default = ResizeableBuffer;

// node_modules/csv-parse/lib/api/init_state.js
var init_state = function(options) {
  const timchars = [
    // Basic Latin
    32,
    // [Space](https://www.fileformat.info/info/unicode/char/0020/index.htm)
    9,
    // [CHARACTER TABULATION (HT)](https://www.fileformat.info/info/unicode/char/0009/index.htm)
    10,
    // [LINE FEED (LF)](https://www.fileformat.info/info/unicode/char/000a/index.htm)
    13,
    // [CARRIAGE RETURN (CR)](https://www.fileformat.info/info/unicode/char/000d/index.htm)
    12,
    // [FORM FEED (FF)](https://www.fileformat.info/info/unicode/char/000c/index.htm)
    11,
    // [LINE TABULATION (VT)](https://www.fileformat.info/info/unicode/char/000b/index.htm)
    // Latin-1 Supplement
    160,
    // [NO-BREAK SPACE (NBSP)](https://www.fileformat.info/info/unicode/char/00a0/index.htm)
    // Ogham
    5760,
    // [OGHAM SPACE MARK](https://www.fileformat.info/info/unicode/char/1680/index.htm)
    // General Punctuation
    8192,
    // [EN QUAD](https://www.fileformat.info/info/unicode/char/2000/index.htm)
    8193,
    // [EM QUAD](https://www.fileformat.info/info/unicode/char/2001/index.htm)
    8194,
    // [EN SPACE](https://www.fileformat.info/info/unicode/char/2002/index.htm)
    8195,
    // [EM SPACE](https://www.fileformat.info/info/unicode/char/2003/index.htm)
    8196,
    // [THREE-PER-EM SPACE](https://www.fileformat.info/info/unicode/char/2004/index.htm)
    8197,
    // [FOUR-PER-EM SPACE](https://www.fileformat.info/info/unicode/char/2005/index.htm)
    8198,
    // [SIX-PER-EM SPACE](https://www.fileformat.info/info/unicode/char/2006/index.htm)
    8199,
    // [FIGURE SPACE](https://www.fileformat.info/info/unicode/char/2007/index.htm)
    8200,
    // [PUNCTUATION SPACE](https://www.fileformat.info/info/unicode/char/2008/index.htm)
    8201,
    // [THIN SPACE](https://www.fileformat.info/info/unicode/char/2009/index.htm)
    8202,
    // [HAIR SPACE](https://www.fileformat.info/info/unicode/char/200a/index.htm)
    8232,
    // [LINE SEPARATOR](https://www.fileformat.info/info/unicode/char/2028/index.htm)
    8233,
    // [PARAGRAPH SEPARATOR](https://www.fileformat.info/info/unicode/char/2029/index.htm)
    8239,
    // [NARROW NO-BREAK SPACE (NNBSP)](https://www.fileformat.info/info/unicode/char/202f/index.htm)
    8287,
    // [MEDIUM MATHEMATICAL SPACE (MMSP)](https://www.fileformat.info/info/unicode/char/205f/index.htm)
    12288,
    // [IDEOGRAPHIC SPACE](https://www.fileformat.info/info/unicode/char/3000/index.htm)
    65279
    // [ZERO WIDTH NO-BREAK SPACE (BOM)](https://www.fileformat.info/info/unicode/char/feff/index.htm)
  ].reduce((acc, codepoint) => {
    const encoded = Buffer.from(
      String.fromCharCode(codepoint),
      options.encoding
    );
    if (codepoint !== 63 && encoded.length === 1 && encoded[0] === 63) {
      return acc;
    }
    acc.push(encoded);
    return acc;
  }, []);
  const timcharFirstBytes = new Uint8Array(256);
  for (const t of timchars) timcharFirstBytes[t[0]] = 1;
  return {
    bomSkipped: false,
    bufBytesStart: 0,
    castField: options.cast_function,
    commenting: false,
    delimiterBufPrevious: void 0,
    delimiterDiscovered: false,
    // Current error encountered by a record
    error: void 0,
    enabled: options.from_line === 1,
    escaping: false,
    escapeIsQuote: Buffer.isBuffer(options.escape) && Buffer.isBuffer(options.quote) && Buffer.compare(options.escape, options.quote) === 0,
    // columns can be `false`, `true`, `Array`
    expectedRecordLength: Array.isArray(options.columns) ? options.columns.length : void 0,
    field: new ResizeableBuffer_default(20),
    firstLineToHeaders: options.cast_first_line_to_header,
    needMoreDataSize: Math.max(
      // Skip if the remaining buffer smaller than comment
      options.comment !== null ? options.comment.length : 0,
      ...options.delimiter ? options.delimiter.map((delimiter2) => delimiter2.length) : [],
      // Auto discovery of delimiter is limited to 1 character
      options.delimiter_auto ? 1 : 0,
      // Skip if the remaining buffer can be escape sequence
      options.quote !== null ? options.quote.length : 0,
      ...timchars.map((t) => t.length)
    ),
    previousBuf: void 0,
    quoting: false,
    stop: false,
    rawBuffer: new ResizeableBuffer_default(100),
    record: [],
    recordHasError: false,
    record_length: 0,
    recordDelimiterMaxLength: options.record_delimiter.length === 0 ? 0 : Math.max(...options.record_delimiter.map((v) => v.length)),
    trimChars: [
      Buffer.from(" ", options.encoding)[0],
      Buffer.from("	", options.encoding)[0]
    ],
    wasQuoting: false,
    wasRowDelimiter: false,
    timchars,
    timcharFirstBytes
  };
};

// node_modules/csv-parse/lib/utils/underscore.js
var underscore = function(str) {
  return str.replace(/([A-Z])/g, function(_, match) {
    return "_" + match.toLowerCase();
  });
};

// node_modules/csv-parse/lib/api/normalize_options.js
var normalize_options = function(opts) {
  const options = {};
  for (const opt in opts) {
    options[underscore(opt)] = opts[opt];
  }
  if (options.encoding === void 0 || options.encoding === true) {
    options.encoding = "utf8";
  } else if (options.encoding === null || options.encoding === false) {
    options.encoding = null;
  } else if (typeof options.encoding !== "string" && options.encoding !== null) {
    throw new CsvError(
      "CSV_INVALID_OPTION_ENCODING",
      [
        "Invalid option encoding:",
        "encoding must be a string or null to return a buffer,",
        `got ${JSON.stringify(options.encoding)}`
      ],
      options
    );
  }
  if (options.bom === void 0 || options.bom === null || options.bom === false) {
    options.bom = false;
  } else if (options.bom !== true) {
    throw new CsvError(
      "CSV_INVALID_OPTION_BOM",
      [
        "Invalid option bom:",
        "bom must be true,",
        `got ${JSON.stringify(options.bom)}`
      ],
      options
    );
  }
  options.cast_function = null;
  if (options.cast === void 0 || options.cast === null || options.cast === false || options.cast === "") {
    options.cast = void 0;
  } else if (typeof options.cast === "function") {
    options.cast_function = options.cast;
    options.cast = true;
  } else if (options.cast !== true) {
    throw new CsvError(
      "CSV_INVALID_OPTION_CAST",
      [
        "Invalid option cast:",
        "cast must be true or a function,",
        `got ${JSON.stringify(options.cast)}`
      ],
      options
    );
  }
  if (options.cast_date === void 0 || options.cast_date === null || options.cast_date === false || options.cast_date === "") {
    options.cast_date = false;
  } else if (options.cast_date === true) {
    options.cast_date = function(value2) {
      const date = Date.parse(value2);
      return !isNaN(date) ? new Date(date) : value2;
    };
  } else if (typeof options.cast_date !== "function") {
    throw new CsvError(
      "CSV_INVALID_OPTION_CAST_DATE",
      [
        "Invalid option cast_date:",
        "cast_date must be true or a function,",
        `got ${JSON.stringify(options.cast_date)}`
      ],
      options
    );
  }
  options.cast_first_line_to_header = void 0;
  if (options.columns === true) {
    options.cast_first_line_to_header = void 0;
  } else if (typeof options.columns === "function") {
    options.cast_first_line_to_header = options.columns;
    options.columns = true;
  } else if (Array.isArray(options.columns)) {
    options.columns = normalize_columns_array(options.columns);
  } else if (options.columns === void 0 || options.columns === null || options.columns === false) {
    options.columns = false;
  } else {
    throw new CsvError(
      "CSV_INVALID_OPTION_COLUMNS",
      [
        "Invalid option columns:",
        "expect an array, a function or true,",
        `got ${JSON.stringify(options.columns)}`
      ],
      options
    );
  }
  if (options.group_columns_by_name === void 0 || options.group_columns_by_name === null || options.group_columns_by_name === false) {
    options.group_columns_by_name = false;
  } else if (options.group_columns_by_name !== true) {
    throw new CsvError(
      "CSV_INVALID_OPTION_GROUP_COLUMNS_BY_NAME",
      [
        "Invalid option group_columns_by_name:",
        "expect an boolean,",
        `got ${JSON.stringify(options.group_columns_by_name)}`
      ],
      options
    );
  } else if (options.columns === false) {
    throw new CsvError(
      "CSV_INVALID_OPTION_GROUP_COLUMNS_BY_NAME",
      [
        "Invalid option group_columns_by_name:",
        "the `columns` mode must be activated."
      ],
      options
    );
  }
  if (options.comment === void 0 || options.comment === null || options.comment === false || options.comment === "") {
    options.comment = null;
  } else {
    if (typeof options.comment === "string") {
      options.comment = Buffer.from(options.comment, options.encoding);
    }
    if (!Buffer.isBuffer(options.comment)) {
      throw new CsvError(
        "CSV_INVALID_OPTION_COMMENT",
        [
          "Invalid option comment:",
          "comment must be a buffer or a string,",
          `got ${JSON.stringify(options.comment)}`
        ],
        options
      );
    }
  }
  if (options.comment_no_infix === void 0 || options.comment_no_infix === null || options.comment_no_infix === false) {
    options.comment_no_infix = false;
  } else if (options.comment_no_infix !== true) {
    throw new CsvError(
      "CSV_INVALID_OPTION_COMMENT",
      [
        "Invalid option comment_no_infix:",
        "value must be a boolean,",
        `got ${JSON.stringify(options.comment_no_infix)}`
      ],
      options
    );
  }
  if (options.delimiter_auto === void 0 || options.delimiter_auto === null || options.delimiter_auto === false) {
    options.delimiter_auto = false;
  } else if (options.delimiter_auto === true) {
    options.delimiter_auto = {};
  } else if (!is_object(options.delimiter_auto)) {
    throw new CsvError(
      "CSV_INVALID_OPTION_DELIMITER_AUTO",
      [
        "Invalid option delimiter_auto:",
        "delimiter_auto must be a boolean or a configuration object,",
        `got ${JSON.stringify(options.delimiter_auto)}`
      ],
      options
    );
  }
  if (options.delimiter_auto) {
    if (options.delimiter_auto.preferred === void 0)
      options.delimiter_auto.preferred = {
        [",".charCodeAt(0)]: 1.8,
        ["	".charCodeAt(0)]: 1.8,
        [";".charCodeAt(0)]: 1.6,
        [" ".charCodeAt(0)]: 1.6,
        [":".charCodeAt(0)]: 1.5,
        [".".charCodeAt(0)]: 1.4,
        ["/".charCodeAt(0)]: 1.4
      };
    else if (!is_object(options.delimiter_auto.preferred)) {
      throw new CsvError(
        "CSV_INVALID_OPTION_DELIMITER_AUTO",
        [
          "Invalid option delimiter_auto:",
          "preferred must be an object,",
          `got ${JSON.stringify(options.delimiter_auto.preferred)}`
        ],
        options
      );
    }
    if (options.delimiter_auto.score === void 0)
      options.delimiter_auto.score = (info2, options2) => {
        return (info2.total - info2.std) * (options2.preferred[info2.char_code] || 1);
      };
    else if (typeof options.delimiter_auto.score !== "function") {
      throw new CsvError(
        "CSV_INVALID_OPTION_DELIMITER_AUTO",
        [
          "Invalid option delimiter_auto:",
          "score must be a function,",
          `got ${JSON.stringify(options.delimiter_auto.score)}`
        ],
        options
      );
    }
    if (options.delimiter_auto.size === void 0)
      options.delimiter_auto.size = 2048;
    else if (typeof options.delimiter_auto.size !== "number") {
      throw new CsvError(
        "CSV_INVALID_OPTION_DELIMITER_AUTO",
        [
          "Invalid option delimiter_auto:",
          "size must be a number,",
          `got ${JSON.stringify(options.delimiter_auto.size)}`
        ],
        options
      );
    }
  }
  const delimiter_json = JSON.stringify(options.delimiter);
  if (options.delimiter_auto !== false) {
    options.delimiter = [];
  }
  if (!Array.isArray(options.delimiter)) {
    if (options.delimiter === void 0 || options.delimiter === null || options.delimiter === false) {
      options.delimiter = Buffer.from(",", options.encoding);
    }
    options.delimiter = [options.delimiter];
  }
  options.delimiter = options.delimiter.map(function(delimiter2) {
    if (typeof delimiter2 === "string") {
      delimiter2 = Buffer.from(delimiter2, options.encoding);
    }
    if (!Buffer.isBuffer(delimiter2) || delimiter2.length === 0) {
      throw new CsvError(
        "CSV_INVALID_OPTION_DELIMITER",
        [
          "Invalid option delimiter:",
          "delimiter must be a non empty string or buffer or array of string|buffer,",
          `got ${delimiter_json}`
        ],
        options
      );
    }
    return delimiter2;
  });
  if (options.escape === void 0 || options.escape === true) {
    options.escape = Buffer.from('"', options.encoding);
  } else if (typeof options.escape === "string") {
    options.escape = Buffer.from(options.escape, options.encoding);
  } else if (options.escape === null || options.escape === false) {
    options.escape = null;
  }
  if (options.escape !== null) {
    if (!Buffer.isBuffer(options.escape)) {
      throw new Error(
        `Invalid Option: escape must be a buffer, a string or a boolean, got ${JSON.stringify(options.escape)}`
      );
    }
  }
  if (options.from === void 0 || options.from === null) {
    options.from = 1;
  } else {
    if (typeof options.from === "string" && /\d+/.test(options.from)) {
      options.from = parseInt(options.from);
    }
    if (Number.isInteger(options.from)) {
      if (options.from < 0) {
        throw new Error(
          `Invalid Option: from must be a positive integer, got ${JSON.stringify(opts.from)}`
        );
      }
    } else {
      throw new Error(
        `Invalid Option: from must be an integer, got ${JSON.stringify(options.from)}`
      );
    }
  }
  if (options.from_line === void 0 || options.from_line === null) {
    options.from_line = 1;
  } else {
    if (typeof options.from_line === "string" && /\d+/.test(options.from_line)) {
      options.from_line = parseInt(options.from_line);
    }
    if (Number.isInteger(options.from_line)) {
      if (options.from_line <= 0) {
        throw new Error(
          `Invalid Option: from_line must be a positive integer greater than 0, got ${JSON.stringify(opts.from_line)}`
        );
      }
    } else {
      throw new Error(
        `Invalid Option: from_line must be an integer, got ${JSON.stringify(opts.from_line)}`
      );
    }
  }
  if (options.ignore_last_delimiters === void 0 || options.ignore_last_delimiters === null) {
    options.ignore_last_delimiters = false;
  } else if (typeof options.ignore_last_delimiters === "number") {
    options.ignore_last_delimiters = Math.floor(options.ignore_last_delimiters);
    if (options.ignore_last_delimiters === 0) {
      options.ignore_last_delimiters = false;
    }
  } else if (typeof options.ignore_last_delimiters !== "boolean") {
    throw new CsvError(
      "CSV_INVALID_OPTION_IGNORE_LAST_DELIMITERS",
      [
        "Invalid option `ignore_last_delimiters`:",
        "the value must be a boolean value or an integer,",
        `got ${JSON.stringify(options.ignore_last_delimiters)}`
      ],
      options
    );
  }
  if (options.ignore_last_delimiters === true && options.columns === false) {
    throw new CsvError(
      "CSV_IGNORE_LAST_DELIMITERS_REQUIRES_COLUMNS",
      [
        "The option `ignore_last_delimiters`",
        "requires the activation of the `columns` option"
      ],
      options
    );
  }
  if (options.info === void 0 || options.info === null || options.info === false) {
    options.info = false;
  } else if (options.info !== true) {
    throw new Error(
      `Invalid Option: info must be true, got ${JSON.stringify(options.info)}`
    );
  }
  if (options.max_record_size === void 0 || options.max_record_size === null || options.max_record_size === false) {
    options.max_record_size = 0;
  } else if (Number.isInteger(options.max_record_size) && options.max_record_size >= 0) {
  } else if (typeof options.max_record_size === "string" && /\d+/.test(options.max_record_size)) {
    options.max_record_size = parseInt(options.max_record_size);
  } else {
    throw new Error(
      `Invalid Option: max_record_size must be a positive integer, got ${JSON.stringify(options.max_record_size)}`
    );
  }
  if (options.objname === void 0 || options.objname === null || options.objname === false) {
    options.objname = void 0;
  } else if (Buffer.isBuffer(options.objname)) {
    if (options.objname.length === 0) {
      throw new Error(`Invalid Option: objname must be a non empty buffer`);
    }
    if (options.encoding === null) {
    } else {
      options.objname = options.objname.toString(options.encoding);
    }
  } else if (typeof options.objname === "string") {
    if (options.objname.length === 0) {
      throw new Error(`Invalid Option: objname must be a non empty string`);
    }
  } else if (typeof options.objname === "number") {
  } else {
    throw new Error(
      `Invalid Option: objname must be a string or a buffer, got ${options.objname}`
    );
  }
  if (options.objname !== void 0) {
    if (typeof options.objname === "number") {
      if (options.columns !== false) {
        throw Error(
          "Invalid Option: objname index cannot be combined with columns or be defined as a field"
        );
      }
    } else {
      if (options.columns === false) {
        throw Error(
          "Invalid Option: objname field must be combined with columns or be defined as an index"
        );
      }
    }
  }
  if (options.on_record === void 0 || options.on_record === null) {
    options.on_record = void 0;
  } else if (typeof options.on_record !== "function") {
    throw new CsvError(
      "CSV_INVALID_OPTION_ON_RECORD",
      [
        "Invalid option `on_record`:",
        "expect a function,",
        `got ${JSON.stringify(options.on_record)}`
      ],
      options
    );
  }
  if (options.on_skip !== void 0 && options.on_skip !== null && typeof options.on_skip !== "function") {
    throw new Error(
      `Invalid Option: on_skip must be a function, got ${JSON.stringify(options.on_skip)}`
    );
  }
  if (options.quote === null || options.quote === false || options.quote === "") {
    options.quote = null;
  } else {
    if (options.quote === void 0 || options.quote === true) {
      options.quote = Buffer.from('"', options.encoding);
    } else if (typeof options.quote === "string") {
      options.quote = Buffer.from(options.quote, options.encoding);
    }
    if (!Buffer.isBuffer(options.quote)) {
      throw new Error(
        `Invalid Option: quote must be a buffer or a string, got ${JSON.stringify(options.quote)}`
      );
    }
  }
  if (options.raw === void 0 || options.raw === null || options.raw === false) {
    options.raw = false;
  } else if (options.raw !== true) {
    throw new Error(
      `Invalid Option: raw must be true, got ${JSON.stringify(options.raw)}`
    );
  }
  if (options.record_delimiter === void 0) {
    options.record_delimiter = [];
  } else if (typeof options.record_delimiter === "string" || Buffer.isBuffer(options.record_delimiter)) {
    if (options.record_delimiter.length === 0) {
      throw new CsvError(
        "CSV_INVALID_OPTION_RECORD_DELIMITER",
        [
          "Invalid option `record_delimiter`:",
          "value must be a non empty string or buffer,",
          `got ${JSON.stringify(options.record_delimiter)}`
        ],
        options
      );
    }
    options.record_delimiter = [options.record_delimiter];
  } else if (!Array.isArray(options.record_delimiter)) {
    throw new CsvError(
      "CSV_INVALID_OPTION_RECORD_DELIMITER",
      [
        "Invalid option `record_delimiter`:",
        "value must be a string, a buffer or array of string|buffer,",
        `got ${JSON.stringify(options.record_delimiter)}`
      ],
      options
    );
  }
  options.record_delimiter = options.record_delimiter.map(function(rd, i) {
    if (typeof rd !== "string" && !Buffer.isBuffer(rd)) {
      throw new CsvError(
        "CSV_INVALID_OPTION_RECORD_DELIMITER",
        [
          "Invalid option `record_delimiter`:",
          "value must be a string, a buffer or array of string|buffer",
          `at index ${i},`,
          `got ${JSON.stringify(rd)}`
        ],
        options
      );
    } else if (rd.length === 0) {
      throw new CsvError(
        "CSV_INVALID_OPTION_RECORD_DELIMITER",
        [
          "Invalid option `record_delimiter`:",
          "value must be a non empty string or buffer",
          `at index ${i},`,
          `got ${JSON.stringify(rd)}`
        ],
        options
      );
    }
    if (typeof rd === "string") {
      rd = Buffer.from(rd, options.encoding);
    }
    return rd;
  });
  if (typeof options.relax_column_count === "boolean") {
  } else if (options.relax_column_count === void 0 || options.relax_column_count === null) {
    options.relax_column_count = false;
  } else {
    throw new Error(
      `Invalid Option: relax_column_count must be a boolean, got ${JSON.stringify(options.relax_column_count)}`
    );
  }
  if (typeof options.relax_column_count_less === "boolean") {
  } else if (options.relax_column_count_less === void 0 || options.relax_column_count_less === null) {
    options.relax_column_count_less = false;
  } else {
    throw new Error(
      `Invalid Option: relax_column_count_less must be a boolean, got ${JSON.stringify(options.relax_column_count_less)}`
    );
  }
  if (typeof options.relax_column_count_more === "boolean") {
  } else if (options.relax_column_count_more === void 0 || options.relax_column_count_more === null) {
    options.relax_column_count_more = false;
  } else {
    throw new Error(
      `Invalid Option: relax_column_count_more must be a boolean, got ${JSON.stringify(options.relax_column_count_more)}`
    );
  }
  if (typeof options.relax_quotes === "boolean") {
  } else if (options.relax_quotes === void 0 || options.relax_quotes === null) {
    options.relax_quotes = false;
  } else {
    throw new Error(
      `Invalid Option: relax_quotes must be a boolean, got ${JSON.stringify(options.relax_quotes)}`
    );
  }
  if (typeof options.skip_empty_lines === "boolean") {
  } else if (options.skip_empty_lines === void 0 || options.skip_empty_lines === null) {
    options.skip_empty_lines = false;
  } else {
    throw new Error(
      `Invalid Option: skip_empty_lines must be a boolean, got ${JSON.stringify(options.skip_empty_lines)}`
    );
  }
  if (typeof options.skip_records_with_empty_values === "boolean") {
  } else if (options.skip_records_with_empty_values === void 0 || options.skip_records_with_empty_values === null) {
    options.skip_records_with_empty_values = false;
  } else {
    throw new Error(
      `Invalid Option: skip_records_with_empty_values must be a boolean, got ${JSON.stringify(options.skip_records_with_empty_values)}`
    );
  }
  if (typeof options.skip_records_with_error === "boolean") {
  } else if (options.skip_records_with_error === void 0 || options.skip_records_with_error === null) {
    options.skip_records_with_error = false;
  } else {
    throw new Error(
      `Invalid Option: skip_records_with_error must be a boolean, got ${JSON.stringify(options.skip_records_with_error)}`
    );
  }
  if (options.rtrim === void 0 || options.rtrim === null || options.rtrim === false) {
    options.rtrim = false;
  } else if (options.rtrim !== true) {
    throw new Error(
      `Invalid Option: rtrim must be a boolean, got ${JSON.stringify(options.rtrim)}`
    );
  }
  if (options.ltrim === void 0 || options.ltrim === null || options.ltrim === false) {
    options.ltrim = false;
  } else if (options.ltrim !== true) {
    throw new Error(
      `Invalid Option: ltrim must be a boolean, got ${JSON.stringify(options.ltrim)}`
    );
  }
  if (options.trim === void 0 || options.trim === null || options.trim === false) {
    options.trim = false;
  } else if (options.trim !== true) {
    throw new Error(
      `Invalid Option: trim must be a boolean, got ${JSON.stringify(options.trim)}`
    );
  }
  if (options.trim === true && opts.ltrim !== false) {
    options.ltrim = true;
  } else if (options.ltrim !== true) {
    options.ltrim = false;
  }
  if (options.trim === true && opts.rtrim !== false) {
    options.rtrim = true;
  } else if (options.rtrim !== true) {
    options.rtrim = false;
  }
  if (options.to === void 0 || options.to === null) {
    options.to = -1;
  } else if (options.to !== -1) {
    if (typeof options.to === "string" && /\d+/.test(options.to)) {
      options.to = parseInt(options.to);
    }
    if (Number.isInteger(options.to)) {
      if (options.to <= 0) {
        throw new Error(
          `Invalid Option: to must be a positive integer greater than 0, got ${JSON.stringify(opts.to)}`
        );
      }
    } else {
      throw new Error(
        `Invalid Option: to must be an integer, got ${JSON.stringify(opts.to)}`
      );
    }
  }
  if (options.to_line === void 0 || options.to_line === null) {
    options.to_line = -1;
  } else if (options.to_line !== -1) {
    if (typeof options.to_line === "string" && /\d+/.test(options.to_line)) {
      options.to_line = parseInt(options.to_line);
    }
    if (Number.isInteger(options.to_line)) {
      if (options.to_line <= 0) {
        throw new Error(
          `Invalid Option: to_line must be a positive integer greater than 0, got ${JSON.stringify(opts.to_line)}`
        );
      }
    } else {
      throw new Error(
        `Invalid Option: to_line must be an integer, got ${JSON.stringify(opts.to_line)}`
      );
    }
  }
  return options;
};

// node_modules/csv-parse/lib/utils/delimiter_discover.js
var delimiter_discover = function(records, options) {
  if (!options) {
    ({ delimiter_auto: options } = normalize_options({ delimiter_auto: true }));
  }
  if (typeof records === "string") {
    records = Buffer.from(records);
  }
  if (Buffer.isBuffer(records)) {
    records = ((data) => {
      const records2 = [];
      const parser = transform({ delimiter: [] });
      const push = (record2) => records2.push(record2);
      const close = () => {
      };
      const error2 = parser.parse(data, true, push, close);
      if (error2 !== void 0) throw error2;
      return records2;
    })(records);
  }
  const info2 = Array(127).fill().map(() => ({ lines: [] }));
  records.map(([record2], line) => {
    for (let i = 0, l = record2.length; i < l; i++) {
      const code2 = record2.charCodeAt(i);
      if (info2[code2].lines[line] === void 0) info2[code2].lines[line] = 0;
      info2[code2].lines[line]++;
    }
  });
  info2.map((info3, i) => {
    info3.char_code = i;
    info3.std = std(info3.lines);
    info3.total = info3.lines.reduce((acc, val) => acc + val, 0);
    info3.preferred = !!options.preferred[i];
    info3.score = options.score(info3, options);
  });
  const result = info2.reduce(
    (acc, info3) => acc.score > info3.score ? acc : info3,
    {}
  );
  return String.fromCharCode(result.char_code);
};
var std = function(array) {
  const n = array.length;
  if (n === 0) return 0;
  const mean = array.reduce((a, b) => a + b) / n;
  return Math.sqrt(
    array.map((x) => Math.pow(x - mean, 2)).reduce((a, b) => a + b) / n
  );
};

// node_modules/csv-parse/lib/api/index.js
var isRecordEmpty = function(record2) {
  return record2.every(
    (field) => field == null || field.toString && field.toString().trim() === ""
  );
};
var cr = 13;
var nl = 10;
var boms = {
  // Note, the following are equals:
  // Buffer.from("\ufeff")
  // Buffer.from([239, 187, 191])
  // Buffer.from('EFBBBF', 'hex')
  utf8: Buffer.from([239, 187, 191]),
  // Note, the following are equals:
  // Buffer.from "\ufeff", 'utf16le
  // Buffer.from([255, 254])
  utf16le: Buffer.from([255, 254])
};
var transform = function(original_options = {}) {
  const info2 = {
    bytes: 0,
    bytes_records: 0,
    comment_lines: 0,
    empty_lines: 0,
    invalid_field_length: 0,
    lines: 1,
    records: 0
  };
  const options = normalize_options(original_options);
  return {
    info: info2,
    original_options,
    options,
    state: init_state(options),
    __needMoreData: function(i, bufLen, end) {
      if (end) return false;
      const { encoding, escape, quote } = this.options;
      const { quoting, needMoreDataSize, recordDelimiterMaxLength } = this.state;
      const numOfCharLeft = bufLen - i - 1;
      const requiredLength = Math.max(
        needMoreDataSize,
        // Skip if the remaining buffer smaller than record delimiter
        // If "record_delimiter" is yet to be discovered:
        // 1. It is equals to `[]` and "recordDelimiterMaxLength" equals `0`
        // 2. We set the length to windows line ending in the current encoding
        // Note, that encoding is known from user or bom discovery at that point
        // recordDelimiterMaxLength,
        recordDelimiterMaxLength === 0 ? Buffer.from("\r\n", encoding).length : recordDelimiterMaxLength,
        // Skip if remaining buffer can be an escaped quote
        quoting ? (escape === null ? 0 : escape.length) + quote.length : 0,
        // Skip if remaining buffer can be record delimiter following the closing quote
        quoting ? quote.length + recordDelimiterMaxLength : 0
      );
      return numOfCharLeft < requiredLength;
    },
    // Central parser implementation
    parse: function(nextBuf, end, push, close) {
      const {
        bom,
        comment_no_infix,
        delimiter_auto,
        encoding,
        from_line,
        ltrim,
        max_record_size,
        raw,
        relax_quotes,
        rtrim,
        skip_empty_lines,
        to,
        to_line
      } = this.options;
      let { comment, escape, quote, record_delimiter } = this.options;
      const {
        bomSkipped,
        delimiterDiscovered,
        delimiterBufPrevious,
        rawBuffer,
        escapeIsQuote
      } = this.state;
      if (!delimiterDiscovered && delimiter_auto) {
        let delimiterBuf;
        if (delimiterBufPrevious === void 0) {
          delimiterBuf = nextBuf;
        } else if (delimiterBufPrevious !== void 0 && nextBuf === void 0) {
          delimiterBuf = delimiterBufPrevious;
        } else {
          delimiterBuf = Buffer.concat([delimiterBufPrevious, nextBuf]);
        }
        nextBuf = void 0;
        if (end || delimiterBuf.length > delimiter_auto.size) {
          this.options.delimiter = [
            Buffer.from(
              delimiter_discover(delimiterBuf, this.options.delimiter_auto)
            )
          ];
          this.state.previousBuf = delimiterBuf;
          this.state.delimiterBufPrevious = void 0;
          this.state.delimiterDiscovered = true;
        } else {
          this.state.delimiterBufPrevious = delimiterBuf;
          return;
        }
      }
      const { previousBuf } = this.state;
      let buf;
      if (previousBuf === void 0) {
        if (nextBuf === void 0) {
          close();
          return;
        } else {
          buf = nextBuf;
        }
      } else if (previousBuf !== void 0 && nextBuf === void 0) {
        buf = previousBuf;
      } else {
        buf = Buffer.concat([previousBuf, nextBuf]);
      }
      if (bomSkipped === false) {
        if (bom === false) {
          this.state.bomSkipped = true;
        } else if (buf.length < 3) {
          if (end === false) {
            this.state.previousBuf = buf;
            return;
          }
        } else {
          for (const encoding2 in boms) {
            if (boms[encoding2].compare(buf, 0, boms[encoding2].length) === 0) {
              const bomLength = boms[encoding2].length;
              this.state.bufBytesStart += bomLength;
              buf = buf.slice(bomLength);
              const options2 = normalize_options({
                ...this.original_options,
                encoding: encoding2
              });
              for (const key in options2) {
                this.options[key] = options2[key];
              }
              ({ comment, escape, quote } = this.options);
              break;
            }
          }
          this.state.bomSkipped = true;
        }
      }
      const bufLen = buf.length;
      let pos;
      for (pos = 0; pos < bufLen; pos++) {
        if (this.__needMoreData(pos, bufLen, end)) {
          break;
        }
        if (this.state.wasRowDelimiter === true) {
          this.info.lines++;
          this.state.wasRowDelimiter = false;
        }
        if (to_line !== -1 && this.info.lines > to_line) {
          this.state.stop = true;
          close();
          return;
        }
        if (this.state.quoting === false && record_delimiter.length === 0) {
          const record_delimiterCount = this.__autoDiscoverRecordDelimiter(
            buf,
            pos
          );
          if (record_delimiterCount) {
            record_delimiter = this.options.record_delimiter;
          }
        }
        const chr = buf[pos];
        if (raw === true) {
          rawBuffer.append(chr);
        }
        if ((chr === cr || chr === nl) && this.state.wasRowDelimiter === false) {
          this.state.wasRowDelimiter = true;
        }
        if (this.state.escaping === true) {
          this.state.escaping = false;
        } else {
          if (escape !== null && this.state.quoting === true && this.__isEscape(buf, pos, chr) && pos + escape.length < bufLen) {
            if (escapeIsQuote) {
              if (this.__isQuote(buf, pos + escape.length)) {
                this.state.escaping = true;
                pos += escape.length - 1;
                continue;
              }
            } else {
              this.state.escaping = true;
              pos += escape.length - 1;
              continue;
            }
          }
          if (this.state.commenting === false && this.__isQuote(buf, pos)) {
            if (this.state.quoting === true) {
              const nextChr = buf[pos + quote.length];
              const isNextChrTrimable = rtrim && this.__isCharTrimable(buf, pos + quote.length);
              const isNextChrComment = comment !== null && this.__compareBytes(comment, buf, pos + quote.length, nextChr);
              const isNextChrDelimiter = this.__isDelimiter(
                buf,
                pos + quote.length,
                nextChr
              );
              const isNextChrRecordDelimiter = record_delimiter.length === 0 ? this.__autoDiscoverRecordDelimiter(buf, pos + quote.length) : this.__isRecordDelimiter(nextChr, buf, pos + quote.length);
              if (escape !== null && this.__isEscape(buf, pos, chr) && this.__isQuote(buf, pos + escape.length)) {
                pos += escape.length - 1;
              } else if (!nextChr || isNextChrDelimiter || isNextChrRecordDelimiter || isNextChrComment || isNextChrTrimable) {
                this.state.quoting = false;
                this.state.wasQuoting = true;
                pos += quote.length - 1;
                continue;
              } else if (relax_quotes === false) {
                const err = this.__error(
                  new CsvError(
                    "CSV_INVALID_CLOSING_QUOTE",
                    [
                      "Invalid Closing Quote:",
                      `got "${String.fromCharCode(nextChr)}"`,
                      `at line ${this.info.lines}`,
                      "instead of delimiter, record delimiter, trimable character",
                      "(if activated) or comment"
                    ],
                    this.options,
                    this.__infoField()
                  )
                );
                if (err !== void 0) return err;
              } else {
                this.state.quoting = false;
                this.state.wasQuoting = true;
                this.state.field.prepend(quote);
                pos += quote.length - 1;
              }
            } else {
              if (this.state.field.length !== 0) {
                if (relax_quotes === false) {
                  const info3 = this.__infoField();
                  const bom2 = Object.keys(boms).map(
                    (b) => boms[b].equals(this.state.field.toString()) ? b : false
                  ).filter(Boolean)[0];
                  const err = this.__error(
                    new CsvError(
                      "INVALID_OPENING_QUOTE",
                      [
                        "Invalid Opening Quote:",
                        `a quote is found on field ${JSON.stringify(info3.column)} at line ${info3.lines}, value is ${JSON.stringify(this.state.field.toString(encoding))}`,
                        bom2 ? `(${bom2} bom)` : void 0
                      ],
                      this.options,
                      info3,
                      {
                        field: this.state.field
                      }
                    )
                  );
                  if (err !== void 0) return err;
                }
              } else {
                this.state.quoting = true;
                pos += quote.length - 1;
                continue;
              }
            }
          }
          if (this.state.quoting === false) {
            const recordDelimiterLength = this.__isRecordDelimiter(
              chr,
              buf,
              pos
            );
            if (recordDelimiterLength !== 0) {
              const skipCommentLine = this.state.commenting && this.state.wasQuoting === false && this.state.record.length === 0 && this.state.field.length === 0;
              if (skipCommentLine) {
                this.info.comment_lines++;
              } else {
                if (this.state.enabled === false && this.info.lines + (this.state.wasRowDelimiter === true ? 1 : 0) >= from_line) {
                  this.state.enabled = true;
                  this.__resetField();
                  this.__resetRecord();
                  pos += recordDelimiterLength - 1;
                  continue;
                }
                if (skip_empty_lines === true && this.state.wasQuoting === false && this.state.record.length === 0 && this.state.field.length === 0) {
                  this.info.empty_lines++;
                  pos += recordDelimiterLength - 1;
                  continue;
                }
                this.info.bytes = this.state.bufBytesStart + pos;
                const errField = this.__onField();
                if (errField !== void 0) return errField;
                this.info.bytes = this.state.bufBytesStart + pos + recordDelimiterLength;
                const errRecord = this.__onRecord(push);
                if (errRecord !== void 0) return errRecord;
                if (to !== -1 && this.info.records >= to) {
                  this.state.stop = true;
                  close();
                  return;
                }
              }
              this.state.commenting = false;
              pos += recordDelimiterLength - 1;
              continue;
            }
            if (this.state.commenting) {
              continue;
            }
            if (comment !== null && (comment_no_infix === false || this.state.record.length === 0 && this.state.field.length === 0)) {
              const commentCount = this.__compareBytes(comment, buf, pos, chr);
              if (commentCount !== 0) {
                this.state.commenting = true;
                continue;
              }
            }
            const delimiterLength = this.__isDelimiter(buf, pos, chr);
            if (delimiterLength !== 0) {
              this.info.bytes = this.state.bufBytesStart + pos;
              const errField = this.__onField();
              if (errField !== void 0) return errField;
              pos += delimiterLength - 1;
              continue;
            }
          }
        }
        if (this.state.commenting === false) {
          if (max_record_size !== 0 && this.state.record_length + this.state.field.length > max_record_size) {
            return this.__error(
              new CsvError(
                "CSV_MAX_RECORD_SIZE",
                [
                  "Max Record Size:",
                  "record exceed the maximum number of tolerated bytes",
                  `of ${max_record_size}`,
                  `at line ${this.info.lines}`
                ],
                this.options,
                this.__infoField()
              )
            );
          }
        }
        const lappend = ltrim === false || this.state.quoting === true || this.state.field.length !== 0 || !this.__isCharTrimable(buf, pos);
        const rappend = rtrim === false || this.state.wasQuoting === false;
        if (lappend === true && rappend === true) {
          this.state.field.append(chr);
        } else if (rtrim === true && !this.__isCharTrimable(buf, pos)) {
          return this.__error(
            new CsvError(
              "CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE",
              [
                "Invalid Closing Quote:",
                "found non trimable byte after quote",
                `at line ${this.info.lines}`
              ],
              this.options,
              this.__infoField()
            )
          );
        } else {
          if (lappend === false) {
            pos += this.__isCharTrimable(buf, pos) - 1;
          }
          continue;
        }
      }
      if (end === true) {
        if (this.state.quoting === true) {
          const err = this.__error(
            new CsvError(
              "CSV_QUOTE_NOT_CLOSED",
              [
                "Quote Not Closed:",
                `the parsing is finished with an opening quote at line ${this.info.lines}`
              ],
              this.options,
              this.__infoField()
            )
          );
          if (err !== void 0) return err;
        } else {
          if (this.state.wasQuoting === true || this.state.record.length !== 0 || this.state.field.length !== 0) {
            this.info.bytes = this.state.bufBytesStart + pos;
            const errField = this.__onField();
            if (errField !== void 0) return errField;
            const errRecord = this.__onRecord(push);
            if (errRecord !== void 0) return errRecord;
          } else if (this.state.wasRowDelimiter === true) {
            this.info.empty_lines++;
          } else if (this.state.commenting === true) {
            this.info.comment_lines++;
          }
        }
      } else {
        this.state.bufBytesStart += pos;
        this.state.previousBuf = buf.slice(pos);
      }
      if (this.state.wasRowDelimiter === true) {
        this.info.lines++;
        this.state.wasRowDelimiter = false;
      }
    },
    __onRecord: function(push) {
      const {
        columns,
        group_columns_by_name,
        encoding,
        info: info3,
        from,
        relax_column_count,
        relax_column_count_less,
        relax_column_count_more,
        raw,
        skip_records_with_empty_values
      } = this.options;
      const { enabled, record: record2 } = this.state;
      if (enabled === false) {
        return this.__resetRecord();
      }
      const recordLength = record2.length;
      if (columns === true) {
        if (skip_records_with_empty_values === true && isRecordEmpty(record2)) {
          this.__resetRecord();
          return;
        }
        return this.__firstLineToColumns(record2);
      }
      if (columns === false && this.info.records === 0) {
        this.state.expectedRecordLength = recordLength;
      }
      if (recordLength !== this.state.expectedRecordLength) {
        const err = columns === false ? new CsvError(
          "CSV_RECORD_INCONSISTENT_FIELDS_LENGTH",
          [
            "Invalid Record Length:",
            `expect ${this.state.expectedRecordLength},`,
            `got ${recordLength} on line ${this.info.lines}`
          ],
          this.options,
          this.__infoField(),
          {
            record: record2
          }
        ) : new CsvError(
          "CSV_RECORD_INCONSISTENT_COLUMNS",
          [
            "Invalid Record Length:",
            `columns length is ${columns.length},`,
            // rename columns
            `got ${recordLength} on line ${this.info.lines}`
          ],
          this.options,
          this.__infoField(),
          {
            record: record2
          }
        );
        if (relax_column_count === true || relax_column_count_less === true && recordLength < this.state.expectedRecordLength || relax_column_count_more === true && recordLength > this.state.expectedRecordLength) {
          this.info.invalid_field_length++;
          this.state.error = err;
        } else {
          const finalErr = this.__error(err);
          if (finalErr) return finalErr;
        }
      }
      if (skip_records_with_empty_values === true && isRecordEmpty(record2)) {
        this.__resetRecord();
        return;
      }
      if (this.state.recordHasError === true) {
        this.__resetRecord();
        this.state.recordHasError = false;
        return;
      }
      this.info.records++;
      if (from === 1 || this.info.records >= from) {
        const { objname } = this.options;
        if (columns !== false) {
          const obj = {};
          for (let i = 0, l = record2.length; i < l; i++) {
            if (columns[i] === void 0 || columns[i].disabled) continue;
            if (group_columns_by_name === true && Object.hasOwn(obj, columns[i].name)) {
              if (Array.isArray(obj[columns[i].name])) {
                obj[columns[i].name] = obj[columns[i].name].concat(record2[i]);
              } else {
                obj[columns[i].name] = [obj[columns[i].name], record2[i]];
              }
            } else {
              Object.defineProperty(obj, columns[i].name, {
                value: record2[i],
                enumerable: true,
                writable: true,
                configurable: true
              });
            }
          }
          if (raw === true || info3 === true) {
            const extRecord = Object.assign(
              { record: obj },
              raw === true ? { raw: this.state.rawBuffer.toString(encoding) } : {},
              info3 === true ? { info: this.__infoRecord() } : {}
            );
            const err = this.__push(
              objname === void 0 ? extRecord : [obj[objname], extRecord],
              push
            );
            if (err) {
              return err;
            }
          } else {
            const err = this.__push(
              objname === void 0 ? obj : [obj[objname], obj],
              push
            );
            if (err) {
              return err;
            }
          }
        } else {
          if (raw === true || info3 === true) {
            const extRecord = Object.assign(
              { record: record2 },
              raw === true ? { raw: this.state.rawBuffer.toString(encoding) } : {},
              info3 === true ? { info: this.__infoRecord() } : {}
            );
            const err = this.__push(
              objname === void 0 ? extRecord : [record2[objname], extRecord],
              push
            );
            if (err) {
              return err;
            }
          } else {
            const err = this.__push(
              objname === void 0 ? record2 : [record2[objname], record2],
              push
            );
            if (err) {
              return err;
            }
          }
        }
      }
      this.__resetRecord();
    },
    __firstLineToColumns: function(record2) {
      const { firstLineToHeaders } = this.state;
      try {
        const headers = firstLineToHeaders === void 0 ? record2 : firstLineToHeaders.call(null, record2);
        if (!Array.isArray(headers)) {
          return this.__error(
            new CsvError(
              "CSV_INVALID_COLUMN_MAPPING",
              [
                "Invalid Column Mapping:",
                "expect an array from column function,",
                `got ${JSON.stringify(headers)}`
              ],
              this.options,
              this.__infoField(),
              {
                headers
              }
            )
          );
        }
        const normalizedHeaders = normalize_columns_array(headers);
        this.state.expectedRecordLength = normalizedHeaders.length;
        this.options.columns = normalizedHeaders;
        this.__resetRecord();
        return;
      } catch (err) {
        return err;
      }
    },
    __resetRecord: function() {
      if (this.options.raw === true) {
        this.state.rawBuffer.reset();
      }
      this.state.error = void 0;
      this.state.record = [];
      this.state.record_length = 0;
    },
    __onField: function() {
      const { cast, encoding, rtrim, max_record_size } = this.options;
      const { enabled, wasQuoting } = this.state;
      if (enabled === false) {
        return this.__resetField();
      }
      let field = this.state.field.toString(encoding);
      if (rtrim === true && wasQuoting === false) {
        field = field.trimRight();
      }
      if (cast === true) {
        const [err, f] = this.__cast(field);
        if (err !== void 0) return err;
        field = f;
      }
      this.state.record.push(field);
      if (max_record_size !== 0 && typeof field === "string") {
        this.state.record_length += field.length;
      }
      this.__resetField();
    },
    __resetField: function() {
      this.state.field.reset();
      this.state.wasQuoting = false;
    },
    __push: function(record2, push) {
      const { on_record } = this.options;
      if (on_record !== void 0) {
        const info3 = this.__infoRecord();
        try {
          record2 = on_record.call(null, record2, info3);
        } catch (err) {
          return err;
        }
        if (record2 === void 0 || record2 === null) {
          return;
        }
      }
      this.info.bytes_records += this.info.bytes;
      push(record2);
    },
    // Return a tuple with the error and the casted value
    __cast: function(field) {
      const { columns, relax_column_count } = this.options;
      const isColumns = Array.isArray(columns);
      if (isColumns === true && relax_column_count && this.options.columns.length <= this.state.record.length) {
        return [void 0, void 0];
      }
      if (this.state.castField !== null) {
        try {
          const info3 = this.__infoField();
          return [void 0, this.state.castField.call(null, field, info3)];
        } catch (err) {
          return [err];
        }
      }
      if (this.__isFloat(field)) {
        return [void 0, parseFloat(field)];
      } else if (this.options.cast_date !== false) {
        const info3 = this.__infoField();
        return [void 0, this.options.cast_date.call(null, field, info3)];
      }
      return [void 0, field];
    },
    __compareBytes: function(sourceBuf, targetBuf, targetPos, firstByte) {
      if (sourceBuf[0] !== firstByte) return 0;
      const sourceLength = sourceBuf.length;
      for (let i = 1; i < sourceLength; i++) {
        if (sourceBuf[i] !== targetBuf[targetPos + i]) return 0;
      }
      return sourceLength;
    },
    // Helper to test if a character is trimable
    __isCharTrimable: function(buf, pos) {
      const { timchars, timcharFirstBytes } = this.state;
      const first = buf[pos];
      if (first === void 0 || timcharFirstBytes[first] === 0) return 0;
      loop1: for (let i = 0; i < timchars.length; i++) {
        const timchar = timchars[i];
        for (let j = 0; j < timchar.length; j++) {
          if (timchar[j] !== buf[pos + j]) continue loop1;
        }
        return timchar.length;
      }
      return 0;
    },
    __isDelimiter: function(buf, pos, chr) {
      const { delimiter: delimiter2, ignore_last_delimiters } = this.options;
      if (ignore_last_delimiters === true && this.state.record.length === this.options.columns.length - 1) {
        return 0;
      } else if (ignore_last_delimiters !== false && typeof ignore_last_delimiters === "number" && this.state.record.length === ignore_last_delimiters - 1) {
        return 0;
      }
      loop1: for (let i = 0; i < delimiter2.length; i++) {
        const del = delimiter2[i];
        if (del[0] === chr) {
          for (let j = 1; j < del.length; j++) {
            if (del[j] !== buf[pos + j]) continue loop1;
          }
          return del.length;
        }
      }
      return 0;
    },
    __isEscape: function(buf, pos, chr) {
      const { escape } = this.options;
      if (escape === null) return false;
      const l = escape.length;
      if (escape[0] === chr) {
        for (let i = 0; i < l; i++) {
          if (escape[i] !== buf[pos + i]) {
            return false;
          }
        }
        return true;
      }
      return false;
    },
    __isFloat: function(value2) {
      return value2 - parseFloat(value2) + 1 >= 0;
    },
    // Keep it in case we implement the `cast_int` option
    // __isInt(value){
    //   // return Number.isInteger(parseInt(value))
    //   // return !isNaN( parseInt( obj ) );
    //   return /^(\-|\+)?[1-9][0-9]*$/.test(value)
    // }
    __isQuote: function(buf, pos) {
      const { quote } = this.options;
      if (quote === null) return false;
      const l = quote.length;
      for (let i = 0; i < l; i++) {
        if (quote[i] !== buf[pos + i]) {
          return false;
        }
      }
      return true;
    },
    __isRecordDelimiter: function(chr, buf, pos) {
      const { record_delimiter } = this.options;
      const recordDelimiterLength = record_delimiter.length;
      loop1: for (let i = 0; i < recordDelimiterLength; i++) {
        const rd = record_delimiter[i];
        const rdLength = rd.length;
        if (rd[0] !== chr) {
          continue;
        }
        for (let j = 1; j < rdLength; j++) {
          if (rd[j] !== buf[pos + j]) {
            continue loop1;
          }
        }
        return rd.length;
      }
      return 0;
    },
    __autoDiscoverRecordDelimiter: function(buf, pos) {
      const { encoding } = this.options;
      const rds = [
        // Important, the windows line ending must be before mac os 9
        Buffer.from("\r\n", encoding),
        Buffer.from("\n", encoding),
        Buffer.from("\r", encoding)
      ];
      loop: for (let i = 0; i < rds.length; i++) {
        const l = rds[i].length;
        for (let j = 0; j < l; j++) {
          if (rds[i][j] !== buf[pos + j]) {
            continue loop;
          }
        }
        this.options.record_delimiter.push(rds[i]);
        this.state.recordDelimiterMaxLength = rds[i].length;
        return rds[i].length;
      }
      return 0;
    },
    __error: function(msg) {
      const { encoding, raw, skip_records_with_error } = this.options;
      const err = typeof msg === "string" ? new Error(msg) : msg;
      if (skip_records_with_error) {
        this.state.recordHasError = true;
        if (this.options.on_skip !== void 0) {
          try {
            this.options.on_skip(
              err,
              raw ? this.state.rawBuffer.toString(encoding) : void 0
            );
          } catch (err2) {
            return err2;
          }
        }
        return void 0;
      } else {
        return err;
      }
    },
    __infoDataSet: function() {
      return {
        ...this.info,
        columns: this.options.columns
      };
    },
    __infoRecord: function() {
      const { columns, raw, encoding } = this.options;
      return {
        ...this.__infoDataSet(),
        bytes_records: this.info.bytes,
        error: this.state.error,
        header: columns === true,
        index: this.state.record.length,
        raw: raw ? this.state.rawBuffer.toString(encoding) : void 0
      };
    },
    __infoField: function() {
      const { columns } = this.options;
      const isColumns = Array.isArray(columns);
      const bytes_records = this.info.bytes_records;
      return {
        ...this.__infoRecord(),
        bytes_records,
        column: isColumns === true ? columns.length > this.state.record.length ? columns[this.state.record.length].name : null : this.state.record.length,
        quoting: this.state.wasQuoting
      };
    }
  };
};

// node_modules/csv-parse/lib/sync.js
var parse = function(data, opts = {}) {
  if (typeof data === "string") {
    data = Buffer.from(data);
  }
  const records = opts && opts.objname ? /* @__PURE__ */ Object.create(null) : [];
  const parser = transform(opts);
  const push = (record2) => {
    if (parser.options.objname === void 0) records.push(record2);
    else {
      records[record2[0]] = record2[1];
    }
  };
  const close = () => {
  };
  const error2 = parser.parse(data, true, push, close);
  if (error2 !== void 0) throw error2;
  return records;
};

// src/secrets.ts
var masked = /* @__PURE__ */ new Set();
function maskSecret(value2) {
  if (!value2) return;
  setSecret(value2);
  if (value2.length < 3) return;
  masked.add(value2);
  for (const line of value2.split(/\r?\n/)) if (line.trim().length >= 3 && line !== value2) masked.add(line);
}
function secretEnvNames(secrets) {
  const names = [];
  for (const entry of secrets) {
    const fields2 = {};
    for (const field of entry.split(",")) {
      const eq = field.indexOf("=");
      if (eq <= 0) continue;
      const key = field.slice(0, eq).trim().toLowerCase();
      fields2[key === "source" ? "src" : key] = field.slice(eq + 1).trim();
    }
    let env = fields2.env ?? "";
    let src = fields2.src ?? "";
    if (fields2.type === "env" && !env) {
      env = src;
      src = "";
    }
    if (!env && !src) env = fields2.id ?? "";
    if (env) names.push(env);
  }
  return names;
}
function toRedact(more) {
  return [...masked, ...more.filter((s) => s && s.length >= 3)].sort((a, b) => b.length - a.length);
}
function replaceAll(text2, secrets) {
  let out = text2;
  for (const s of secrets) out = out.split(s).join("***");
  return out;
}
function redactSecrets(text2, more = []) {
  return replaceAll(text2, toRedact(more));
}
function redactAll(value2, more = []) {
  const secrets = toRedact(more);
  const walk = (v) => {
    if (typeof v === "string") return replaceAll(v, secrets);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return secrets.length ? walk(value2) : value2;
}
function looksSecret(name) {
  return /TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|CREDENTIAL|APIKEY|PRIVATE_?KEY/i.test(name) || name.toUpperCase().split("_").some((word) => ["PASS", "PWD", "KEY", "AUTH"].includes(word));
}

// src/test-options.ts
var SIZE = /^\d+(\.\d+)?([kmgt]i?b?|b)?$/i;
var PATH = /^\/[^\s:]*$/;
var ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
var DEVICES = [/^\/dev\/(fuse|kvm|net\/tun|nvidiactl|nvidia-uvm|nvidia-uvm-tools|nvidia-modeset)$/, /^\/dev\/nvidia\d+$/, /^\/dev\/dri\/(card|renderD)\d+$/, /^\/dev\/snd\/[\w]+$/];
var DEVICES_SHOWN = "/dev/fuse, /dev/kvm, /dev/net/tun, /dev/nvidia*, /dev/dri/card* and renderD*, /dev/snd/*";
var OPTIONS = [
  { name: "--gpus", accepts: "`all`, a count, or `device=...` / `count=...,capabilities=...`", valid: (v) => /^(all|\d+|"?[a-z]+=[\w.,=:-]+"?)$/i.test(v) },
  { name: "--shm-size", accepts: "a size such as 256m or 2g", valid: (v) => SIZE.test(v) },
  { name: "--env", aliases: ["-e"], accepts: "NAME or NAME=value", valid: (v) => ENV_NAME.test(v.split("=")[0]) },
  { name: "--tmpfs", accepts: "an absolute path in the container, with :options", valid: (v) => /^\/[^\s:]*(:[\w=,.-]+)?$/.test(v) },
  { name: "--ulimit", accepts: "nofile, nproc, memlock, stack or core =soft[:hard], such as nofile=1024:2048", valid: (v) => /^(nofile|nproc|memlock|stack|core)=-?\d+(:-?\d+)?$/.test(v) },
  { name: "--network", aliases: ["--net"], accepts: "none, bridge or host", valid: (v) => ["none", "bridge", "host"].includes(v) },
  { name: "--user", aliases: ["-u"], accepts: "a user or uid, with :group", valid: (v) => /^[\w.-]+(:[\w.-]+)?$/.test(v) },
  { name: "--workdir", aliases: ["-w"], accepts: "an absolute path in the container", valid: (v) => PATH.test(v) },
  { name: "--memory", aliases: ["-m"], accepts: "a size such as 512m or 4g", valid: (v) => SIZE.test(v) },
  { name: "--cpus", accepts: "a number of CPUs such as 1.5", valid: (v) => /^\d+(\.\d+)?$/.test(v) && Number(v) > 0 },
  {
    name: "--device",
    accepts: `one of ${DEVICES_SHOWN}, with :/dev/path in the container and :rwm`,
    valid: (v) => {
      const [host = "", inside, mode] = v.split(":");
      const insideOk = inside === void 0 || /^\/dev\/[\w/-]+$/.test(inside) && !inside.includes("..") || mode === void 0 && /^[rwm]{1,3}$/.test(inside);
      return DEVICES.some((d) => d.test(host)) && insideOk && (mode === void 0 || /^[rwm]{1,3}$/.test(mode));
    }
  },
  { name: "--ipc", accepts: "none, private, shareable or host", valid: (v) => ["none", "private", "shareable", "host"].includes(v) }
];
var LIST = OPTIONS.map((o) => [o.name, ...o.aliases ?? []].join("/")).join(", ");
function splitWords(text2) {
  const words = [];
  let word;
  let quote;
  for (const ch of text2) {
    if (quote) {
      if (ch === quote) quote = void 0;
      else word += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      word ??= "";
    } else if (/\s/.test(ch)) {
      if (word !== void 0) words.push(word);
      word = void 0;
    } else {
      word = (word ?? "") + ch;
    }
  }
  if (quote) throw new UserError(`Input 'test-options' has an unclosed ${quote} quote: close it, or leave quotes out.`);
  if (word !== void 0) words.push(word);
  return words;
}
function parseTestOptions(text2) {
  const words = splitWords(text2);
  const options = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    const eq = word.startsWith("--") ? word.indexOf("=") : -1;
    const given = eq > 0 ? word.slice(0, eq) : word;
    const spec = OPTIONS.find((o) => o.name === given || o.aliases?.includes(given));
    if (!spec) {
      const why = given.startsWith("-") ? `'${given}' is not an option autobuild gives the test container` : `'${given}' is not an option (a second image or a command goes in test-command)`;
      throw new UserError(`Input 'test-options': ${why}. Accepted: ${LIST}.`);
    }
    let value2;
    if (eq > 0) value2 = word.slice(eq + 1);
    else value2 = words[++i];
    if (value2 === void 0 || value2 === "") throw new UserError(`Input 'test-options': ${given} needs a value: ${spec.accepts}.`);
    if (!spec.valid(value2)) throw new UserError(`Input 'test-options' has an invalid value '${value2}' for ${given}: expected ${spec.accepts}.`);
    options.push({ name: spec.name, value: value2 });
    const [envName = "", ...rest] = spec.name === "--env" ? value2.split("=") : [];
    if (rest.length && looksSecret(envName)) maskSecret(rest.join("="));
  }
  return options;
}
function reachesHost(o) {
  return o.name === "--env" && !o.value.includes("=") || (o.name === "--network" || o.name === "--ipc") && o.value === "host" || o.name === "--device";
}
function testOptionArgs(options, trusted) {
  const args = [];
  const dropped = [];
  for (const o of options) {
    if (!trusted && reachesHost(o)) {
      dropped.push(`${o.name} ${o.value}`);
      continue;
    }
    args.push(`${o.name}=${o.value}`);
  }
  return { args, dropped };
}

// src/plan/metadata.ts
var pep4402 = __toESM(require_pep440(), 1);
var semver2 = __toESM(require_semver(), 1);

// src/plan/expressions.ts
var ExpressionError = class extends Error {
  name = "ExpressionError";
};
var TOKEN = /\s*(?:([A-Za-z_][\w-]*)\s*=\s*(?:'([^']*)'|"([^"]*)"|([^\s'"]+))|'([^']*)'|"([^"]*)"|([^\s'"=]+))/y;
function parseCall(body, whole) {
  const text2 = body.trim();
  if (!text2) throw new ExpressionError(`empty expression ${whole}`);
  if (/^[#/^>!&]/.test(text2)) throw new ExpressionError(`${whole} is a Handlebars block or partial; only plain expressions such as {{branch}} are supported`);
  const parts = [];
  TOKEN.lastIndex = 0;
  let rest = text2;
  while (rest.trim()) {
    TOKEN.lastIndex = 0;
    const m = TOKEN.exec(rest);
    if (!m) throw new ExpressionError(`cannot read ${whole}`);
    if (m[1] !== void 0) parts.push({ key: m[1], text: m[2] ?? m[3] ?? m[4] ?? "", bare: m[4] !== void 0 });
    else parts.push({ text: m[5] ?? m[6] ?? m[7] ?? "", bare: m[7] !== void 0 });
    rest = rest.slice(m[0].length);
  }
  const [head, ...tail2] = parts;
  if (!head || head.key !== void 0) throw new ExpressionError(`${whole} does not start with a name`);
  const call2 = { name: head.text, args: [], options: {}, bare: /* @__PURE__ */ new Set() };
  for (const p of tail2) {
    if (p.key === void 0) {
      if (p.bare) call2.bare.add(call2.args.length);
      call2.args.push(p.text);
    } else {
      if (p.bare) call2.bare.add(p.key);
      call2.options[p.key] = p.text;
    }
  }
  return call2;
}
var DATE_NAMES = ["date", "commit_date"];
var quoted = (text2) => text2.includes("'") ? `"${text2}"` : `'${text2}'`;
function checkDateCall(call2, whole) {
  if (!DATE_NAMES.includes(call2.name)) return;
  const accepted = `(accepted: {{${call2.name} 'FORMAT'}}, optionally with tz='ZONE', e.g. {{${call2.name} 'YYYYMMDD' tz='Europe/Paris'}})`;
  const fixed = `{{${[call2.name, ...call2.args.map(quoted), ...Object.entries(call2.options).map(([k, v]) => `${k}=${quoted(v)}`)].join(" ")}}}`;
  if (call2.bare.has(0)) {
    throw new ExpressionError(
      `${whole} has its format without quotes: metadata-action reads a bare word there as the name of a value, not as a format, and gives its default date instead; use ${fixed} with the format in quotes ${accepted}`
    );
  }
  if (call2.args.length === 0) throw new ExpressionError(`${whole} has no format, and metadata-action fails without one; give it one in quotes ${accepted}`);
  if (call2.args.length > 1) throw new ExpressionError(`${whole} has more than one format, and metadata-action fails on that ${accepted}`);
  if (call2.bare.has("tz")) {
    throw new ExpressionError(
      `${whole} has its time zone without quotes: metadata-action reads a bare word there as the name of a value, and fails; use ${fixed} with the zone in quotes ${accepted}`
    );
  }
}
function checkDateArguments(template) {
  for (const m of template.matchAll(/\{\{\{?([^}]*)\}?\}\}/g)) {
    const name = /^\s*([^\s}]+)/.exec(m[1] ?? "")?.[1];
    if (name && DATE_NAMES.includes(name)) checkDateCall(parseCall(m[1], m[0]), m[0]);
  }
}
function expressionNames(template) {
  const names = [];
  for (const m of template.matchAll(/\{\{\{?([^}]*)\}?\}\}/g)) {
    const name = /^\s*([^\s}]+)/.exec(m[1] ?? "")?.[1];
    if (name) names.push(name);
  }
  return names;
}
function isSingleExpression(template, name) {
  return new RegExp(`^\\{\\{\\s*${name}\\s*\\}\\}$`).test(template);
}
function render(template, helpers) {
  return template.replace(/\{\{\{?([^}]*)\}?\}\}/g, (whole, body) => {
    const call2 = parseCall(body, whole);
    checkDateCall(call2, whole);
    const helper = Object.prototype.hasOwnProperty.call(helpers, call2.name) ? helpers[call2.name] : void 0;
    if (!helper) {
      throw new ExpressionError(`unknown expression ${whole} (known here: ${Object.keys(helpers).map((n) => `{{${n}}}`).join(" ")})`);
    }
    return helper(call2.args, call2.options);
  });
}
function value(v) {
  return () => v;
}
var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
var DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
function fieldsIn(date, timeZone) {
  let fmt;
  try {
    fmt = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric"
    });
  } catch {
    throw new ExpressionError(`unknown time zone tz='${timeZone}' (use an IANA name such as UTC or Europe/Paris)`);
  }
  const parts = {};
  for (const p of fmt.formatToParts(date)) if (p.type !== "literal") parts[p.type] = Number(p.value);
  const year = parts.year;
  const month = parts.month;
  const day = parts.day;
  const hour = parts.hour % 24;
  const minute = parts.minute;
  const second = parts.second;
  const ms = date.getUTCMilliseconds();
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  return {
    year,
    month,
    day,
    hour,
    minute,
    second,
    ms,
    weekday: new Date(Date.UTC(year, month - 1, day)).getUTCDay(),
    offsetMinutes: Math.round((asUtc - date.getTime()) / 6e4)
  };
}
function pad(n, width) {
  return String(Math.abs(Math.trunc(n))).padStart(width, "0");
}
function ordinal(n) {
  const mod100 = n % 100;
  if (mod100 >= 11 && mod100 <= 13) return `${n}th`;
  return `${n}${["th", "st", "nd", "rd"][n % 10] ?? "th"}`;
}
function isoWeek(f) {
  const d = new Date(Date.UTC(f.year, f.month - 1, f.day));
  const dayNum = (f.weekday + 6) % 7;
  d.setUTCDate(d.getUTCDate() - dayNum + 3);
  const weekYear = d.getUTCFullYear();
  const firstThursday = new Date(Date.UTC(weekYear, 0, 4));
  const week = 1 + Math.round(((d.getTime() - firstThursday.getTime()) / 864e5 - 3 + (firstThursday.getUTCDay() + 6) % 7) / 7);
  return { week, year: weekYear };
}
function offset(minutes, colon) {
  const sign = minutes < 0 ? "-" : "+";
  const m = Math.abs(minutes);
  return `${sign}${pad(Math.floor(m / 60), 2)}${colon ? ":" : ""}${pad(m % 60, 2)}`;
}
var DATE_TOKENS = /\[([^\]]*)\]|YYYY|YY|Q|MMMM|MMM|MM|M|DDDD|DDD|Do|DD|D|dddd|ddd|dd|d|E|HH|H|hh|h|kk|k|mm|m|ss|s|SSS|SS|S|A|a|ZZ|Z|X|x|WW|W|GGGG/g;
function formatDate(date, format, timeZone = "UTC") {
  if (Number.isNaN(date.getTime())) throw new ExpressionError("the date is not known");
  const f = fieldsIn(date, timeZone);
  const dayOfYear = Math.round((Date.UTC(f.year, f.month - 1, f.day) - Date.UTC(f.year, 0, 1)) / 864e5) + 1;
  const h12 = f.hour % 12 === 0 ? 12 : f.hour % 12;
  return format.replace(DATE_TOKENS, (token, literal) => {
    if (literal !== void 0) return literal;
    switch (token) {
      case "YYYY":
        return pad(f.year, 4);
      case "YY":
        return pad(f.year % 100, 2);
      case "Q":
        return String(Math.floor((f.month - 1) / 3) + 1);
      case "MMMM":
        return MONTHS[f.month - 1];
      case "MMM":
        return MONTHS[f.month - 1].slice(0, 3);
      case "MM":
        return pad(f.month, 2);
      case "M":
        return String(f.month);
      case "DDDD":
        return pad(dayOfYear, 3);
      case "DDD":
        return String(dayOfYear);
      case "Do":
        return ordinal(f.day);
      case "DD":
        return pad(f.day, 2);
      case "D":
        return String(f.day);
      case "dddd":
        return DAYS[f.weekday];
      case "ddd":
        return DAYS[f.weekday].slice(0, 3);
      case "dd":
        return DAYS[f.weekday].slice(0, 2);
      case "d":
        return String(f.weekday);
      case "E":
        return String(f.weekday === 0 ? 7 : f.weekday);
      case "HH":
        return pad(f.hour, 2);
      case "H":
        return String(f.hour);
      case "hh":
        return pad(h12, 2);
      case "h":
        return String(h12);
      case "kk":
        return pad(f.hour === 0 ? 24 : f.hour, 2);
      case "k":
        return String(f.hour === 0 ? 24 : f.hour);
      case "mm":
        return pad(f.minute, 2);
      case "m":
        return String(f.minute);
      case "ss":
        return pad(f.second, 2);
      case "s":
        return String(f.second);
      case "SSS":
        return pad(f.ms, 3);
      case "SS":
        return pad(Math.floor(f.ms / 10), 2);
      case "S":
        return String(Math.floor(f.ms / 100));
      case "A":
        return f.hour < 12 ? "AM" : "PM";
      case "a":
        return f.hour < 12 ? "am" : "pm";
      case "ZZ":
        return offset(f.offsetMinutes, false);
      case "Z":
        return offset(f.offsetMinutes, true);
      case "X":
        return String(Math.floor(date.getTime() / 1e3));
      case "x":
        return String(date.getTime());
      case "WW":
        return pad(isoWeek(f).week, 2);
      case "W":
        return String(isoWeek(f).week);
      case "GGGG":
        return pad(isoWeek(f).year, 4);
      default:
        return token;
    }
  });
}
function dateHelper(date, what) {
  return (args, options) => {
    for (const key of Object.keys(options)) {
      if (key !== "tz") throw new ExpressionError(`unknown option ${key}= for {{${what}}} (accepted: tz)`);
    }
    if (!date) throw new ExpressionError(`{{${what}}} is not known for this run`);
    return formatDate(date, args[0], options.tz ?? "UTC");
  };
}

// src/plan/regex.ts
var SLASHED = /^\/(.+)\/([A-Za-z]*)$/;
function slashedRegex(text2) {
  const m = SLASHED.exec(text2);
  return m ? { source: m[1], flags: m[2] } : void 0;
}
function compileRegex(text2, options) {
  const slashed = slashedRegex(text2);
  if (!slashed) {
    if (!options.bare) throw new Error(`${text2} is not written /regex/ or /regex/flags`);
    return new RegExp(text2);
  }
  if (options.flags !== void 0) {
    const bad = [...slashed.flags].filter((f) => !options.flags.includes(f));
    if (bad.length) throw new Error(`flag${bad.length === 1 ? "" : "s"} '${bad.join("")}' ${bad.length === 1 ? "is" : "are"} not accepted (accepted: ${[...options.flags].join(", ") || "none"})`);
  }
  return new RegExp(slashed.source, slashed.flags);
}
function groupCount(regex) {
  return new RegExp(`${regex.source}|`).exec("").length - 1;
}

// src/plan/semver.ts
var pep440 = __toESM(require_pep440(), 1);
var semver = __toESM(require_semver(), 1);
function releaseVersion(tag) {
  return semver.parse(tag.trim().replace(/^v/i, ""), { loose: false }) ?? void 0;
}
function parseVersion(scheme, text2) {
  if (scheme === "semver") {
    const v = semver.valid(text2) ? semver.parse(text2) : null;
    if (!v) return void 0;
    return { text: v.version, major: v.major, minor: v.minor, prerelease: v.prerelease.length > 0 };
  }
  if (!pep440.valid(text2)) return void 0;
  const e = pep440.explain(text2);
  if (!e) return void 0;
  return {
    text: pep440.clean(text2) ?? text2,
    major: pep440.major(text2),
    minor: pep440.minor(text2),
    prerelease: e.is_prerelease || e.is_devrelease || e.is_postrelease
  };
}
function greater(scheme, a, b) {
  return scheme === "semver" ? semver.gt(a, b) : pep440.gt(a, b);
}
function allAffixes(release) {
  const out = [{ prefix: "", suffix: "" }, ...release.affixes];
  return out.filter((a, i) => out.findIndex((b) => b.prefix === a.prefix && b.suffix === a.suffix) === i);
}
function releasesIn(tags, release) {
  const found = /* @__PURE__ */ new Set();
  for (const tag of tags) {
    for (const { prefix, suffix } of allAffixes(release)) {
      if (!tag.startsWith(prefix) || !tag.endsWith(suffix) || tag.length <= prefix.length + suffix.length) continue;
      const v = parseVersion(release.scheme, tag.slice(prefix.length, tag.length - suffix.length));
      if (v && !v.prerelease) found.add(v.text);
    }
  }
  return [...found];
}
function affixesOf(tags, version) {
  const out = [];
  for (const t of tags) {
    const at = t.tag.indexOf(version);
    if (at < 0 || t.moves) continue;
    const a = { prefix: t.tag.slice(0, at), suffix: t.tag.slice(at + version.length) };
    if (!out.some((b) => b.prefix === a.prefix && b.suffix === a.suffix)) out.push(a);
  }
  return out;
}
function scopeOf(moves, v) {
  return moves === "latest" ? "release" : moves === "major" ? `${v.major}.x release` : `${v.major}.${v.minor}.x release`;
}
function heldMovingTags(tags, release, listing) {
  const held = /* @__PURE__ */ new Map();
  if (!release) return held;
  const self = parseVersion(release.scheme, release.version);
  if (!self) return held;
  const existing = "tags" in listing ? releasesIn(listing.tags, release) : [];
  for (const t of tags) {
    if (!t.moves) continue;
    if (t.moves === "latest" && release.forceLatest) continue;
    if ("error" in listing) {
      held.set(t.tag, `the registry's tags could not be listed (${listing.error}), so it is not known whether a newer release exists${t.moves === "latest" ? "; flavor latest=true pushes latest anyway" : ""}`);
      continue;
    }
    const newer = existing.map((text2) => parseVersion(release.scheme, text2)).filter((v) => (t.moves === "latest" || v.major === self.major) && (t.moves !== "minor" || v.minor === self.minor)).filter((v) => greater(release.scheme, v.text, self.text)).sort((a, b) => greater(release.scheme, a.text, b.text) ? -1 : 1);
    if (newer.length) {
      held.set(t.tag, `${newer[0].text} is a newer ${scopeOf(t.moves, self)} than ${self.text}${t.moves === "latest" ? " (flavor latest=true pushes it anyway)" : ""}`);
    }
  }
  return held;
}

// src/plan/tags.ts
import { createHash } from "node:crypto";
var TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
var TAG_RULE = "1-128 letters, digits, '_', '.' and '-', not starting with '.' or '-'";
function isValidTag(tag) {
  return TAG.test(tag);
}
function hash8(text2) {
  return createHash("sha256").update(text2).digest("hex").slice(0, 8);
}
function sanitizeTag(name, options = {}) {
  let tag = (options.lower ? name.toLowerCase() : name).replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^[.-]+/, "");
  if (tag.length > 128) tag = `${tag.slice(0, 119).replace(/[.-]+$/, "")}-${hash8(name)}`;
  return tag || `ref-${hash8(name)}`;
}
function shortSha(sha, length = 7) {
  return sha.slice(0, length);
}
function dedupeTags(tags) {
  const out = [];
  const at = /* @__PURE__ */ new Map();
  for (const t of tags) {
    const i = at.get(t.tag);
    if (i === void 0) at.set(t.tag, out.push(t) - 1);
    else if (out[i].fromBranch && !t.fromBranch) out[i] = t;
  }
  return out;
}

// src/plan/metadata.ts
var TAG_TYPES = ["schedule", "semver", "pep440", "match", "edge", "ref", "raw", "sha"];
var DEFAULT_PRIORITY = {
  schedule: 1e3,
  semver: 900,
  pep440: 900,
  match: 800,
  edge: 700,
  ref: 600,
  raw: 200,
  sha: 100
};
var COMMON = ["type", "enable", "priority", "prefix", "suffix"];
var ATTRIBUTES = {
  schedule: ["pattern"],
  semver: ["pattern", "value", "match"],
  pep440: ["pattern", "value", "match"],
  match: ["pattern", "group", "value"],
  edge: ["branch"],
  ref: ["event"],
  raw: ["value"],
  sha: ["format"]
};
var DEFAULT_FLAVOR = { latest: "auto", prefix: "", prefixLatest: false, suffix: "", suffixLatest: false };
function lines(value2) {
  return value2.split(/\r?\n/).map((s) => s.trim()).filter((s) => s && !s.startsWith("#"));
}
function fields(input, line, n) {
  let rows;
  try {
    rows = parse(line, { relaxColumnCount: true, skipEmptyLines: true });
  } catch (error2) {
    throw new UserError(
      `Input '${input}', line ${n} ('${line}') cannot be read: ${error2.message.split("\n")[0]}. Quote a whole field that holds a comma or a quote: "value=a,b".`
    );
  }
  return (rows[0] ?? []).map((field) => {
    const eq = field.indexOf("=");
    return eq < 0 ? [void 0, field.trim()] : [field.slice(0, eq).trim().toLowerCase(), field.slice(eq + 1).trim()];
  });
}
function tagsError(n, text2, message) {
  throw new UserError(`Input 'tags', line ${n} ('${text2}'): ${message}.`);
}
function parseTagRules(input) {
  const rules = [];
  lines(input).forEach((text2, i) => {
    const n = i + 1;
    const attrs = {};
    let type = "raw";
    for (const [key, val] of fields("tags", text2, n)) {
      if (key === void 0) {
        attrs.value = val;
      } else if (key === "type") {
        if (!TAG_TYPES.includes(val)) tagsError(n, text2, `unknown type '${val}' (accepted: ${TAG_TYPES.join(", ")})`);
        type = val;
      } else {
        attrs[key] = val;
      }
    }
    const accepted = [...COMMON, ...ATTRIBUTES[type]];
    for (const key of Object.keys(attrs)) {
      if (!accepted.includes(key)) tagsError(n, text2, `unknown attribute '${key}' for type=${type} (accepted: ${accepted.join(", ")})`);
    }
    const has = (k) => Object.prototype.hasOwnProperty.call(attrs, k);
    switch (type) {
      case "schedule":
        if (!has("pattern")) attrs.pattern = "nightly";
        break;
      case "semver":
      case "pep440":
        if (!has("pattern") || !attrs.pattern) tagsError(n, text2, `type=${type} needs a pattern, e.g. pattern={{version}} or pattern={{major}}.{{minor}}`);
        attrs.value ??= "";
        attrs.match ??= "";
        if (attrs.match) {
          const regex = checkRegex(n, text2, "match", attrs.match);
          if (groupCount(regex) < 1) tagsError(n, text2, `match=${attrs.match} has no capture group; the version is group 1, e.g. match=v(\\d.*)`);
        }
        break;
      case "match":
        if (!has("pattern") || !attrs.pattern) tagsError(n, text2, "type=match needs a pattern (a regular expression), e.g. pattern=v(.*),group=1");
        attrs.group ??= "0";
        if (!/^\d+$/.test(attrs.group)) tagsError(n, text2, `group '${attrs.group}' is not a group number`);
        attrs.value ??= "";
        checkRegex(n, text2, "pattern", attrs.pattern);
        break;
      case "edge":
        attrs.branch ??= "";
        break;
      case "ref":
        if (!has("event")) tagsError(n, text2, "type=ref needs event=branch, event=tag or event=pr");
        if (!["branch", "tag", "pr"].includes(attrs.event)) tagsError(n, text2, `event '${attrs.event}' is not accepted (expected branch, tag or pr)`);
        if (attrs.event === "pr" && !has("prefix")) attrs.prefix = "pr-";
        break;
      case "raw":
        if (!has("value")) tagsError(n, text2, "type=raw needs a value, e.g. type=raw,value=stable");
        break;
      case "sha":
        if (!has("prefix")) attrs.prefix = "sha-";
        attrs.format ??= "short";
        if (!["short", "long"].includes(attrs.format)) tagsError(n, text2, `format '${attrs.format}' is not accepted (expected short or long)`);
        break;
    }
    attrs.enable ??= "true";
    const priority = has("priority") ? Number(attrs.priority) : DEFAULT_PRIORITY[type];
    if (!Number.isFinite(priority)) tagsError(n, text2, `priority '${attrs.priority}' is not a number`);
    for (const [key, template] of Object.entries(attrs)) {
      if (key === "match" || key === "pattern" && type === "match") continue;
      const names = key === "pattern" && type === "semver" ? [...GLOBAL_NAMES, ...SEMVER_NAMES] : key === "pattern" && type === "pep440" ? [...GLOBAL_NAMES, ...PEP440_NAMES] : GLOBAL_NAMES;
      checkTemplate(n, text2, key, template, names);
    }
    rules.push({ line: n, text: text2, type, attrs, priority });
  });
  return rules.sort((a, b) => b.priority - a.priority);
}
function checkRegex(n, text2, key, pattern) {
  try {
    return compileRegex(pattern, { bare: true });
  } catch (error2) {
    tagsError(n, text2, `${key} ${pattern} is not a valid regular expression: ${error2.message} (accepted: a JavaScript regular expression, or /regex/flags)`);
  }
}
var GLOBAL_NAMES = ["branch", "tag", "sha", "base_ref", "is_default_branch", "is_not_default_branch", "date", "commit_date"];
var SEMVER_NAMES = ["raw", "version", "major", "minor", "patch", "prerelease", "build"];
var PEP440_NAMES = ["raw", "version", "major", "minor", "patch"];
function templateProblem(key, template, known) {
  const unknown = expressionNames(template).find((name) => !known.includes(name));
  if (unknown !== void 0) return `${key}= uses the unknown expression {{${unknown}}} (known here: ${known.map((x) => `{{${x}}}`).join(" ")})`;
  try {
    checkDateArguments(template);
  } catch (error2) {
    if (error2 instanceof ExpressionError) return `${key}=${template}: ${error2.message}`;
    throw error2;
  }
  return void 0;
}
function checkTemplate(n, text2, key, template, known) {
  const problem = templateProblem(key, template, known);
  if (problem) tagsError(n, text2, problem);
}
function parseFlavor(input) {
  const flavor = { ...DEFAULT_FLAVOR };
  lines(input).forEach((text2, i) => {
    const n = i + 1;
    let onlatestFor = "";
    for (const [key, val] of fields("flavor", text2, n)) {
      const fail2 = (message) => {
        throw new UserError(`Input 'flavor', line ${n} ('${text2}'): ${message}.`);
      };
      switch (key) {
        case void 0:
          fail2(`'${val}' is not key=value (accepted: latest=auto|true|false, prefix=, suffix=, onlatest=true|false)`);
          break;
        case "latest":
          if (!["auto", "true", "false"].includes(val)) fail2(`latest '${val}' is not accepted (expected auto, true or false)`);
          flavor.latest = val;
          break;
        case "prefix":
        case "suffix":
          {
            const problem = templateProblem(key, val, GLOBAL_NAMES);
            if (problem) fail2(problem);
          }
          flavor[key] = val;
          onlatestFor = key;
          break;
        case "onlatest":
          if (!["true", "false"].includes(val)) fail2(`onlatest '${val}' is not accepted (expected true or false)`);
          if (onlatestFor === "prefix") flavor.prefixLatest = val === "true";
          else if (onlatestFor === "suffix") flavor.suffixLatest = val === "true";
          else fail2("onlatest= must follow prefix= or suffix= on the same line");
          break;
        default:
          fail2(`unknown key '${key}' (accepted: latest, prefix, suffix, onlatest)`);
      }
    }
  });
  return flavor;
}
function eventView(facts, now) {
  const branch = facts.refType === "branch" ? facts.branch ?? "" : "";
  const refName = facts.ref.replace(/^refs\/heads\//, "");
  const isDefault = !facts.pr && refName !== "" && (refName === facts.defaultBranch || /create|discussion|issues|schedule/.test(facts.eventName));
  return {
    branch,
    tag: facts.refType === "tag" ? facts.tag ?? "" : "",
    sha: facts.sha,
    baseRef: facts.baseRef ?? "",
    isDefaultBranch: isDefault,
    now,
    commitDate: facts.commitTime ? new Date(facts.commitTime) : void 0
  };
}
function globalHelpers(view) {
  return {
    branch: value(view.branch),
    tag: value(view.tag),
    sha: value(shortSha(view.sha)),
    base_ref: value(view.baseRef),
    is_default_branch: value(String(view.isDefaultBranch)),
    is_not_default_branch: value(String(!view.isDefaultBranch)),
    date: dateHelper(view.now, "date"),
    commit_date: dateHelper(view.commitDate ?? view.now, "commit_date")
  };
}
function expandFlavor(flavor, facts, now) {
  const helpers = globalHelpers(eventView(facts, now));
  const expand2 = (key) => {
    try {
      return render(flavor[key], helpers);
    } catch (error2) {
      if (error2 instanceof ExpressionError) throw new UserError(`Input 'flavor': ${key}=${flavor[key]}: ${error2.message}.`);
      throw error2;
    }
  };
  return { ...flavor, prefix: expand2("prefix"), suffix: expand2("suffix") };
}
var Evaluator = class {
  constructor(facts, flavor, view) {
    this.facts = facts;
    this.flavor = flavor;
    this.view = view;
    this.helpers = globalHelpers(view);
  }
  facts;
  flavor;
  view;
  helpers;
  notes = [];
  expand(rule, key, template, extra = {}) {
    try {
      return render(template, { ...this.helpers, ...extra });
    } catch (error2) {
      if (error2 instanceof ExpressionError) throw new UserError(`Input 'tags', line ${rule.line} ('${rule.text}'): ${key}=: ${error2.message}.`);
      throw error2;
    }
  }
  affix(rule, val) {
    const has = (k) => Object.prototype.hasOwnProperty.call(rule.attrs, k);
    val = has("prefix") ? `${this.expand(rule, "prefix", rule.attrs.prefix)}${val}` : `${this.flavor.prefix}${val}`;
    val = has("suffix") ? `${val}${this.expand(rule, "suffix", rule.attrs.suffix)}` : `${val}${this.flavor.suffix}`;
    return val;
  }
  latest(auto) {
    return this.flavor.latest === "auto" ? auto : this.flavor.latest === "true";
  }
  enabled(rule) {
    const v = this.expand(rule, "enable", rule.attrs.enable);
    if (v !== "true" && v !== "false") {
      throw new UserError(`Input 'tags', line ${rule.line} ('${rule.text}'): enable= gave '${v}', expected true or false.`);
    }
    return v === "true";
  }
  produce(rule) {
    const { facts, view } = this;
    const a = rule.attrs;
    const isTag = facts.refType === "tag";
    switch (rule.type) {
      case "schedule": {
        if (!/schedule/.test(facts.eventName)) return void 0;
        return { value: this.affix(rule, this.expand(rule, "pattern", a.pattern)), latest: this.latest(false) };
      }
      case "semver":
      case "pep440": {
        if (!isTag && !a.value) return void 0;
        let raw = a.value ? this.expand(rule, "value", a.value) : view.tag;
        if (a.match) {
          const m = raw.match(compileRegex(a.match, { bare: true }));
          if (!m || m[1] === void 0) this.notes.push(`tags line ${rule.line}: match=${a.match} does not match '${raw}'`);
          else raw = m[1];
        }
        raw = raw.replace(/\//g, "-");
        return rule.type === "semver" ? this.semverValue(rule, raw) : this.pep440Value(rule, raw);
      }
      case "match": {
        if (!isTag && !a.value) return void 0;
        const raw = a.value ? this.expand(rule, "value", a.value) : view.tag;
        const m = raw.match(compileRegex(a.pattern, { bare: true }));
        if (!m) {
          this.notes.push(`tags line ${rule.line}: ${a.pattern} does not match '${raw}'`);
          return void 0;
        }
        const group2 = m[Number(a.group)];
        if (group2 === void 0) {
          this.notes.push(`tags line ${rule.line}: group ${a.group} does not exist in ${a.pattern}`);
          return void 0;
        }
        return { value: this.affix(rule, group2), latest: this.latest(true) };
      }
      case "ref": {
        if (a.event === "branch") {
          if (facts.refType !== "branch") return void 0;
          return { value: this.affix(rule, view.branch), latest: this.latest(false), fromBranch: true };
        }
        if (a.event === "tag") {
          if (!isTag) return void 0;
          return { value: this.affix(rule, view.tag), latest: this.latest(true) };
        }
        if (!facts.pr) return void 0;
        return { value: this.affix(rule, String(facts.pr.number)), latest: this.latest(false) };
      }
      case "edge": {
        if (facts.refType !== "branch") return void 0;
        const branch = a.branch || facts.defaultBranch;
        if (branch !== view.branch) return void 0;
        return { value: this.affix(rule, "edge"), latest: this.latest(false) };
      }
      case "raw":
        return { value: this.affix(rule, this.expand(rule, "value", a.value)), latest: this.latest(false) };
      case "sha": {
        if (!facts.sha) return void 0;
        const sha = a.format === "long" ? facts.sha : shortSha(facts.sha);
        return { value: this.affix(rule, sha), latest: this.latest(false) };
      }
    }
  }
  /** Which part of a version a pattern keeps: a pattern without the patch level moves with its line. */
  movesOf(pattern) {
    const names = expressionNames(pattern);
    if (names.some((n) => ["raw", "version", "patch", "prerelease", "build"].includes(n))) return void 0;
    if (names.includes("minor")) return "minor";
    if (names.includes("major")) return "major";
    return "latest";
  }
  semverValue(rule, raw) {
    if (!semver2.valid(raw)) {
      this.notes.push(`tags line ${rule.line}: '${raw}' is not a valid semver version (https://semver.org), so this line gives no tag`);
      return void 0;
    }
    const v = semver2.parse(raw, { loose: true });
    const fieldsOf = {
      raw: value(v.raw),
      version: value(v.version),
      major: value(String(v.major)),
      minor: value(String(v.minor)),
      patch: value(String(v.patch)),
      prerelease: value(v.prerelease.join(",")),
      build: value(v.build.join(","))
    };
    const version = { text: v.version, scheme: "semver", prerelease: v.prerelease.length > 0 };
    if (version.prerelease) {
      const pattern = isSingleExpression(rule.attrs.pattern, "raw") ? "{{raw}}" : "{{version}}";
      return { value: this.affix(rule, this.expand(rule, "pattern", pattern, fieldsOf)), latest: this.latest(false), version };
    }
    return {
      value: this.affix(rule, this.expand(rule, "pattern", rule.attrs.pattern, fieldsOf)),
      latest: this.latest(true),
      moves: this.movesOf(rule.attrs.pattern),
      version
    };
  }
  pep440Value(rule, raw) {
    if (!pep4402.valid(raw)) {
      this.notes.push(`tags line ${rule.line}: '${raw}' does not conform to PEP 440, so this line gives no tag`);
      return void 0;
    }
    const e = pep4402.explain(raw);
    const clean3 = pep4402.clean(raw) ?? raw;
    const pre = e.is_prerelease || e.is_postrelease || e.is_devrelease;
    const version = { text: clean3, scheme: "pep440", prerelease: pre };
    if (pre) {
      const val = isSingleExpression(rule.attrs.pattern, "raw") ? raw : clean3;
      return { value: this.affix(rule, val), latest: this.latest(false), version };
    }
    const fieldsOf = {
      raw: value(raw),
      version: value(clean3),
      major: value(String(pep4402.major(raw))),
      minor: value(String(pep4402.minor(raw))),
      patch: value(String(pep4402.patch(raw)))
    };
    return {
      value: this.affix(rule, this.expand(rule, "pattern", rule.attrs.pattern, fieldsOf)),
      latest: this.latest(true),
      moves: this.movesOf(rule.attrs.pattern),
      version
    };
  }
  latestTag() {
    const prefix = this.flavor.prefixLatest ? this.flavor.prefix : "";
    const suffix = this.flavor.suffixLatest ? this.flavor.suffix : "";
    return sanitizeTag(`${prefix}latest${suffix}`);
  }
};
function releaseOf(found, facts) {
  if (found) return found;
  if (facts.refType !== "tag" || !facts.tag) return void 0;
  const v = releaseVersion(facts.tag);
  return v ? { text: v.version, scheme: "semver", prerelease: v.prerelease.length > 0 } : void 0;
}
var PR_NEVER_MOVES = "a pull request never gets latest or a moving release tag, whatever flavor latest= says";
var FORCED_LATEST_WHY = "flavor latest=true (never on pull requests)";
function evaluateTagRules(facts, rules, flavor, now) {
  const view = eventView(facts, now);
  const ev = new Evaluator(facts, expandFlavor(flavor, facts, now), view);
  const out = [];
  let latest;
  let latestWhy = "";
  let found;
  for (const rule of rules) {
    if (!ev.enabled(rule)) continue;
    const p = ev.produce(rule);
    if (!p || p.value.length === 0) continue;
    const tag = sanitizeTag(p.value);
    if (facts.pr && (p.moves || tag === ev.latestTag())) {
      ev.notes.push(`tags line ${rule.line} gives '${tag}', left out: ${PR_NEVER_MOVES}`);
      continue;
    }
    const decision = { tag, why: `tags line ${rule.line}: ${rule.text}` };
    if (p.moves) decision.moves = p.moves;
    if (p.fromBranch) decision.fromBranch = true;
    out.push(decision);
    found ??= p.version;
    if (latest === void 0) {
      latest = p.latest;
      latestWhy = flavor.latest === "true" ? FORCED_LATEST_WHY : `flavor latest=auto: the highest-priority line with a value (tags line ${rule.line}) is a ${rule.type === "match" ? "match on a git tag" : rule.type === "ref" ? "git tag" : "release"}`;
    }
  }
  if (latest && facts.pr) ev.notes.push(`flavor latest=true: '${ev.latestTag()}' left out: ${PR_NEVER_MOVES}`);
  else if (latest) out.push({ tag: ev.latestTag(), why: latestWhy, moves: "latest" });
  const version = out[0]?.tag ?? "";
  return finish(dedupeTags(out), version, flavor, ev.notes, releaseOf(found, facts));
}
function finish(tags, version, flavor, notes, rel) {
  if (!rel) {
    for (const t of tags) delete t.moves;
    return { tags, version, notes };
  }
  for (const t of tags) {
    if (!t.moves && t.tag === "latest") t.moves = "latest";
    if (t.moves) t.release = rel.text;
  }
  const release = {
    version: rel.text,
    scheme: rel.scheme,
    prerelease: rel.prerelease,
    affixes: affixesOf(tags, rel.text),
    forceLatest: flavor.latest === "true"
  };
  return { tags, version, release, notes };
}

// src/plan/rebuild.ts
var REBUILD_MODES = ["always", "base-changed"];
var BASE_NAME_LABEL = "org.opencontainers.image.base.name";
var BASE_DIGEST_LABEL = "org.opencontainers.image.base.digest";
var BASES_LABEL = "io.autobuild.bases";
var REVISION_LABEL = "org.opencontainers.image.revision";
var DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
function baseLabels(bases, runtime) {
  const out = {};
  const main = bases.find((b) => b.name === runtime);
  if (main?.digest) {
    out[BASE_NAME_LABEL] = main.name;
    out[BASE_DIGEST_LABEL] = main.digest;
  }
  const known = bases.filter((b) => b.digest);
  if (bases.length > 1 && known.length) out[BASES_LABEL] = known.map((b) => `${b.name}@${b.digest}`).join(",");
  return out;
}
function recordedBases(labels) {
  const out = /* @__PURE__ */ new Map();
  for (const entry of (labels[BASES_LABEL] ?? "").split(",")) {
    const at = entry.trim().lastIndexOf("@");
    const digest2 = entry.trim().slice(at + 1);
    if (at > 0 && DIGEST.test(digest2)) out.set(entry.trim().slice(0, at), digest2);
  }
  const name = labels[BASE_NAME_LABEL];
  const digest = labels[BASE_DIGEST_LABEL];
  if (name && digest && DIGEST.test(digest) && !out.has(name)) out.set(name, digest);
  return out;
}
function basesWords(bases) {
  if (!bases.length) return "no base image (FROM scratch)";
  return bases.map((b) => `base ${b.name} is still ${b.digest}`).join(", ");
}
function decideRebuild(input) {
  const rebuild = (reason, level = "info", moved2 = []) => ({ rebuild: true, reason, level, moved: moved2 });
  const { pushed } = input;
  if (pushed.state === "unreadable") return rebuild(`could not read the pushed image (${pushed.why}): rebuilding`, "warning");
  if (pushed.state === "missing") return rebuild(`${pushed.why}: building`);
  if (input.dockerfileError) return rebuild(`could not tell the base images (${input.dockerfileError}): rebuilding`, "warning");
  const revision = pushed.labels[REVISION_LABEL];
  if (!revision) return rebuild(`${pushed.ref} has no ${REVISION_LABEL} label, so its commit is unknown: rebuilding`, "notice");
  if (revision !== input.sha) {
    const shown = /^[0-9a-f]{7,64}$/i.test(revision) ? `commit ${shortSha(revision)}` : "another commit";
    return rebuild(`${pushed.ref} was built from ${shown}, this run builds ${shortSha(input.sha)}: rebuilding`);
  }
  if (input.unresolved.length) {
    return rebuild(`the base image ${input.unresolved.map((u) => `'${u}'`).join(", ")} names a build argument without a value, so whether it moved cannot be told: rebuilding (give it a default, or a value in build-args)`, "warning");
  }
  const unreadable = input.bases.filter((b) => !b.digest);
  if (unreadable.length) {
    return rebuild(`could not read the digest of ${unreadable.map((b) => `${b.name} (${b.error ?? "no digest"})`).join(", ")}: rebuilding`, "warning");
  }
  const recorded2 = recordedBases(pushed.labels);
  const unrecorded = input.bases.filter((b) => !recorded2.has(b.name));
  if (unrecorded.length) {
    return rebuild(
      `${pushed.ref} records no digest for ${unrecorded.map((b) => b.name).join(", ")} (it was pushed without the labels ${BASE_NAME_LABEL}/${BASE_DIGEST_LABEL}${input.bases.length > 1 ? ` and ${BASES_LABEL}` : ""}, which autobuild writes): rebuilding, and this build records them`,
      "notice"
    );
  }
  const moved = input.bases.filter((b) => recorded2.get(b.name) !== b.digest).map((b) => ({ name: b.name, from: recorded2.get(b.name), to: b.digest }));
  if (moved.length) return rebuild(`${moved.map((m) => `base ${m.name} moved from ${m.from} to ${m.to}`).join(", ")}: rebuilding`, "info", moved);
  return { rebuild: false, reason: `${pushed.ref} is up to date: commit ${shortSha(input.sha)}, ${basesWords(input.bases)}`, level: "info", moved: [] };
}

// src/plan/rule-paths.ts
import * as path2 from "node:path";
function rulePaths(workspace, rule, fallback) {
  if (rule.dockerfile === void 0 && rule.context === void 0) return fallback;
  const inside = (key, value2, abs) => {
    const rel = path2.relative(workspace, abs);
    if (rel.startsWith("..") || path2.isAbsolute(rel)) {
      throw new UserError(`Input 'rules', rule ${rule.index}: ${key} '${value2}' leaves the repository; paths are relative to the repository root.`);
    }
    return abs;
  };
  const dockerfile = (rule.dockerfile ?? "").trim().replace(/^\/+/, "") || "Dockerfile";
  const contextValue = (rule.context ?? "").trim();
  if (!contextValue) {
    const file = inside("dockerfile", rule.dockerfile ?? "", path2.join(workspace, dockerfile));
    return { context: path2.dirname(file), file };
  }
  const context = inside("context", contextValue, path2.join(workspace, contextValue.replace(/^\/+/, "")));
  return { context, file: inside("dockerfile", rule.dockerfile ?? "", path2.join(context, dockerfile)) };
}

// src/plan/rules.ts
import * as path3 from "node:path";
function describeRule(rule) {
  return `rule ${rule.index} (${rule.sourceType} ${rule.source} -> ${rule.tag})`;
}
var RULE_FLAGS = "imsu";
var KEYS = /* @__PURE__ */ new Set(["source-type", "source", "tag", "dockerfile", "context", "autobuild", "build-caching"]);
function ruleError(index, message) {
  throw new UserError(`Input 'rules', rule ${index}: ${message}.`);
}
var TEXT_KEYS = ["source-type", "source", "tag", "dockerfile", "context"];
function quoted2(text2) {
  return `'${text2.replace(/'/g, "''")}'`;
}
function restOfLine(src, start) {
  const end = src.indexOf("\n", start);
  return src.slice(start, end < 0 ? void 0 : end).replace(/\s+#.*$/, "").trim();
}
function fieldText(src, doc, index, key, node) {
  const { isAlias, isMap, isNode, isScalar, isSeq } = yamlLib();
  if (isAlias(node)) return fieldText(src, doc, index, key, node.resolve(doc));
  if (node === null || node === void 0) return void 0;
  if (isScalar(node)) {
    if (node.value === null || node.value === void 0) return void 0;
    if (typeof node.value === "string") return node.value;
    return node.source ?? String(node.value);
  }
  const text2 = isNode(node) && node.range ? src.slice(node.range[0], node.range[1]).trim() : "";
  if (isMap(node) && node.flow && !text2.includes("\n")) return text2;
  const suggestion = isSeq(node) && node.items.every(isScalar) ? node.items.map((i) => String(i.value)).join(",") : text2.replace(/\s*\n\s*/g, "");
  const shape = isMap(node) ? "a mapping" : isSeq(node) ? "a list" : "not text";
  ruleError(index, `${key} ${JSON.stringify(text2)} is ${shape} in YAML, not text; write it on one line and quote it${isSeq(node) ? " (several tags are a comma list)" : ""}: ${key}: ${quoted2(suggestion)}`);
}
function yamlError(src, doc, error2) {
  const { isCollection, isMap, isNode, isScalar, isSeq } = yamlLib();
  const first = error2.message.split("\n")[0].replace(/:$/, "");
  const pos = error2.pos[0];
  const items = isSeq(doc.contents) ? doc.contents.items : [];
  const index = items.findIndex((item) => isNode(item) && item.range && item.range[0] <= pos && pos <= item.range[2]) + 1;
  if (index > 0) {
    const item = items[index - 1];
    for (const pair of isMap(item) ? item.items : []) {
      const v = pair.value;
      if (!isCollection(v) || !v.flow || !v.range || pos < v.range[0] || pos > v.range[2]) continue;
      const key = String(isScalar(pair.key) ? pair.key.value : pair.key);
      const text2 = restOfLine(src, v.range[0]);
      return new UserError(
        `Input 'rules', rule ${index}: ${key} ${text2} is not valid YAML unquoted (${first}): YAML reads a value that starts with '${text2[0]}' as a ${text2[0] === "{" ? "mapping" : "list"}. Quote the template: ${key}: ${quoted2(text2)}.`
      );
    }
  }
  const hint = /:[ \t]+[{[]/.test(src) ? " A tag template that starts with '{' (such as {sourceref} or {\\1}) must be quoted: tag: '{\\1},latest'." : "";
  return new UserError(`Input 'rules' is not valid YAML${index > 0 ? ` (rule ${index})` : ""}: ${first}.${hint}`);
}
function parseRules(value2) {
  if (!value2.trim()) return [];
  const { isMap, isNode, isSeq, parseDocument } = yamlLib();
  const doc = parseDocument(value2);
  const error2 = doc.errors[0];
  if (error2) throw yamlError(value2, doc, error2);
  if (!isSeq(doc.contents)) {
    throw new UserError(
      `Input 'rules' must be a YAML list of rules, for example:
- source-type: tag
  source: /^v([0-9.]+)$/
  tag: '{\\1}'`
    );
  }
  return doc.contents.items.map((item, i) => {
    const index = i + 1;
    const entry = isNode(item) ? item.toJS(doc) : item;
    if (isMap(item) && entry && typeof entry === "object" && !Array.isArray(entry)) {
      const e = entry;
      for (const key of TEXT_KEYS) {
        if (item.has(key)) e[key] = fieldText(value2, doc, index, key, item.get(key, true));
      }
    }
    return parseRule(entry, index);
  });
}
function parseRule(entry, index) {
  if (!entry || typeof entry !== "object" || Array.isArray(entry)) ruleError(index, "expected a mapping with source-type, source and tag");
  const e = entry;
  for (const key of Object.keys(e)) {
    if (!KEYS.has(key)) ruleError(index, `unknown key '${key}' (accepted: ${[...KEYS].join(", ")})`);
  }
  const sourceType = String(e["source-type"] ?? "").toLowerCase();
  if (sourceType !== "branch" && sourceType !== "tag") {
    ruleError(index, `source-type '${String(e["source-type"] ?? "")}' is not accepted (expected branch or tag)`);
  }
  const source = String(e.source ?? "").trim();
  if (!source) ruleError(index, "source is empty (expected a name, or a regular expression between slashes)");
  const tag = String(e.tag ?? "").trim();
  if (!tag) ruleError(index, "tag is empty (expected a tag template such as '{sourceref}' or 'latest')");
  let regex;
  if (source.startsWith("/")) {
    try {
      regex = compileRegex(source, { bare: false, flags: RULE_FLAGS });
    } catch (error2) {
      ruleError(index, `source ${source} is not a valid regular expression: ${error2.message} (a source is a name, /regex/ or /regex/flags)`);
    }
  }
  const groups = regex ? groupCount(regex) : 0;
  for (const m of tag.matchAll(/\{\\(\d)\}/g)) {
    if (Number(m[1]) > groups) {
      ruleError(index, `tag '${tag}' uses {\\${m[1]}} but source ${source} has ${groups} capture group${groups === 1 ? "" : "s"}`);
    }
  }
  const unknown = /\{[^}]*\}/.exec(tag.replace(/\{sourceref\}|\{\\[1-9]\}/g, ""));
  if (unknown) ruleError(index, `tag '${tag}' uses the unknown variable '${unknown[0]}' (accepted: {sourceref}, {\\1} .. {\\9})`);
  for (const [key, value2] of [["dockerfile", e.dockerfile], ["context", e.context]]) {
    if (value2 === void 0 || value2 === null) continue;
    const rel = path3.posix.normalize(String(value2).replace(/^\/+/, "") || ".");
    if (rel === ".." || rel.startsWith("../")) ruleError(index, `${key} '${String(value2)}' leaves the repository`);
  }
  const autobuild = e.autobuild === void 0 ? true : e.autobuild === true || String(e.autobuild).toLowerCase() === "true";
  return {
    index,
    sourceType,
    source,
    regex,
    tag,
    dockerfile: e.dockerfile === void 0 || e.dockerfile === null ? void 0 : String(e.dockerfile),
    context: e.context === void 0 || e.context === null ? void 0 : String(e.context),
    autobuild
  };
}
function matchRule(rule, refType, name) {
  if (rule.sourceType !== refType) return false;
  if (rule.regex) return rule.regex.exec(name) ?? false;
  return rule.source === name;
}
function applyRuleTags(rule, refType, name) {
  const match = matchRule(rule, refType, name);
  if (!match) return void 0;
  const groups = match === true ? [] : match;
  return rule.tag.split(",").map((entry) => entry.trim()).map((entry) => ({
    tag: entry.replace(/\{sourceref\}/g, name).replace(/\{\\(\d)\}/g, (_, n) => groups[Number(n)] ?? ""),
    fromBranch: refType === "branch" && entry.includes("{sourceref}")
  })).filter((t) => t.tag).map((t) => ({ ...t, tag: sanitizeTag(t.tag) }));
}

// src/engine/checks.ts
import * as fs2 from "node:fs";
var CHECK_MODES = ["warn", "error", "off"];
var CHECK_BUILD_ARG = "BUILDKIT_DOCKERFILE_CHECK";
function checkBuildArgs(mode, userBuildArgs) {
  if (mode === "warn" || userBuildArgs.some((a) => a === CHECK_BUILD_ARG || a.startsWith(`${CHECK_BUILD_ARG}=`))) return [];
  return ["--build-arg", `${CHECK_BUILD_ARG}=${mode === "error" ? "error=true" : "skip=all"}`];
}
function splitWarning(text2) {
  const m = /^([A-Z][A-Za-z0-9]+): ([\s\S]*?)(?: \(line (\d+)\))?\s*$/.exec(text2.trim());
  if (!m) return void 0;
  return { rule: m[1], message: m[2].trim(), ...m[3] ? { line: Number(m[3]) } : {} };
}
var decode = (b64) => typeof b64 === "string" ? Buffer.from(b64, "base64").toString("utf8") : "";
function checksFromMetadata(metadataFile) {
  let warnings;
  try {
    warnings = JSON.parse(fs2.readFileSync(metadataFile, "utf8"))?.["buildx.build.warnings"];
  } catch {
    return void 0;
  }
  if (!Array.isArray(warnings)) return void 0;
  const out = [];
  for (const w of warnings) {
    const parts = splitWarning(decode(w.short));
    if (!parts) continue;
    const start = w.range?.[0]?.start?.line ?? parts.line;
    const end = w.range?.[0]?.end?.line ?? start;
    out.push({
      rule: parts.rule,
      message: parts.message,
      ...start ? { line: start, endLine: end && end >= start ? end : start } : {},
      ...typeof w.url === "string" && /^https:\/\//.test(w.url) ? { url: w.url } : {}
    });
  }
  return sortChecks(out);
}
function checksFromLog(log) {
  const out = [];
  const seen = /* @__PURE__ */ new Set();
  for (const m of log.matchAll(/^#\d+ WARN: (.+)$/gm)) {
    const parts = splitWarning(m[1]);
    if (!parts) continue;
    const key = `${parts.rule}\0${parts.message}\0${parts.line ?? ""}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ ...parts, ...parts.line ? { endLine: parts.line } : {} });
  }
  return sortChecks(out);
}
function sortChecks(checks) {
  return checks.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || a.rule.localeCompare(b.rule));
}
function checkViolation(log) {
  const m = /lint violation found for rules: ([^\n]+)/.exec(log);
  return m ? m[1].split(",").map((r) => r.trim()).filter(Boolean) : void 0;
}
function describeCheck(c) {
  return `${c.rule}${c.line ? ` (line ${c.line})` : ""}`;
}

// src/engine/compression.ts
var LEVELS = { gzip: 9, zstd: 22, estargz: 9 };
var HELP = "expected gzip, zstd or estargz, with a level after a colon (gzip:6, zstd:19; gzip and estargz 0-9, zstd 0-22)";
function parseCompression(value2) {
  const text2 = value2.trim().toLowerCase();
  if (!text2) return { type: "gzip" };
  const m = /^(gzip|zstd|estargz)(?::(\d{1,2}))?$/.exec(text2);
  if (!m) throw new UserError(`Input 'compression' has an invalid value '${value2.trim()}': ${HELP}.`);
  const type = m[1];
  const level = m[2] === void 0 ? void 0 : Number(m[2]);
  if (level !== void 0 && level > LEVELS[type]) throw new UserError(`Input 'compression' has an invalid value '${value2.trim()}': ${type} levels go from 0 to ${LEVELS[type]}.`);
  return level === void 0 ? { type } : { type, level };
}
function customCompression(c) {
  return c.type !== "gzip" || c.level !== void 0;
}
function loadArgs(c) {
  if (!customCompression(c)) return ["--load"];
  const opts = ["type=docker", `compression=${c.type}`];
  if (c.level !== void 0) opts.push(`compression-level=${c.level}`);
  opts.push("force-compression=true", "oci-mediatypes=true");
  return ["--output", opts.join(",")];
}
function checkCompression(c, caps) {
  if (!customCompression(c)) return;
  const shown = `${c.type}${c.level !== void 0 ? `:${c.level}` : ""}`;
  if (!caps.buildx) throw new UserError(`Input 'compression': ${shown} needs docker buildx, which this runner does not have: install the buildx plugin, or leave compression out.`);
  if (!caps.containerdStore) {
    throw new UserError(
      `Input 'compression': ${shown} needs the containerd image store, and this engine (Docker ${caps.engineVersion}) has the classic one, which keeps layers uncompressed and gzips them when it pushes. Turn the containerd image store on ("features": {"containerd-snapshotter": true} in dockerd's configuration, the default since Docker 29), or leave compression out.`
    );
  }
  if (c.type === "estargz" && caps.driver === "docker") {
    throw new UserError(
      `Input 'compression': estargz is not used with the engine's own builder (Docker ${caps.engineVersion}'s dockerd can crash in its stargz compressor). Use a builder of its own (docker buildx create --driver docker-container --use, in an earlier step), or zstd.`
    );
  }
}

// src/engine/platforms.ts
var NATIVE_PLATFORM = `linux/${process.arch === "x64" ? "amd64" : process.arch === "ia32" ? "386" : process.arch}`;
function normalizePlatform(platform) {
  const [os4 = "", arch = "", variant] = platform.trim().toLowerCase().split("/");
  const implied = arch === "arm64" && variant === "v8" || arch === "arm" && variant === "v7" || arch === "amd64" && variant === "v1";
  return variant && !implied ? `${os4}/${arch}/${variant}` : `${os4}/${arch}`;
}
function parsePlatforms(inspect) {
  const line = /^Platforms:\s*(.*)$/m.exec(inspect)?.[1] ?? "";
  return line.split(",").map((p) => p.replace(/\*/g, "").trim()).filter(Boolean);
}
function missingPlatforms(requested, available) {
  const have = new Set(available.map(normalizePlatform));
  return requested.filter((p) => !have.has(normalizePlatform(p)));
}
function platformError(missing, available, builder) {
  const which = missing.join(", ");
  return new UserError(
    `Input 'platforms': the builder ${builder} cannot build or run ${which} (it lists ${available.join(", ") || "no platforms"}): no emulator is registered for ${missing.length === 1 ? "it" : "them"} on this engine's host. Either register one before autobuild runs (a QEMU setup step such as docker/setup-qemu-action, or on a host of your own Debian's qemu-user-static and binfmt-support packages), or build ${missing.length === 1 ? "that platform" : "those platforms"} on a runner of ${missing.length === 1 ? "its" : "their"} own architecture.`
  );
}
function execFormatHint(output, platforms) {
  if (!/exec format error/i.test(output)) return void 0;
  const which = platforms.length ? platforms.join(", ") : "the image's platform";
  return `"exec format error": a program for another CPU (${which}) found no emulator on the engine's host. Register QEMU's binfmt handlers with the F (fix binary) flag before autobuild runs (docker/setup-qemu-action, or Debian's qemu-user-static and binfmt-support), then restart the engine if it was started before, or build that platform on a runner of its own architecture.`;
}
function buildsEachPlatform(caps, platforms) {
  return platforms.length > 1 && !caps.containerdStore;
}
async function checkPlatforms(docker, caps, platforms) {
  if (platforms.length === 0) return [];
  if (!caps.buildx) throw new UserError(`Input 'platforms' needs docker buildx, which this runner does not have: install the buildx plugin, or leave 'platforms' empty to build for the engine's own platform.`);
  const inspect = await docker.run(["buildx", "inspect", "--bootstrap"]);
  if (inspect.code !== 0) return [];
  const available = parsePlatforms(inspect.stdout);
  if (available.length === 0) return [];
  const missing = missingPlatforms(platforms, available);
  if (missing.length) throw platformError(missing, available, caps.builder ?? "default");
  return available;
}

// src/inputs.ts
var CACHE_MODES = ["auto", "registry", "gha", "local", "inline", "off"];
var TIMEOUT_PHASES = ["login", "build", "test", "push"];
var DEFAULT_TIMEOUTS = { login: 5 * 6e4, build: 60 * 6e4, test: 10 * 6e4, push: 30 * 6e4 };
var TIMEOUT_HELP = `expected phase=duration pairs, comma or newline separated, with phases ${TIMEOUT_PHASES.join(", ")} and durations such as 90s, 10m or 1h30m (defaults: login=5m,build=60m,test=10m,push=30m)`;
function parseDuration(value2) {
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(value2.trim().toLowerCase());
  if (!m || !value2.trim()) return void 0;
  const ms = ((Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0)) * 60 + Number(m[3] ?? 0)) * 1e3;
  return ms > 0 ? ms : void 0;
}
function parseTimeouts(value2) {
  const out = { ...DEFAULT_TIMEOUTS };
  const seen = /* @__PURE__ */ new Set();
  for (const entry of splitList(value2)) {
    const eq = entry.indexOf("=");
    const phase = (eq < 0 ? "" : entry.slice(0, eq)).trim().toLowerCase();
    const duration = eq < 0 ? void 0 : parseDuration(entry.slice(eq + 1));
    if (!TIMEOUT_PHASES.includes(phase) || duration === void 0) fail("timeout", entry, TIMEOUT_HELP);
    if (seen.has(phase)) fail("timeout", entry, `${phase} is given twice; ${TIMEOUT_HELP}`);
    seen.add(phase);
    out[phase] = duration;
  }
  return out;
}
var SECRET_NAME = /TOKEN|PASSWORD|PASSWD|SECRET|KEY/i;
var SECRET_KEYS = /* @__PURE__ */ new Set(["id", "type", "src", "source", "env"]);
var PLATFORM = /^(?:local|[a-z0-9_]+\/[a-z0-9_]+(?:\/[a-z0-9_.]+)?)$/;
var STAGE = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
function validateBuildInputs(inputs, workspace) {
  for (const arg of inputs.buildArgs) {
    const name = arg.split("=")[0];
    if (SECRET_NAME.test(name)) {
      const value2 = arg.slice(name.length + 1);
      if (value2.length >= 6) maskSecret(value2);
      warning(
        `Input 'build-args' sets ${name}, which looks like a secret: build arguments are stored in the image's history for anyone who pulls it. Pass it with the 'secrets' input instead (id=${name.toLowerCase()},env=${name}) and read it in a RUN --mount=type=secret,id=${name.toLowerCase()} step.`
      );
    }
  }
  for (const line of inputs.secrets) {
    const keys = line.split(",").map((p) => (p.includes("=") ? p.slice(0, p.indexOf("=")) : p).trim());
    const unknown = keys.find((k) => !SECRET_KEYS.has(k.toLowerCase()));
    if (unknown !== void 0 || !keys.some((k) => k.toLowerCase() === "id")) {
      const shown = line.split(",").map((p) => p.includes("=") ? `${p.slice(0, p.indexOf("=")).trim()}=...` : "...").join(",");
      const what = unknown !== void 0 ? `'${unknown}' is not a key of a secret` : "it has no id=";
      fail("secrets", shown, `${what}; expected one secret a line as id=NAME,env=VARIABLE or id=NAME,src=PATH (keys: id, type, src, env)`);
    }
  }
  for (const platform of inputs.platforms) {
    if (!PLATFORM.test(platform)) fail("platforms", platform, "expected os/arch[/variant] such as linux/amd64 or linux/arm64/v8, comma separated");
  }
  const shared = inputs.distribute.map(normalizePlatform);
  const twice = inputs.distribute.find((p, i) => shared.indexOf(normalizePlatform(p)) !== i);
  if (twice) fail("distribute", twice, "a platform is named once");
  for (const platform of inputs.distribute) {
    if (!inputs.platforms.some((p) => normalizePlatform(p) === normalizePlatform(platform))) {
      fail("distribute", platform, inputs.platforms.length ? `expected platforms of 'platforms' (${inputs.platforms.join(", ")}), comma separated` : "'platforms' is empty: name every platform of the image there, and this job's share here");
    }
  }
  if (inputs.target && !STAGE.test(inputs.target)) fail("target", inputs.target, "expected the name of a build stage (FROM ... AS name)");
  if (/\s/.test(inputs.username)) fail("username", inputs.username, "a user name contains no white space");
  if (!inputs.file && !inputs.rules.length) {
    const dockerfile = path4.join(inputs.context, "Dockerfile");
    checkInside("file", `${path4.relative(workspace, dockerfile)} (the default: file is empty)`, dockerfile, workspace);
  }
  for (const rule of inputs.rules) {
    const { context, file } = rulePaths(workspace, rule, { context: inputs.context, file: inputs.file || path4.join(inputs.context, "Dockerfile") });
    checkInside("rules", `rule ${rule.index} context: ${rule.context ?? ""}`, context, workspace);
    checkInside("rules", `rule ${rule.index} dockerfile: ${rule.dockerfile ?? "Dockerfile"}`, file, workspace);
  }
}
var INPUT_NAMES = [
  "image",
  "username",
  "password",
  "context",
  "file",
  "build-args",
  "target",
  "labels",
  "secrets",
  "platforms",
  "distribute",
  "tags",
  "rules",
  "flavor",
  "cache",
  "check",
  "compression",
  "test-command",
  "test-options",
  "test-compose",
  "hooks",
  "allow-untrusted-host-code",
  "build-env",
  "push",
  "rebuild",
  "pr-preview",
  "timeout",
  "registry-auth",
  "github-token",
  "dockerhub-description"
];
var SECRET_INPUTS = ["password", "github-token"];
var defaultGet = (name) => getInput(name);
function fail(input, value2, accepted) {
  throw new UserError(`Input '${input}' has an invalid value '${value2}': ${accepted}.`);
}
function oneOf(get, input, allowed, fallback) {
  const value2 = get(input).trim().toLowerCase() || fallback;
  if (!allowed.includes(value2)) fail(input, value2, `expected one of ${allowed.join(", ")}`);
  return value2;
}
function bool(get, input, fallback) {
  const value2 = get(input).trim().toLowerCase();
  if (!value2) return fallback;
  if (["true", "yes", "1", "on"].includes(value2)) return true;
  if (["false", "no", "0", "off"].includes(value2)) return false;
  return fail(input, value2, "expected true or false");
}
function realOrSelf(p) {
  try {
    return fs3.realpathSync(p);
  } catch {
    const parent = path4.dirname(p);
    return parent === p ? p : path4.join(realOrSelf(parent), path4.basename(p));
  }
}
function isInside(parent, child) {
  const rel = path4.relative(parent, child);
  return rel === "" || !rel.startsWith("..") && !path4.isAbsolute(rel);
}
function insideWorkspace(input, value2, workspace) {
  return checkInside(input, value2, path4.resolve(workspace, value2), workspace);
}
function checkInside(input, shown, abs, workspace) {
  if (!isInside(workspace, abs) || !isInside(realOrSelf(workspace), realOrSelf(abs))) {
    fail(input, shown, `it must stay inside the workspace (${workspace}); paths are relative to it and may not leave it through '..' or a symbolic link`);
  }
  return abs;
}
var AUTH_KEYS = ["registry", "username", "password"];
var REGISTRY_AUTH_HELP = 'accepted: one registry a line as registry=HOST,username=USER,password=SECRET (comma-separated fields; quote a whole field that holds a comma or a quote, as "password=a,b", and double a quote inside quotes), or a YAML list of mappings with the keys registry, username and password, one item per registry (- registry: HOST, then username: USER and password: SECRET under it)';
function authError(where2, message) {
  throw new UserError(`Input 'registry-auth', ${where2}: ${message}; ${REGISTRY_AUTH_HELP}.`);
}
function lineAt(text2, offset2) {
  return text2.slice(0, Math.max(0, offset2)).split("\n").length;
}
function yamlAuthEntries(value2) {
  const { isMap, isNode, isScalar, isSeq, parseDocument } = yamlLib();
  const doc = parseDocument(value2, { schema: "failsafe", prettyErrors: false, logLevel: "silent", uniqueKeys: true });
  const issue = doc.errors[0] ?? doc.warnings[0];
  if (issue) {
    const at = issue.pos[0];
    const column = at - value2.lastIndexOf("\n", at - 1);
    throw new UserError(
      `Input 'registry-auth' is not valid YAML (line ${lineAt(value2, at)}, column ${column}: ${issue.code.toLowerCase().replace(/_/g, " ")}); quote a value that starts with a YAML indicator (! & * ' " | > % @ \`) or holds ': ' or ' #'; ${REGISTRY_AUTH_HELP}.`
    );
  }
  if (!isSeq(doc.contents)) {
    throw new UserError(`Input 'registry-auth' is YAML but not a list; ${REGISTRY_AUTH_HELP}.`);
  }
  return doc.contents.items.map((item, i) => {
    const where2 = `line ${lineAt(value2, isNode(item) && item.range ? item.range[0] : 0)} (item ${i + 1})`;
    if (!isMap(item)) return { where: where2, fields: {}, problem: "the item is not a mapping with the keys registry, username and password" };
    const fields2 = {};
    for (const pair of item.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : "";
      if (!AUTH_KEYS.includes(key)) {
        return { where: where2, fields: fields2, problem: key ? `'${key}' is not a key of a credential (keys: ${AUTH_KEYS.join(", ")})` : "a key is not a plain name" };
      }
      fields2[key] = pair.value === null ? "" : isScalar(pair.value) ? String(pair.value.value ?? "") : pair.value;
    }
    return { where: where2, fields: fields2 };
  });
}
function lineAuthEntries(value2) {
  const out = [];
  value2.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith("#")) return;
    const where2 = `line ${i + 1}`;
    if (!line.includes("=")) {
      const looksYaml = /^(?:registry|username|password)\s*:/i.test(line);
      out.push({
        where: where2,
        fields: {},
        problem: looksYaml ? 'it looks like YAML, but the YAML form is a list: start each registry with "- " (- registry: HOST)' : "it is not key=value fields (the form HOST USER PASSWORD is not accepted)"
      });
      return;
    }
    let row;
    try {
      row = parse(line, { relaxColumnCount: true, relaxQuotes: true, trim: true })[0] ?? [];
    } catch {
      out.push({ where: where2, fields: {}, problem: "its fields cannot be read (a quote is not closed, or text follows a closing quote)" });
      return;
    }
    const fields2 = {};
    let problem;
    row.forEach((field, f) => {
      const eq = field.indexOf("=");
      const key = (eq < 0 ? "" : field.slice(0, eq)).trim().toLowerCase();
      if (!AUTH_KEYS.includes(key)) problem ??= `field ${f + 1} is not registry=, username= or password=`;
      else if (key in fields2) problem ??= `${key}= is given twice`;
      else fields2[key] = field.slice(eq + 1).trim();
    });
    out.push({ where: where2, fields: fields2, problem });
  });
  return out;
}
function isYamlList(value2) {
  const first = value2.split("\n").map((l) => l.trim()).find((l) => l && !l.startsWith("#")) ?? "";
  return /^-(?:\s|$)/.test(first) || first.startsWith("[");
}
function parseRegistryAuth(value2) {
  if (!value2.trim()) return [];
  const entries = isYamlList(value2) ? yamlAuthEntries(value2) : lineAuthEntries(value2);
  for (const { fields: fields2 } of entries) {
    if (typeof fields2.password === "string" && fields2.password) maskSecret(fields2.password);
  }
  const out = [];
  const seen = /* @__PURE__ */ new Map();
  for (const { where: where2, fields: fields2, problem } of entries) {
    if (problem) authError(where2, problem);
    const notPlain = AUTH_KEYS.find((k) => fields2[k] !== void 0 && typeof fields2[k] !== "string");
    if (notPlain) authError(where2, `${notPlain} must be a plain value, not a list or mapping`);
    const { registry = "", username = "", password = "" } = fields2;
    const missing = AUTH_KEYS.filter((k) => !fields2[k]);
    if (missing.length > 0) authError(where2, `the credentials for '${registry || "(no registry)"}' have no ${missing.join(" and ")}`);
    const host = parseRegistry(registry);
    if (host === void 0) authError(where2, `'${registry}' is not ${REGISTRY_HELP}`);
    if (/\s/.test(username)) authError(where2, `the user name '${username}' contains white space`);
    const earlier = seen.get(host);
    if (earlier) authError(where2, `${host} has credentials on ${earlier} already: give one a registry`);
    seen.set(host, where2);
    out.push({ registry: host, username, password });
  }
  return out;
}
function parseBuildEnv(value2) {
  const out = {};
  for (const line of splitLines(value2)) {
    const eq = line.indexOf("=");
    const name = eq < 0 ? line : line.slice(0, eq).trim();
    if (eq < 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      fail("build-env", eq < 0 ? line : name, "expected one NAME=value a line, NAME made of letters, digits and _ (not starting with a digit)");
    }
    const val = line.slice(eq + 1);
    if (val && looksSecret(name)) maskSecret(val);
    out[name] = val;
  }
  return out;
}
var HUB_DESCRIPTION_HELP = "expected auto (README.md of the build context, else of the repository root), off, or the path of a file in the workspace";
function parseHubDescription(value2, workspace) {
  const v = value2.trim();
  if (!v || v.toLowerCase() === "auto") return "auto";
  if (v.toLowerCase() === "off") return "off";
  const file = insideWorkspace("dockerhub-description", v, workspace);
  if (!fs3.existsSync(file) || !fs3.statSync(file).isFile()) fail("dockerhub-description", v, `no such file (${file}); ${HUB_DESCRIPTION_HELP}`);
  return file;
}
function inputsNeedYaml(get = defaultGet) {
  return Boolean(get("rules").trim()) || isYamlList(get("registry-auth"));
}
function readInputs(workspace, get = defaultGet) {
  const password = get("password");
  const githubToken = get("github-token");
  maskSecret(password);
  maskSecret(githubToken);
  const registryAuth = parseRegistryAuth(get("registry-auth"));
  const buildEnv2 = parseBuildEnv(get("build-env"));
  const imageValue = get("image");
  const imageNames = splitList(imageValue);
  if (imageNames.length === 0) {
    throw new UserError(`Input 'image' is required: give ${IMAGE_HELP}.`);
  }
  const images = [];
  for (const raw of imageNames) {
    const parsed = parseImage(raw);
    if (typeof parsed === "string") fail("image", raw, `${parsed}; expected ${IMAGE_HELP}`);
    if (!images.some((i) => i.name === parsed.name)) images.push(parsed);
  }
  const context = insideWorkspace("context", get("context").trim() || ".", workspace);
  const fileValue = get("file").trim();
  const file = fileValue ? insideWorkspace("file", fileValue, workspace) : "";
  const testComposeValue = get("test-compose").trim();
  const testCompose = testComposeValue === "" || testComposeValue.toLowerCase() === "auto" ? "auto" : testComposeValue.toLowerCase() === "off" ? "off" : splitList(testComposeValue).map((f) => insideWorkspace("test-compose", f, workspace));
  for (const [i, file2] of (Array.isArray(testCompose) ? testCompose : []).entries()) {
    if (!fs3.existsSync(file2) || !fs3.statSync(file2).isFile()) {
      fail("test-compose", splitList(testComposeValue)[i], `no such file (${file2}); expected auto, off, or paths of compose files with a service named sut`);
    }
  }
  const dockerhubDescription = parseHubDescription(get("dockerhub-description"), workspace);
  const inputs = {
    images,
    username: get("username").trim(),
    password,
    context,
    file,
    buildArgs: splitLines(get("build-args")),
    target: get("target").trim(),
    labels: splitLines(get("labels")),
    secrets: splitLines(get("secrets")),
    platforms: splitList(get("platforms")),
    distribute: splitList(get("distribute")),
    tags: parseTagRules(get("tags")),
    rules: parseRules(get("rules")),
    flavor: parseFlavor(get("flavor")),
    cache: oneOf(get, "cache", CACHE_MODES, "auto"),
    check: oneOf(get, "check", CHECK_MODES, "warn"),
    compression: parseCompression(get("compression")),
    testCommand: get("test-command").trim(),
    testOptions: parseTestOptions(get("test-options")),
    testCompose,
    hooks: oneOf(get, "hooks", ["auto", "off"], "auto"),
    allowUntrustedHostCode: bool(get, "allow-untrusted-host-code", false),
    buildEnv: buildEnv2,
    push: oneOf(get, "push", ["auto", "true", "false"], "auto"),
    rebuild: oneOf(get, "rebuild", REBUILD_MODES, "always"),
    prPreview: bool(get, "pr-preview", false),
    registryAuth,
    githubToken,
    dockerhubDescription,
    timeout: parseTimeouts(get("timeout"))
  };
  if (inputs.testOptions.length && !inputs.testCommand) {
    throw new UserError(
      `Input 'test-options' is set but 'test-command' is empty: the options are for the test-command container (an autotest file sets its own in the compose file). Give a test-command, or leave test-options out.`
    );
  }
  if (inputs.password && !inputs.username) {
    throw new UserError(`Input 'password' is set but 'username' is empty: give both, or neither.`);
  }
  for (const arg of inputs.buildArgs) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(arg) && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(arg)) {
      fail("build-args", arg.replace(/=[\s\S]*$/, "=..."), "expected one NAME=value a line");
    }
  }
  for (const label of inputs.labels) {
    if (!label.includes("=")) fail("labels", label, "expected one key=value a line");
  }
  validateBuildInputs(inputs, workspace);
  for (const name of secretEnvNames(inputs.secrets)) maskSecret(process.env[name]);
  debug(`inputs: ${JSON.stringify({ ...inputs, password: inputs.password ? "***" : "", githubToken: inputs.githubToken ? "***" : "", registryAuth: inputs.registryAuth.map((r) => ({ ...r, password: "***" })), buildEnv: Object.keys(inputs.buildEnv), testOptions: inputs.testOptions.map((o) => o.name) })}`);
  return inputs;
}

// src/engine/capabilities.ts
var semver3 = __toESM(require_semver(), 1);
import * as fs4 from "node:fs";
import * as os from "node:os";
import * as path5 from "node:path";
function parseVersion2(text2) {
  const m = /v?(\d+)\.(\d+)\.(\d+)/.exec(text2 ?? "");
  return m ? `${Number(m[1])}.${Number(m[2])}.${Number(m[3])}` : void 0;
}
function engineBuildKit(engineVersion) {
  const v = parseVersion2(engineVersion);
  if (!v) return void 0;
  const major5 = semver3.major(v);
  const table = [
    [29, "0.25.0"],
    [28, "0.20.0"],
    [27, "0.15.0"],
    [26, "0.13.0"],
    [25, "0.12.0"],
    [24, "0.11.0"],
    [23, "0.10.0"],
    [20, "0.8.0"]
  ];
  for (const [engine, buildkit] of table) if (major5 >= engine) return buildkit;
  return void 0;
}
var GHA_V2_BUILDX = "0.21.0";
var GHA_V2_BUILDKIT = "0.20.0";
function atLeast(version, min) {
  return version !== void 0 && semver3.valid(version) !== null && semver3.gte(version, min);
}
function cacheServiceOf(env, caps) {
  const token = Boolean(env.ACTIONS_RUNTIME_TOKEN);
  const v2Flag = /^(1|true|yes)$/i.test(env.ACTIONS_CACHE_SERVICE_V2 ?? "");
  const version = v2Flag && env.ACTIONS_RESULTS_URL ? "v2" : env.ACTIONS_CACHE_URL ? "v1" : void 0;
  const no = (ghaReason) => ({ version, token, gha: false, ghaReason });
  if (!version) return no("no runner cache service (ACTIONS_RESULTS_URL / ACTIONS_CACHE_URL are not set: not on a GitHub runner)");
  if (!token) return no("the runner cache service has no token (ACTIONS_RUNTIME_TOKEN is not set)");
  if (!caps.buildx) return no("buildx is not installed");
  if (!caps.cacheExport) {
    return no(`the builder cannot export cache (${caps.driver ?? "unknown"} driver${caps.driver === "docker" && !caps.containerdStore ? " with the classic image store" : ""})`);
  }
  if (version === "v2") {
    if (!atLeast(caps.buildx, GHA_V2_BUILDX)) return no(`cache service v2 needs buildx >= ${GHA_V2_BUILDX} (this runner has ${caps.buildx})`);
    if (!atLeast(caps.buildkit, GHA_V2_BUILDKIT)) {
      return no(`cache service v2 needs BuildKit >= ${GHA_V2_BUILDKIT} (this builder has ${caps.buildkit ?? "an unknown version"})`);
    }
  }
  return { version, token, gha: true, ghaReason: `runner cache service ${version}, buildx ${caps.buildx}, BuildKit ${caps.buildkit ?? "unknown"}` };
}
var CHECKS_BUILDX = "0.15.0";
var CHECKS_BUILDKIT = "0.14.0";
function buildChecksOf(caps) {
  if (!caps.buildx) return { buildChecks: false, buildChecksNote: "no buildx: the classic builder has no build checks" };
  if (semver3.valid(caps.buildx) && !atLeast(caps.buildx, CHECKS_BUILDX)) {
    return { buildChecks: false, buildChecksNote: `build checks need buildx >= ${CHECKS_BUILDX} (this runner has ${caps.buildx})` };
  }
  if (caps.buildkit && !atLeast(caps.buildkit, CHECKS_BUILDKIT)) {
    const whose = caps.buildkitFromEngine ? `the BuildKit of Docker ${caps.engineVersion} is ${caps.buildkit.replace(/\.0$/, "")}` : `this builder has BuildKit ${caps.buildkit}`;
    return { buildChecks: false, buildChecksNote: `build checks need BuildKit >= ${CHECKS_BUILDKIT.replace(/\.0$/, "")} (${whose})` };
  }
  return { buildChecks: true };
}
function parseInspect(text2) {
  const builder = /^Name:\s*(\S+)/m.exec(text2)?.[1];
  const driver = /^Driver:\s*(\S+)/m.exec(text2)?.[1];
  const reported2 = parseVersion2(/^\s*BuildKit(?: version)?:\s*(\S+)/m.exec(text2)?.[1]);
  return { builder, driver, buildkit: reported2 && reported2 !== "0.0.0" ? reported2 : void 0 };
}
function canExportCache(buildx, driver, containerdStore) {
  if (!buildx) return false;
  return driver !== "docker" || containerdStore;
}
function selectedBuilder(configDir, env) {
  try {
    let name = env.BUILDX_BUILDER ?? "";
    if (!name) {
      const current = path5.join(configDir, "buildx", "current");
      if (fs4.existsSync(current)) {
        const choice = JSON.parse(fs4.readFileSync(current, "utf8"));
        if (choice.Name && !choice.Global && choice.Key !== void 0 && (env.DOCKER_CONTEXT || choice.Key !== (env.DOCKER_HOST || "unix:///var/run/docker.sock"))) return void 0;
        name = choice.Name ?? "";
      }
    }
    if (!name || name === "default") return { builder: "default", driver: "docker" };
    const instance = path5.join(configDir, "buildx", "instances", name);
    if (!fs4.existsSync(instance)) return void 0;
    const driver = JSON.parse(fs4.readFileSync(instance, "utf8")).Driver;
    return driver ? { builder: name, driver } : void 0;
  } catch {
    return void 0;
  }
}
function pluginDirs(configDir) {
  let extra = [];
  try {
    const dirs = JSON.parse(fs4.readFileSync(path5.join(configDir, "config.json"), "utf8"))?.cliPluginsExtraDirs;
    if (Array.isArray(dirs)) extra = dirs.filter((d) => typeof d === "string");
  } catch {
  }
  const system = ["/usr/local/lib/docker/cli-plugins", "/usr/local/libexec/docker/cli-plugins", "/usr/lib/docker/cli-plugins", "/usr/libexec/docker/cli-plugins"];
  return [path5.join(configDir, "cli-plugins"), ...extra, ...system];
}
async function buildxVersion(docker, configDir = userConfigDir(), memoryDir = versionMemoryDir()) {
  const binary = pluginDirs(configDir).map((dir) => path5.join(dir, "docker-buildx")).find((file) => {
    try {
      fs4.accessSync(file, fs4.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
  const identity = binary ? binaryIdentity(binary) : void 0;
  const known = identity && rememberedVersion(memoryDir, identity);
  if (known) return known;
  const direct = binary ? await execCommand(binary, ["version"], { env: docker.env(), timeoutMs: 3e4 }).catch(() => void 0) : void 0;
  const r = direct?.code === 0 ? direct : await docker.run(["buildx", "version"]);
  const version = r.code === 0 ? parseVersion2(r.stdout) ?? "unknown" : void 0;
  if (identity && direct?.code === 0 && version && version !== "unknown") rememberVersion(memoryDir, identity, version);
  return version;
}
function versionMemoryDir() {
  return path5.join(os.tmpdir(), `autobuild-${process.getuid?.() ?? "user"}`);
}
function binaryIdentity(file) {
  try {
    const st = fs4.statSync(file);
    return `${file}:${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
  } catch {
    return void 0;
  }
}
var MEMORY_FILE = "buildx-version.json";
function rememberedVersion(dir, identity) {
  try {
    const file = path5.join(dir, MEMORY_FILE);
    for (const st of [fs4.statSync(dir), fs4.statSync(file)]) {
      if (process.getuid && st.uid !== process.getuid() || (st.mode & 18) !== 0) return void 0;
    }
    const saved = JSON.parse(fs4.readFileSync(file, "utf8"));
    return saved.identity === identity && typeof saved.version === "string" && parseVersion2(saved.version) === saved.version ? saved.version : void 0;
  } catch {
    return void 0;
  }
}
function rememberVersion(dir, identity, version) {
  try {
    fs4.mkdirSync(dir, { recursive: true, mode: 448 });
    const temp = path5.join(dir, `${MEMORY_FILE}.${process.pid}`);
    fs4.writeFileSync(temp, JSON.stringify({ identity, version }), { mode: 384 });
    fs4.renameSync(temp, path5.join(dir, MEMORY_FILE));
  } catch {
  }
}
async function detectCapabilities(docker, engine, env = process.env, buildxAsked) {
  const { version: engineVersion, info: parsed } = engine;
  const plugin = parsed.ClientInfo?.Plugins?.find((p) => p.Name === "buildx");
  let buildx = plugin ? parseVersion2(plugin.Version) ?? "unknown" : void 0;
  if (!parsed.ClientInfo) buildx = await (buildxAsked ?? buildxVersion(docker));
  const containerdStore = JSON.stringify(parsed.DriverStatus ?? []).includes("io.containerd.snapshotter");
  const configDir = docker.configDir ?? userConfigDir(env);
  let found = buildx ? selectedBuilder(configDir, env) ?? {} : {};
  const needBuildKit = found.driver !== "docker" && Boolean(env.ACTIONS_CACHE_SERVICE_V2);
  if (buildx && (!found.driver || needBuildKit)) {
    const inspect = await docker.run(["buildx", "inspect"]);
    if (inspect.code === 0) found = parseInspect(inspect.stdout);
  }
  let buildkit = found.buildkit;
  let buildkitFromEngine;
  if (!buildkit && found.driver === "docker") {
    buildkit = engineBuildKit(engineVersion);
    buildkitFromEngine = buildkit !== void 0 ? true : void 0;
  }
  const cacheExport = canExportCache(buildx, found.driver, containerdStore);
  const base = { engineVersion, buildx, driver: found.driver, builder: found.builder, buildkit, buildkitFromEngine, containerdStore, cacheExport };
  const caps = { ...base, cacheService: cacheServiceOf(env, base), ...buildChecksOf(base) };
  debug(`capabilities: ${JSON.stringify(caps)}`);
  return caps;
}
function describeCapabilities(c) {
  if (!c.buildx) return `engine ${c.engineVersion}, no buildx (classic docker build)`;
  const buildkit = c.buildkit ? `, BuildKit ${c.buildkit}${c.buildkitFromEngine ? " (engine)" : ""}` : "";
  return `engine ${c.engineVersion}, buildx ${c.buildx}, builder ${c.builder ?? "?"} (driver ${c.driver ?? "?"}${buildkit}), ${c.containerdStore ? "containerd image store" : "classic image store"}, cache export ${c.cacheExport ? "available" : "inline only"}, build checks ${c.buildChecks ? "on" : "not available"}`;
}

// src/plan/plan.ts
import * as path6 from "node:path";

// src/plan/defaults.ts
function defaultTags(facts, template = DEFAULT_FLAVOR, now = /* @__PURE__ */ new Date()) {
  const flavor = expandFlavor(template, facts, now);
  const out = [];
  const withFlavor = (name, ownPrefix) => sanitizeTag(`${ownPrefix ?? flavor.prefix}${name}${flavor.suffix}`);
  const add = (name, why, ownPrefix) => {
    out.push({ tag: withFlavor(name, ownPrefix), why });
  };
  const sha = (why) => {
    if (facts.sha) add(shortSha(facts.sha), why, "sha-");
  };
  let latest = false;
  let latestWhy = "";
  let rel;
  let version;
  if (facts.eventName === "schedule") {
    add("nightly", "default: schedule event");
  } else if (facts.pr) {
    add(String(facts.pr.number), "default: pull request number", "pr-");
    add(`${facts.pr.number}-${shortSha(facts.sha)}`, "default: pull request number and head commit", "pr-");
  } else if (facts.refType === "tag" && facts.tag !== void 0) {
    const v = releaseVersion(facts.tag);
    if (v && v.prerelease.length === 0) {
      add(v.version, "default: release version");
      out.push({ tag: withFlavor(`${v.major}.${v.minor}`), why: "default: release, major.minor", moves: "minor" });
      if (v.major > 0) out.push({ tag: withFlavor(`${v.major}`), why: "default: release, major", moves: "major" });
      latest = true;
      latestWhy = "default: newest release";
    } else if (v) {
      add(v.version, "default: pre-release version (no moving tags)");
    } else {
      out.push({ tag: sanitizeTag(`${flavor.prefix}${sanitizeTag(facts.tag, { lower: true })}${flavor.suffix}`), why: "default: git tag name (not a semver version)" });
    }
    if (v) {
      rel = { text: v.version, scheme: "semver", prerelease: v.prerelease.length > 0 };
      version = v.version;
    }
    sha("default: commit sha");
  } else if (facts.refType === "branch" && facts.branch !== void 0) {
    if (facts.isDefaultBranch) {
      latest = true;
      latestWhy = `default: default branch (${facts.defaultBranch})`;
    }
    out.push({ tag: sanitizeTag(`${flavor.prefix}${sanitizeTag(facts.branch, { lower: true })}${flavor.suffix}`), why: "default: branch name", fromBranch: true });
    sha("default: commit sha");
  } else {
    sha("default: commit sha");
  }
  const notes = [];
  if (flavor.latest === "true" && facts.pr) {
    notes.push(`flavor latest=true: 'latest' left out: ${PR_NEVER_MOVES}`);
  } else if (flavor.latest === "true") {
    latest = true;
    latestWhy = FORCED_LATEST_WHY;
  } else if (flavor.latest === "false") {
    latest = false;
  }
  version ??= out[0]?.tag ?? "";
  if (latest) {
    const latestTag = sanitizeTag(`${flavor.prefixLatest ? flavor.prefix : ""}latest${flavor.suffixLatest ? flavor.suffix : ""}`);
    const decision = { tag: latestTag, why: latestWhy, moves: "latest" };
    if (rel) out.splice(out.length - 1, 0, decision);
    else out.unshift(decision);
  }
  return finish(dedupeTags(out), version, flavor, notes, rel);
}

// src/plan/labels.ts
function ociLabels(facts, version, userLabels, now = /* @__PURE__ */ new Date()) {
  const created = facts.commitTime && !Number.isNaN(Date.parse(facts.commitTime)) ? new Date(facts.commitTime) : now;
  const oci = {
    "org.opencontainers.image.title": facts.repository.name,
    "org.opencontainers.image.description": facts.repository.description,
    "org.opencontainers.image.url": facts.repository.url,
    "org.opencontainers.image.source": facts.repository.url,
    "org.opencontainers.image.version": version,
    "org.opencontainers.image.created": created.toISOString(),
    "org.opencontainers.image.revision": facts.sha,
    "org.opencontainers.image.licenses": facts.repository.license
  };
  const annotations = {};
  for (const [k, v] of Object.entries(oci)) if (v) annotations[k] = v;
  const labels = { ...annotations };
  const helpers = globalHelpers(eventView(facts, now));
  for (const line of userLabels) {
    const eq = line.indexOf("=");
    const key = line.slice(0, eq).trim();
    let value2 = line.slice(eq + 1);
    if (value2.includes("{{")) {
      try {
        value2 = render(value2, helpers);
      } catch (error2) {
        if (error2 instanceof ExpressionError) throw new UserError(`Input 'labels', '${line}': ${error2.message}.`);
        throw error2;
      }
    }
    labels[key] = value2;
  }
  return { labels, annotations };
}

// src/plan/reserved.ts
function previewTagPattern(pr) {
  return new RegExp(`^pr-${pr}(?:[-_.].*)?$`);
}
function previewTagWords(pr) {
  return `pr-${pr}, or pr-${pr} followed by -, _ or . and more`;
}
var RESERVED = [
  { pattern: /^latest$/, owner: "the newest release or the default branch", latest: true },
  // 1, 1.2, 1.2.3, v1.2.3, and with a pre-release after two or three parts (1.2.3-rc.1); a branch
  // such as `123-fix-login` (an issue number, then words) is not a version.
  { pattern: /^v?\d+(?:\.\d+(?:\.\d+)?(?:-[0-9A-Za-z.-]+)?)?$/i, owner: "release versions, which the moving-tag guard keeps from going backwards" },
  { pattern: previewTagPattern("\\d+"), owner: "pull-request previews, which a closed pull request's clean-up deletes" },
  { pattern: /^sha-[0-9a-f]{7,40}$/, owner: "the image of one commit" }
];
function affixes(kind, flavor) {
  return {
    prefix: kind.latest && !flavor.prefixLatest ? "" : flavor.prefix,
    suffix: kind.latest && !flavor.suffixLatest ? "" : flavor.suffix
  };
}
function reservedBranchTag(tag, flavor) {
  const whole = RESERVED.find((kind) => kind.pattern.test(tag));
  if (whole) return { tag: sanitizeTag(`branch-${tag}`), name: tag, owner: whole.owner };
  for (const kind of RESERVED) {
    const { prefix, suffix } = affixes(kind, flavor);
    if (!prefix && !suffix) continue;
    if (tag.length <= prefix.length + suffix.length || !tag.startsWith(prefix) || !tag.endsWith(suffix)) continue;
    const name = tag.slice(prefix.length, tag.length - suffix.length);
    if (kind.pattern.test(name)) return { tag: sanitizeTag(`${prefix}branch-${name}${suffix}`), name, owner: kind.owner };
  }
  return void 0;
}
function renderedAffixes(flavor, facts, now) {
  try {
    return expandFlavor(flavor, facts, now);
  } catch {
    return { ...flavor, prefix: "", suffix: "" };
  }
}
function renameReservedBranchTags(facts, result, flavor, now, notes) {
  if (facts.pr || !result.tags.some((t) => t.fromBranch)) return result;
  const rendered = renderedAffixes(flavor, facts, now);
  const renamed = /* @__PURE__ */ new Map();
  const tags = result.tags.map((t) => {
    const found = t.fromBranch ? reservedBranchTag(t.tag, rendered) : void 0;
    if (!found) return t;
    renamed.set(t.tag, found.tag);
    const named = found.name === t.tag ? "" : ` (the name '${found.name}' between the flavor's prefix and suffix)`;
    notes.push(
      `branch '${facts.branch ?? ""}' gives the tag '${t.tag}'${named}, a name reserved for ${found.owner}: it is tagged '${found.tag}' instead`
    );
    return { ...t, tag: found.tag, why: `${t.why}, renamed from '${t.tag}' (a reserved name)` };
  });
  if (!renamed.size) return result;
  const follows = renamed.get(result.version);
  const version = follows && !tags.some((t) => t.tag === result.version) ? follows : result.version;
  return { ...result, tags, version };
}
function localWhy(pr) {
  return `not a preview tag of pull request #${pr} (${previewTagWords(pr)}): pushing it could overwrite a tag a branch or release build pushed`;
}
function keepPreviewTagsOnly(facts, plan) {
  if (!facts.pr || plan.builds.length === 0) return plan;
  const pr = facts.pr.number;
  const preview = previewTagPattern(pr);
  const notes = [...plan.notes ?? []];
  const builds = plan.builds.map((b) => {
    const own = b.tags.filter((t) => preview.test(t.tag));
    const local = b.tags.filter((t) => !preview.test(t.tag)).map((t) => ({ ...t, local: localWhy(pr) }));
    if (plan.push.enabled) for (const t of local) notes.push(`tag '${t.tag}' is a local name for the tests only, not pushed: ${localWhy(pr)}`);
    return { ...b, tags: [...own, ...local] };
  });
  const out = { ...plan, builds, notes };
  if (plan.push.enabled && !builds.some((b) => b.tags.some((t) => !t.local))) {
    const reason = `pull request #${pr} has no preview tag (${previewTagWords(pr)}), and its other tags could overwrite tags a branch or release build pushed`;
    out.push = { enabled: false, reason };
    notes.push(`nothing is pushed: ${reason}`);
  }
  return out;
}

// src/plan/trust.ts
var PUBLISHING = /* @__PURE__ */ new Set(["push", "create", "release", "schedule", "workflow_dispatch", "repository_dispatch"]);
var PULL_REQUEST = /* @__PURE__ */ new Set(["pull_request", "pull_request_target", "pull_request_review", "pull_request_review_comment"]);
function decideTrust(facts) {
  const event = facts.eventName;
  if (facts.source === "local" && !facts.pr?.fork) return { author: "writer", event: "local", why: "a local checkout, built by its owner", autoPush: true };
  if (event === "workflow_run") {
    const trigger = facts.trigger;
    const by = trigger?.event ?? "an unknown event";
    if (trigger?.fork) return { author: "fork", event, why: `workflow_run after ${by} from the fork ${trigger.headRepository ?? "(gone)"}`, autoPush: false, noPush: "the code comes from a fork" };
    if (facts.pr) return { author: "writer", event, why: `workflow_run after ${by} of pull request #${facts.pr.number} from this repository`, autoPush: true };
    if (PUBLISHING.has(by)) return { author: "writer", event, why: `workflow_run after ${by} in this repository`, autoPush: true };
    if (by === "merge_group" || by === "workflow_run") return { author: "writer", event, why: `workflow_run after ${by}`, autoPush: false, noPush: `the triggering event (${by}) is not one that publishes` };
    return { author: "unknown", event, why: `workflow_run after ${by}, which anyone can start`, autoPush: false, noPush: `anyone can start the triggering event (${by})` };
  }
  if (event === "issue_comment") {
    if (facts.pr) {
      return {
        author: "unknown",
        event,
        why: `a comment on pull request #${facts.pr.number}: the event does not say which code was checked out, and anyone can comment`,
        autoPush: false,
        noPush: "anyone can start an issue_comment workflow"
      };
    }
    return { author: "writer", event, why: "a comment on an issue: the default branch", autoPush: false, noPush: "anyone can start an issue_comment workflow" };
  }
  if (facts.pr) {
    if (facts.pr.fork) return { author: "fork", event, why: `pull request #${facts.pr.number} comes from a fork`, autoPush: false, noPush: "the code comes from a fork" };
    return { author: "writer", event, why: `pull request #${facts.pr.number} from a branch of this repository`, autoPush: true };
  }
  if (PULL_REQUEST.has(event)) {
    return { author: "unknown", event, why: `a ${event} event without its pull request`, autoPush: false, noPush: "the event does not say whose code this is" };
  }
  if (event === "merge_group") return { author: "writer", event, why: "a merge queue commit, queued by a writer", autoPush: false, noPush: "a merge queue check: the push to the base branch publishes the image" };
  if (PUBLISHING.has(event)) return { author: "writer", event, why: `a ${event} event in this repository`, autoPush: true };
  return { author: "writer", event, why: `a ${event} event: the default branch`, autoPush: false, noPush: `${event} is not an event that publishes (set push: true to push)` };
}
function untrusted(trust) {
  return trust.author !== "writer";
}
function describeTrust(trust, hostCode) {
  const who = trust.author === "writer" ? "a writer of this repository" : trust.author === "fork" ? "a fork" : "unknown";
  const host = hostCode === "off" ? "; hooks/ and autotest compose files do not run (allow-untrusted-host-code: true runs them on the runner)" : hostCode === "allowed" ? "; hooks/ and autotest compose files run on the runner (allow-untrusted-host-code: true)" : "";
  return `Code from: ${who} (${trust.why})${host}`;
}

// src/plan/plan.ts
function refsFor(images, tags) {
  return images.flatMap((image) => tags.map((t) => `${image.name}:${t.tag}`));
}
function decidePush(facts, inputs, trust = decideTrust(facts)) {
  if (inputs.push === "false") return { enabled: false, reason: "push: false" };
  if (trust.author === "fork") {
    if (inputs.push === "true") {
      throw new UserError(
        `Input 'push' is 'true' but the code comes from a fork (${trust.why}): autobuild never pushes a fork's code, whatever credentials the event has. Use push: auto to build and test it without pushing.`
      );
    }
    return { enabled: false, reason: `${trust.why}: build and test only, never push` };
  }
  if (inputs.push === "true") {
    if (facts.pr?.action === "closed") return { enabled: false, reason: `pull request #${facts.pr.number} was closed` };
    return { enabled: true, reason: "push: true" };
  }
  if (!trust.autoPush) return { enabled: false, reason: `${facts.eventName} event: build and test only, ${trust.noPush ?? "not an event that publishes"} (push: true pushes)` };
  if (facts.pr) {
    if (facts.pr.action === "closed") return { enabled: false, reason: `pull request #${facts.pr.number} was closed` };
    if (inputs.prPreview) return { enabled: true, reason: `pr-preview: true for pull request #${facts.pr.number}` };
    return { enabled: false, reason: `pull request #${facts.pr.number}: build and test only (set pr-preview: true to push a preview image)` };
  }
  return { enabled: true, reason: `${facts.eventName} event on ${facts.ref || "this ref"}` };
}
function checkTags(tags) {
  for (const t of tags) {
    if (!isValidTag(t.tag)) {
      throw new UserError(`${t.why} produced the tag '${t.tag}', which Docker does not accept: a tag is ${TAG_RULE}.`);
    }
  }
  return dedupeTags(tags);
}
function eventWords(facts) {
  if (facts.pr) return `pull request #${facts.pr.number}`;
  if (facts.refType === "tag") return `tag '${facts.tag}'`;
  if (facts.refType === "branch") return `${facts.eventName} on branch '${facts.branch}'`;
  return `${facts.eventName} on ${facts.ref || "(no ref)"}`;
}
function ruleTags(rule, facts, refType, refName, flavor) {
  const entries = applyRuleTags(rule, refType, refName);
  if (!entries) return void 0;
  const why = describeRule(rule);
  if (entries.length === 0) {
    throw new UserError(`Input 'rules': ${why} matches ${refType} '${refName}' but its tag template gave no tag (every entry was empty).`);
  }
  const v = refType === "tag" ? releaseVersion(refName) : void 0;
  const tags = entries.map(({ tag, fromBranch }) => {
    const d = { tag, why };
    if (fromBranch) d.fromBranch = true;
    if (v && tag === "latest") d.moves = "latest";
    else if (v && v.prerelease.length === 0 && tag === `${v.major}.${v.minor}`) d.moves = "minor";
    else if (v && v.prerelease.length === 0 && tag === `${v.major}`) d.moves = "major";
    return d;
  });
  const version = v?.version ?? tags.find((t) => t.tag !== "latest")?.tag ?? tags[0].tag;
  return finish(dedupeTags(tags), version, flavor, [], v ? { text: v.version, scheme: "semver", prerelease: v.prerelease.length > 0 } : void 0);
}
function tagResult(facts, inputs, now) {
  const tagFacts = rebuildsDefaultBranch(facts, inputs) ? { ...facts, eventName: "push" } : facts;
  return inputs.tags.length ? evaluateTagRules(tagFacts, inputs.tags, inputs.flavor, now) : defaultTags(tagFacts, inputs.flavor, now);
}
function rebuildsDefaultBranch(facts, inputs) {
  return inputs.rebuild === "base-changed" && facts.eventName === "schedule" && facts.isDefaultBranch;
}
function makePlan(facts, inputs, now = /* @__PURE__ */ new Date()) {
  const plan = planBuilds(facts, inputs, now);
  const share = inputs.distribute ?? [];
  return share.length ? { ...plan, distribution: { platforms: inputs.platforms ?? [], share } } : plan;
}
function planBuilds(facts, inputs, now) {
  const trust = decideTrust(facts);
  const hostCode = !untrusted(trust) ? "run" : inputs.allowUntrustedHostCode ? "allowed" : "off";
  const push = decidePush(facts, inputs, trust);
  if (facts.pr?.action === "closed") {
    const pr = facts.pr.number;
    const cleanup = inputs.prPreview && !untrusted(trust) ? { pr, pattern: previewTagPattern(pr) } : void 0;
    return {
      images: inputs.images,
      trust,
      hostCode,
      builds: [],
      push,
      skipped: `pull request #${pr} was closed${cleanup ? ": removing its preview tags" : ""}`,
      cleanup
    };
  }
  const notes = [];
  if (rebuildsDefaultBranch(facts, inputs)) notes.push(`rebuild: base-changed on a schedule: the tags of the default branch '${facts.defaultBranch}' (not nightly), built only when the commit or a base image moved since they were pushed`);
  if (untrusted(trust) && inputs.secrets?.length) {
    notes.push(`the build secrets of 'secrets' are not given to this build: ${trust.why}, and its Dockerfile could send them anywhere`);
  }
  const builds = [];
  const flavor = inputs.flavor ?? DEFAULT_FLAVOR;
  const fallback = { context: inputs.context, file: inputs.file || path6.join(inputs.context, "Dockerfile") };
  const build = (name, context, file, result) => {
    result = renameReservedBranchTags(facts, result, flavor, now, notes);
    const tags = checkTags(result.tags);
    const { labels, annotations } = ociLabels(facts, result.version, inputs.labels, now);
    const b = { name, context, file, tags, version: result.version, labels, annotations };
    if (result.release && tags.some((t) => t.moves)) b.release = result.release;
    return b;
  };
  const defaultBuild = (result) => {
    notes.push(...result.notes);
    if (result.tags.length === 0) {
      if (push.enabled) {
        throw new UserError(
          `Input 'tags': no line gives a tag for ${eventWords(facts)}, so there is nothing to push (lines, by priority: ${inputs.tags.map((r) => `${r.line}: ${r.text}`).join("; ")}). Add a line for this event, e.g. type=ref,event=branch, type=ref,event=pr or type=sha.`
        );
      }
      result = { ...result, tags: [{ tag: `sha-${shortSha(facts.sha)}`, why: "no line in tags gives a tag for this event; used as a local name only (nothing is pushed)" }] };
      notes.push(`no line in 'tags' gives a tag for ${eventWords(facts)}; the image is built and tested as sha-${shortSha(facts.sha)} and not pushed`);
    }
    builds.push(build("default", fallback.context, fallback.file, result));
  };
  const tagSource = inputs.tags.length ? "tags" : "defaults";
  if (inputs.rules.length > 0) {
    const refType = facts.refType === "branch" || facts.refType === "tag" ? facts.refType : void 0;
    if (facts.pr) {
      const base = facts.baseRef ?? "";
      const matching = inputs.rules.filter((r) => r.autobuild && matchRule(r, "branch", base));
      if (matching.length) {
        matching.forEach((rule, i) => {
          const tag = i === 0 ? `pr-${facts.pr.number}` : `pr-${facts.pr.number}-rule${rule.index}`;
          const result = { tags: [{ tag, why: `pull request #${facts.pr.number} into '${base}', built as ${describeRule(rule)}` }], version: tag, notes: [] };
          const { context, file } = rulePaths(facts.workspace, rule, fallback);
          builds.push(build(describeRule(rule), context, file, result));
        });
        return refuseSharedTags(facts, { images: inputs.images, builds, push, trust, hostCode, tagSource: "rules", notes });
      }
      notes.push(`no rule in 'rules' builds the target branch '${base}': the pull request is built from 'context'/'file' with ${tagSource === "tags" ? "the 'tags' lines" : "the default tags"}`);
      defaultBuild(tagResult(facts, inputs, now));
      return refuseSharedTags(facts, { images: inputs.images, builds, push, trust, hostCode, tagSource, notes });
    }
    if (refType) {
      const refName = (refType === "branch" ? facts.branch : facts.tag) ?? "";
      for (const rule of inputs.rules) {
        if (!rule.autobuild) continue;
        const result = ruleTags(rule, facts, refType, refName, flavor);
        if (!result) continue;
        const { context, file } = rulePaths(facts.workspace, rule, fallback);
        builds.push(build(describeRule(rule), context, file, result));
      }
      if (builds.length) return refuseSharedTags(facts, { images: inputs.images, builds, push, trust, hostCode, tagSource: "rules", notes });
      if (!inputs.tags.length) {
        return { images: inputs.images, builds, push, trust, hostCode, tagSource: "rules", notes, skipped: `no rule in 'rules' matches ${refType} '${refName}'` };
      }
      notes.push(`no rule in 'rules' matches ${refType} '${refName}': the 'tags' lines decide`);
      defaultBuild(tagResult(facts, inputs, now));
      return refuseSharedTags(facts, { images: inputs.images, builds, push, trust, hostCode, tagSource: "rules, then tags", notes });
    }
  }
  defaultBuild(tagResult(facts, inputs, now));
  return refuseSharedTags(facts, { images: inputs.images, builds, push, trust, hostCode, tagSource, notes });
}
function refuseSharedTags(facts, plan) {
  const owner = /* @__PURE__ */ new Map();
  for (const b of plan.builds) {
    for (const t of b.tags) {
      const other = owner.get(t.tag);
      if (other && other !== b.name) {
        throw new UserError(
          `Input 'rules': ${other} and ${b.name} both give the tag '${t.tag}' for ${eventWords(facts)}; a tag can name only one image. Change one of the tag templates.`
        );
      }
      owner.set(t.tag, b.name);
    }
  }
  return keepPreviewTagsOnly(facts, plan);
}

// src/plan/cache.ts
var semver4 = __toESM(require_semver(), 1);
import { createHash as createHash2 } from "node:crypto";
import * as path7 from "node:path";
function tagSeries(tag) {
  const version = releaseVersion(tag);
  if (version) return `${/^v/i.test(tag) ? "v" : ""}${semver4.major(version)}`;
  return tag.replace(/\d+/g, "N");
}
function scopeName(name) {
  return sanitizeTag(name, { lower: true }).slice(0, 60).replace(/[.-]+$/, "") || "unnamed";
}
function cacheScopes(facts) {
  const def = scopeName(facts.defaultBranch);
  const read = [];
  let write;
  if (facts.pr) {
    write = facts.pr.fork ? `pr-${facts.pr.number}` : scopeName(facts.pr.headRef || `pr-${facts.pr.number}`);
    if (!facts.pr.fork) read.push(write);
    if (facts.baseRef) read.push(scopeName(facts.baseRef));
  } else if (facts.refType === "tag" && facts.tag !== void 0) {
    write = `tag-${scopeName(tagSeries(facts.tag))}`;
    read.push(write);
  } else if (facts.refType === "branch" && facts.branch !== void 0) {
    write = scopeName(facts.branch);
    read.push(write);
  } else {
    write = def;
  }
  read.push(def);
  return { write, read: [...new Set(read)] };
}
function buildSlug(workspace, context, file, target, platforms = []) {
  const relFile = path7.relative(workspace, file).split(path7.sep).join("/");
  const relContext = path7.relative(workspace, context).split(path7.sep).join("/") || ".";
  const parts = [];
  if (!(relFile === "Dockerfile" && relContext === ".")) {
    parts.push(relFile.replace(/(^|\/)Dockerfile$/, "") || "dockerfile");
    const fileDir = path7.posix.dirname(relFile);
    if (relContext !== fileDir) parts.push(`in-${relContext === "." ? "root" : relContext}`);
  }
  if (target) parts.push(target);
  if (platforms.length) parts.push([...platforms].sort().join("+").replace(/\//g, "-"));
  if (!parts.length) return "";
  const slug = sanitizeTag(parts.join("-"), { lower: true });
  if (slug.length <= 40) return slug;
  const hash = createHash2("sha256").update(parts.join("\0")).digest("hex").slice(0, 8);
  return `${slug.slice(0, 31).replace(/[.-]+$/, "")}-${hash}`;
}
function joinName(...parts) {
  return parts.filter(Boolean).join("-");
}
function registryCacheRef(image, slug, scope) {
  return `${image}:${sanitizeTag(joinName("buildcache", slug, scope), { lower: true })}`;
}
function readsRegistry(backend) {
  return backend === "registry" || backend === "inline";
}
function autoChoice(caps) {
  if (!caps.buildx) return { backend: "off", reason: "buildx is not installed, and the classic builder cannot import cache from a registry" };
  const builder = `${caps.driver ?? "unknown"} driver${caps.driver === "docker" ? caps.containerdStore ? ", containerd image store" : ", classic image store" : ""}`;
  if (caps.cacheService.gha) return { backend: "gha", reason: `GitHub's cache service is usable (${caps.cacheService.ghaReason})` };
  const noGha = caps.cacheService.version ? `gha is not usable: ${caps.cacheService.ghaReason}` : "not on a runner with a cache service";
  if (caps.cacheExport) return { backend: "registry", reason: `the builder can export cache (${builder}); ${noGha}` };
  return {
    backend: "inline",
    reason: `the builder can only write inline cache (${builder}); enable the containerd image store or use a docker-container builder for a full registry cache`
  };
}
function requireBackend(mode, caps) {
  const builder = `the builder (${caps.driver ?? "unknown"} driver${caps.driver === "docker" && !caps.containerdStore ? " with the classic image store" : ""})`;
  const fail2 = (why, fix) => {
    throw new UserError(`Input 'cache' is '${mode}' but ${why}. ${fix}, or use cache: auto to take the best this runner allows.`);
  };
  if (!caps.buildx) fail2("buildx is not installed on this runner", "Install the buildx plugin");
  if (mode === "inline") return "forced by the cache input";
  if (!caps.cacheExport) {
    fail2(`${builder} cannot export cache`, 'Enable the containerd image store ({"features":{"containerd-snapshotter":true}} in daemon.json), select a docker-container builder, use cache: inline');
  }
  if (mode === "gha" && !caps.cacheService.gha) fail2(`GitHub's cache service cannot be used: ${caps.cacheService.ghaReason}`, "Run on a GitHub runner with a recent buildx");
  if (mode === "local") {
    const missing = [
      ...caps.cacheService.version ? [] : ["ACTIONS_RESULTS_URL or ACTIONS_CACHE_URL (its URL)"],
      ...caps.cacheService.token ? [] : ["ACTIONS_RUNTIME_TOKEN (its token)"]
    ];
    if (missing.length) {
      fail2(
        `the runner's cache service, which keeps the cache directory between runs, cannot be used: ${missing.join(" and ")} ${missing.length > 1 ? "are" : "is"} not set`,
        "Run it as a step of a GitHub Actions job (the runner sets both), use cache: registry or cache: inline"
      );
    }
  }
  return "forced by the cache input";
}
function inlineSources(image, tags, facts) {
  const own = tags.filter((t) => !t.includes(shortSha(facts.sha)) && !/^sha-/.test(t)).slice(0, 2);
  const refs = [...own, sanitizeTag(facts.defaultBranch, { lower: true }), "latest"].map((t) => `${image}:${t}`);
  return [...new Set(refs)].slice(0, 3);
}
function chooseBackend(caps, requested) {
  if (requested === "auto") return autoChoice(caps);
  if (requested === "off") return { backend: "off", reason: "cache: off" };
  return { backend: requested, reason: requireBackend(requested, caps) };
}
function skippedImport(read, trust, image) {
  if (read?.access !== "refused") return void 0;
  const why = untrusted(trust) ? `${trust.why}, so no credentials are used` : `this run has no credentials for ${read.registry}`;
  return `the cache is not read: ${why}, and ${read.registry} refuses anonymous reads of ${image.slice(read.registry.length + 1)}${read.answer ? ` (${read.answer})` : ""}`;
}
function planCache(caps, facts, inputs, plan, env) {
  const requested = inputs.cache;
  const scopes = cacheScopes(facts);
  const { backend, reason } = chooseBackend(caps, requested);
  const image = plan.images[0]?.name ?? "image";
  const importNote = readsRegistry(backend) && plan.images[0]?.registry === env.read?.registry ? skippedImport(env.read, plan.trust, image) : void 0;
  let exports = backend !== "off";
  let exportNote;
  if (exports && untrusted(plan.trust)) {
    exports = false;
    exportNote = `${plan.trust.why}: ${importNote ? "no cache is written" : "cache is read, never written"}`;
  } else if (exports && backend === "registry" && !plan.push.enabled) {
    exports = false;
    exportNote = `nothing is pushed (${plan.push.reason}), so no cache image is written either`;
  }
  const builds = plan.builds.map((b) => {
    const slug = buildSlug(facts.workspace, b.context, b.file, inputs.target, inputs.platforms);
    const id = sanitizeTag(joinName(image, slug), { lower: true });
    const from = [];
    let to;
    let local;
    let description;
    switch (backend) {
      case "off":
        description = "no cache";
        break;
      case "registry": {
        const refs = scopes.read.map((s) => registryCacheRef(image, slug, s));
        const target = registryCacheRef(image, slug, scopes.write);
        if (exports) to = `type=registry,ref=${target},mode=max,ignore-error=true`;
        if (importNote) {
          description = exports ? `registry cache ${target} (mode=max, write only): ${importNote}` : `no cache: ${importNote}`;
          break;
        }
        from.push(...refs.map((ref) => `type=registry,ref=${ref}`));
        description = `registry cache ${exports ? `${target} (mode=max)` : "(read only)"}, read from ${refs.map((r) => r.slice(image.length + 1)).join(", ")}`;
        break;
      }
      case "gha": {
        const scope = (s) => `autobuild/${id}/${s}`;
        from.push(...scopes.read.map((s) => `type=gha,scope=${scope(s)}`));
        if (exports) to = `type=gha,scope=${scope(scopes.write)},mode=max,ignore-error=true`;
        description = `GitHub Actions cache, scope ${scope(scopes.write)}${exports ? " (mode=max)" : " (read only)"}, read from ${scopes.read.join(", ")}`;
        break;
      }
      case "local": {
        const dir = path7.join(env.homeDir, ".cache", "autobuild", id);
        local = {
          dir,
          cachePath: `~/.cache/autobuild/${id}`,
          newDir: `${dir}-new`,
          key: `autobuild/${id}/${scopes.write}/${facts.sha}`,
          restoreKeys: scopes.read.map((s) => `autobuild/${id}/${s}/`)
        };
        from.push(`type=local,src=${dir}`);
        if (exports) to = `type=local,dest=${local.newDir},mode=max,ignore-error=true`;
        description = `local cache directory kept by the runner's cache service, key ${local.key}${exports ? "" : " (read only)"}, restored from ${scopes.read.join(", ")}`;
        break;
      }
      case "inline": {
        const refs = inlineSources(image, b.tags.map((t) => t.tag), facts);
        if (exports) to = "type=inline";
        if (importNote) {
          description = exports ? `inline cache in the pushed image (write only): ${importNote}` : `no cache: ${importNote}`;
          break;
        }
        from.push(...refs.map((ref) => `type=registry,ref=${ref}`));
        description = `inline cache in the pushed image, read from ${refs.map((r) => r.slice(image.length + 1)).join(", ")}`;
        break;
      }
    }
    const args = cacheArgs(from, to);
    return { from, to, args, local, description };
  });
  return { requested, backend, reason, scopes, exports, exportNote, importNote, builds };
}
function cacheArgs(from, to) {
  return [...from.flatMap((f) => ["--cache-from", f]), ...to ? ["--cache-to", to] : []];
}
function describeCache(plan) {
  const how = plan.requested === "auto" ? `auto -> ${plan.backend}` : plan.backend;
  return `${how}: ${plan.reason}${plan.importNote ? `; ${plan.importNote}` : ""}${plan.exportNote ? `; ${plan.exportNote}` : ""}`;
}

// src/phases/build.ts
import * as path11 from "node:path";

// src/engine/build.ts
var semver5 = __toESM(require_semver(), 1);
import * as fs6 from "node:fs";
import * as path9 from "node:path";

// src/engine/cache.ts
import * as fs5 from "node:fs";
import * as path8 from "node:path";
function cacheReadProblem(error2) {
  const cause = error2.replace(/^failed to configure \S+ cache importer: /, "");
  if (/no such file or directory\s*$/.test(cause)) return void 0;
  const fault = classifyOutput(cause);
  if (fault.status === 404) return void 0;
  if (fault.status === 401) return "unauthorized (HTTP 401): no or wrong credentials for reading it";
  if (fault.status === 403) return "access denied (HTTP 403): the credentials may not read it";
  return fault.reason;
}
function readCacheLog(log) {
  const titles = /* @__PURE__ */ new Map();
  const errors = /* @__PURE__ */ new Map();
  for (const m of log.matchAll(/^#(\d+) (.*)$/gm)) {
    const [, step, text2] = m;
    if (!titles.has(step)) titles.set(step, text2);
    else if (text2.startsWith("ERROR:") && !errors.has(step)) errors.set(step, text2.slice(6).trim());
  }
  const out = { imported: [], missing: [], unreadable: [], otherError: false };
  const missing = (source, error2) => {
    out.missing.push(source);
    const reason = cacheReadProblem(error2);
    if (reason) out.unreadable.push({ source, reason, error: error2 });
  };
  for (const [step, title] of titles) {
    const error2 = errors.get(step);
    const source = /^importing cache manifest from (.+)$/.exec(title)?.[1];
    if (source) {
      if (error2) missing(source, error2);
      else out.imported.push(source);
    } else if (/^exporting cache\b/.test(title)) {
      if (error2) out.exportError = error2;
    } else if (error2) {
      out.otherError = true;
    }
  }
  for (const m of log.matchAll(/^WARNING: local cache import at (\S+) not found(?: due to err: (.*))?$/gm)) missing(m[1], m[2] ?? "not found");
  return out;
}
function countCacheHits(log) {
  const lines2 = /* @__PURE__ */ new Map();
  const work = /* @__PURE__ */ new Set();
  for (const m of log.matchAll(/^#(\d+) (.*)$/gm)) {
    const [, step, text2] = m;
    if (/^\[[^\]]*\d+\/\d+\] (?!FROM )/.test(text2)) {
      if (!lines2.has(step)) lines2.set(step, []);
      work.add(step);
      continue;
    }
    lines2.get(step)?.push(text2);
  }
  let cached = 0;
  for (const step of work) {
    const body = (lines2.get(step) ?? []).filter((l) => !/^DONE\b/.test(l));
    if (body.includes("CACHED")) cached++;
    else if (body.length > 0 && body.every((l) => /^(extracting )?sha256:[a-f0-9]+\b/.test(l))) cached++;
  }
  return { steps: work.size, cached };
}
function cacheFailure(log) {
  const final = [...log.matchAll(/^ERROR: (?:failed to solve: )?(.*)$/gm)].map((m) => m[1]).join("\n");
  if (/failed to configure \S+ cache exporter/.test(final)) return "export";
  if (/failed to configure \S+ cache importer/.test(final)) return "import";
  const facts = readCacheLog(log);
  return facts.exportError !== void 0 && !facts.otherError ? "export" : void 0;
}
function withoutExport(args) {
  const out = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--cache-to") i++;
    else out.push(args[i]);
  }
  return out;
}
function hasCache(dir) {
  return fs5.existsSync(path8.join(dir, "index.json"));
}
function blobs(dir) {
  try {
    return new Set(fs5.readdirSync(path8.join(dir, "blobs", "sha256")));
  } catch {
    return /* @__PURE__ */ new Set();
  }
}
var LOCK_HOLDS_MS = 6 * 60 * 60 * 1e3;
function lockLocalCache(local, now = Date.now()) {
  const lock = `${local.dir}.lock`;
  const owner = path8.join(lock, "owner.json");
  const release = () => fs5.rmSync(lock, { recursive: true, force: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs5.mkdirSync(path8.dirname(lock), { recursive: true });
      fs5.mkdirSync(lock);
      fs5.writeFileSync(owner, JSON.stringify({ pid: process.pid, since: now }));
      return { release };
    } catch (error2) {
      if (error2.code !== "EEXIST") return { busy: `its lock ${lock} cannot be made: ${getErrorMessage(error2)}` };
    }
    let held = {};
    try {
      held = JSON.parse(fs5.readFileSync(owner, "utf8"));
    } catch {
      const made = fs5.statSync(lock, { throwIfNoEntry: false });
      if (made && now - made.mtimeMs < 6e4) return { busy: `another job on this machine is taking it (${lock})` };
    }
    if (held.pid && held.pid !== process.pid && alive(held.pid) && now - (held.since ?? 0) < LOCK_HOLDS_MS) {
      return { busy: `another job on this machine (process ${held.pid}) is using it since ${new Date(held.since ?? 0).toISOString()}` };
    }
    release();
  }
  return { busy: `its lock ${lock} keeps coming back` };
}
function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error2) {
    return error2.code === "EPERM";
  }
}
async function restoreLocalCache(local) {
  fs5.rmSync(local.dir, { recursive: true, force: true });
  fs5.rmSync(local.newDir, { recursive: true, force: true });
  fs5.mkdirSync(path8.dirname(local.dir), { recursive: true });
  let restoredKey;
  try {
    const cache = await import("./cache-CJUSJD5C.js");
    restoredKey = await cache.restoreCache([local.cachePath], local.key, local.restoreKeys);
  } catch (error2) {
    warning(`Could not restore the layer cache: ${getErrorMessage(error2)}. Building without it.`);
  }
  if (restoredKey && !hasCache(local.dir)) {
    warning(`The restored cache ${restoredKey} holds no BuildKit cache: building without it.`);
    fs5.rmSync(local.dir, { recursive: true, force: true });
    restoredKey = void 0;
  }
  const note = restoredKey ? `restored ${restoredKey}` : "no cache entry for this scope or its fallbacks";
  return { restoredKey, blobs: blobs(local.dir), note };
}
async function saveLocalCache(local, restored) {
  try {
    if (!hasCache(local.newDir)) return { note: "the build wrote no cache: nothing to save" };
    const fresh = blobs(local.newDir);
    fs5.rmSync(local.dir, { recursive: true, force: true });
    fs5.renameSync(local.newDir, local.dir);
    const unchanged = restored.restoredKey !== void 0 && fresh.size === restored.blobs.size && [...fresh].every((b) => restored.blobs.has(b));
    if (restored.restoredKey === local.key) return { note: `an entry for ${local.key} exists already: not saved again` };
    if (unchanged) return { note: `unchanged since ${restored.restoredKey}: not uploaded again` };
    const cache = await import("./cache-CJUSJD5C.js");
    const id = await cache.saveCache([local.cachePath], local.key);
    if (id === -1) return { note: `the runner's cache service did not take ${local.key}` };
    return { savedKey: local.key, note: `saved ${local.key} (${fresh.size} blobs)` };
  } catch (error2) {
    const message = `Could not save the layer cache: ${getErrorMessage(error2)}`;
    warning(message);
    return { note: message };
  }
}
function hasLocalCache(local) {
  return hasCache(local.dir);
}

// src/engine/image.ts
async function imageFacts(docker, image) {
  const found = await docker.inspectImage(image);
  const id = found?.Id?.trim();
  if (!id) return void 0;
  const size = Number(found.Size);
  return { id, size: Number.isFinite(size) && size > 0 ? size : void 0, labels: found.Config?.Labels ?? {} };
}
async function imageId(docker, ref) {
  return (await docker.inspectImage(ref))?.Id?.trim() || void 0;
}

// src/engine/build.ts
var ANNOTATION_BUILDX = "0.12.0";
function canAnnotate(caps) {
  const buildx = caps.buildx && semver5.valid(caps.buildx);
  return Boolean(buildx && semver5.gte(buildx, ANNOTATION_BUILDX) && caps.containerdStore);
}
function annotationArgs(annotations, platforms) {
  const levels = platforms.length > 1 ? ["index", "manifest"] : ["manifest"];
  return Object.entries(annotations ?? {}).flatMap(([k, v]) => levels.flatMap((level) => ["--annotation", `${level}:${k}=${v}`]));
}
function buildEnv(inputs, caps) {
  return {
    DOCKER_BUILDKIT: "1",
    BUILDKIT_PROGRESS: "plain",
    BUILDX_METADATA_PROVENANCE: "disabled",
    ...caps.buildChecks && inputs.check !== "off" ? { BUILDX_METADATA_WARNINGS: "1" } : {}
  };
}
function pullsBasesAfresh(platforms, caps, native = NATIVE_PLATFORM) {
  if (!platforms.some((p) => normalizePlatform(p) !== native) || !caps.buildx || !caps.containerdStore || caps.driver !== "docker") return false;
  const buildkit = caps.buildkit && semver5.coerce(caps.buildkit);
  return Boolean(buildkit && semver5.lt(buildkit, "0.14.0"));
}
function buildArgv(req, caps) {
  const { build, inputs } = req;
  const args = caps.buildx ? ["buildx", "build"] : ["build"];
  args.push("--file", build.file, "--tag", req.localTag);
  for (const [k, v] of Object.entries(build.labels)) args.push("--label", `${k}=${v}`);
  if (canAnnotate(caps)) args.push(...annotationArgs(build.annotations, inputs.platforms));
  for (const a of inputs.buildArgs) args.push("--build-arg", a);
  if (caps.buildChecks) args.push(...checkBuildArgs(inputs.check, inputs.buildArgs));
  if (inputs.target) args.push("--target", inputs.target);
  args.push("--iidfile", req.iidFile);
  if (caps.buildx) {
    for (const s of inputs.secrets) args.push("--secret", s);
    if (inputs.platforms.length) args.push("--platform", inputs.platforms.join(","));
    if (req.pull || pullsBasesAfresh(inputs.platforms, caps)) args.push("--pull");
    args.push("--provenance=false", "--metadata-file", req.metadataFile, ...loadArgs(inputs.compression ?? { type: "gzip" }));
    args.push(...req.cacheArgs);
  }
  if (!caps.buildx && req.pull) args.push("--pull");
  args.push(build.context);
  return args;
}
var BuildFailed = class extends UserError {
  constructor(message, log) {
    super(message);
    this.log = log;
  }
  log;
};
function checkBuildFiles(build) {
  if (!fs6.existsSync(build.context) || !fs6.statSync(build.context).isDirectory()) {
    throw new UserError(`The build context '${build.context}' (${build.name}) does not exist or is not a folder.`);
  }
  if (!fs6.existsSync(build.file)) {
    throw new UserError(
      `No Dockerfile at '${build.file}' (${build.name}). Set 'file' to the Dockerfile's path, or 'context' to the folder that holds it.`
    );
  }
}
function exportedDigest(metadataFile) {
  try {
    const digest = JSON.parse(fs6.readFileSync(metadataFile, "utf8"))?.["containerimage.digest"];
    return typeof digest === "string" && /^sha256:[a-f0-9]{64}$/.test(digest) ? digest : void 0;
  } catch {
    return void 0;
  }
}
async function runBuild(docker, req, caps, timeoutMs) {
  const started = Date.now();
  fs6.mkdirSync(path9.dirname(req.iidFile), { recursive: true });
  const r = await docker.run(buildArgv(req, caps), {
    stream: true,
    timeoutMs,
    env: buildEnv(req.inputs, caps)
  });
  const log = r.stderr + r.stdout;
  if (r.code !== 0) {
    const hint = execFormatHint(log, req.inputs.platforms);
    throw new BuildFailed(`The build of ${req.build.name} failed (exit ${r.code}):
${tail(r, 12)}${hint ? `
${hint}` : ""}`, log);
  }
  const exported = caps.driver === "docker" ? exportedDigest(req.metadataFile) : void 0;
  const facts = exported ? void 0 : await imageFacts(docker, req.localTag);
  const imageId2 = exported ?? facts?.id ?? fs6.readFileSync(req.iidFile, "utf8").trim();
  const hits = countCacheHits(log);
  return {
    imageId: imageId2,
    facts,
    seconds: (Date.now() - started) / 1e3,
    cachedSteps: hits.cached,
    totalSteps: hits.steps,
    log
  };
}

// src/engine/registry.ts
import { createHash as createHash3 } from "node:crypto";

// src/engine/http.ts
import * as http from "node:http";
import { pipeline } from "node:stream/promises";
var MAX_ANSWER_BYTES = 16 * 2 ** 20;
var REDIRECTS = /* @__PURE__ */ new Set([301, 302, 303, 307, 308]);
async function nodeFetch(url, init, redirects = 5) {
  const target = new URL(url);
  const client = target.protocol === "https:" ? await import("node:https") : http;
  const stream = typeof init.body === "function" ? init.body : void 0;
  const body = typeof init.body === "string" ? Buffer.from(init.body) : typeof init.body === "function" ? void 0 : init.body;
  const headers = { ...init.headers, ...body ? { "content-length": String(body.byteLength) } : {} };
  return new Promise((resolve2, reject) => {
    const req = client.request(target, { method: init.method, headers, signal: init.signal }, (res) => {
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (init.redirect === "follow" && location && REDIRECTS.has(status) && redirects > 0) {
        res.resume();
        const next = new URL(location, target);
        const method = status === 303 || (status === 301 || status === 302) && init.method === "POST" ? "GET" : init.method;
        const sameHost = next.origin === target.origin;
        const nextHeaders = Object.fromEntries(Object.entries(init.headers).filter(([k]) => sameHost || k.toLowerCase() !== "authorization"));
        resolve2(nodeFetch(next.toString(), { ...init, method, headers: nextHeaders, body: method === "GET" || method === "HEAD" ? void 0 : init.body }, redirects - 1));
        return;
      }
      const chunks = [];
      let size = 0;
      const limit = init.maxBytes ?? MAX_ANSWER_BYTES;
      const whole = new Promise((done, failed2) => {
        res.on("data", (chunk) => {
          size += chunk.length;
          if (size > limit) {
            failed2(new Error(`the answer of ${target.host} is larger than ${limit / 2 ** 20} MiB: not read`));
            res.destroy();
            return;
          }
          chunks.push(chunk);
        });
        res.on("end", () => done(Buffer.concat(chunks)));
        res.on("error", failed2);
        res.on("aborted", () => failed2(new Error("the connection closed before the whole answer arrived")));
      });
      whole.catch(() => void 0);
      resolve2({
        status,
        ok: status >= 200 && status < 300,
        headers: {
          get: (name) => {
            const value2 = res.headers[name.toLowerCase()];
            return value2 === void 0 ? null : Array.isArray(value2) ? value2.join(", ") : String(value2);
          }
        },
        json: async () => JSON.parse((await whole).toString("utf8")),
        arrayBuffer: async () => {
          const b = await whole;
          return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
        },
        body: {
          cancel: async () => {
            res.destroy();
          }
        }
      });
    });
    req.on("error", (error2) => reject(init.signal?.aborted ? init.signal.reason : Object.assign(new TypeError("fetch failed"), { cause: error2 })));
    if (!stream) {
      req.end(body);
      return;
    }
    void pipeline(stream(), req).catch((error2) => req.destroy(error2));
  });
}

// src/engine/registry.ts
var RegistryError = class extends Error {
  constructor(message, status, code2, fault) {
    super(message);
    this.status = status;
    this.code = code2;
    this.fault = fault ?? (status ? classifyStatus(status) : { kind: "permanent", reason: message });
  }
  status;
  code;
  name = "RegistryError";
  fault;
};
function seconds(ms) {
  return ms < 1e4 ? `${(ms / 1e3).toFixed(1)}s` : `${Math.round(ms / 1e3)}s`;
}
function registryBaseUrl(registry) {
  if (registry === DOCKER_HUB) return "https://registry-1.docker.io";
  const host = registry.replace(/:\d+$/, "").replace(/^\[|\]$/g, "");
  const loopback = host === "localhost" || /^127\.\d+\.\d+\.\d+$/.test(host) || host === "::1";
  return `${loopback ? "http" : "https"}://${registry}`;
}
function parseChallenges(header) {
  const out = [];
  const re = /[\s,]*(?:([\w-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^\s,]*)|([A-Za-z][\w-]*))/y;
  let current;
  for (let m = re.exec(header); m && m[0].length > 0; m = re.exec(header)) {
    if (m[3] !== void 0) {
      current = { scheme: m[3].toLowerCase(), params: {} };
      out.push(current);
    } else if (current) {
      const raw = m[2] ?? "";
      current.params[m[1].toLowerCase()] = raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, "$1") : raw;
    }
  }
  return out;
}
var MANIFEST_TYPES = [
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.docker.distribution.manifest.v2+json"
].join(", ");
var MAX_PAGES = 200;
function registryClientFor(registry, credentials, options = {}) {
  const cred = credentials.find((c) => c.registry === registry);
  return new RegistryClient({ ...options, registry, credentials: cred && { username: cred.username, password: cred.password } });
}
var RegistryClient = class {
  constructor(options) {
    this.options = options;
    this.baseUrl = (options.baseUrl ?? registryBaseUrl(options.registry)).replace(/\/$/, "");
    this.fetch = options.fetch ?? nodeFetch;
    this.timeoutMs = options.timeoutMs ?? 3e4;
  }
  options;
  baseUrl;
  fetch;
  timeoutMs;
  /** Authorization header per scope, once a challenge has been answered. */
  auth = /* @__PURE__ */ new Map();
  async send(url, method, opts, authorization) {
    const headers = { ...opts.headers };
    if (opts.accept) headers.accept = opts.accept;
    if (authorization) headers.authorization = authorization;
    try {
      return await this.fetch(url, { method, headers, body: opts.body, redirect: "follow", signal: AbortSignal.timeout(opts.timeoutMs ?? this.timeoutMs) });
    } catch (error2) {
      const cause = error2.cause;
      const detail = error2.name === "TimeoutError" ? `no answer within ${seconds(opts.timeoutMs ?? this.timeoutMs)}` : cause?.code ?? cause?.message ?? error2.message;
      throw new RegistryError(`${this.options.registry} did not answer ${method} ${new URL(url).pathname}: ${detail}`, 0, void 0, classifyError(error2));
    }
  }
  /**
   * Runs `fn` (one HTTP exchange) under the retry policy. A permanent fault is thrown as it is;
   * when the retries run out, the last error says how many attempts were made.
   */
  async retrying(what, fn) {
    const label = `${what.charAt(0).toUpperCase()}${what.slice(1)} on ${this.options.registry}`;
    try {
      return await withRetry(label, fn, {
        ...this.options.retry,
        classify: (error2) => error2 instanceof RegistryError ? error2.fault : classifyError(error2)
      });
    } catch (error2) {
      if (!(error2 instanceof RetryError)) throw error2;
      const last = error2.last instanceof RegistryError ? error2.last : new RegistryError(`${label}: ${error2.fault.reason}`, 0, void 0, error2.fault);
      if (error2.stopped === "permanent") throw last;
      const why = error2.stopped === "time" ? "no time left to retry" : "no attempts left";
      throw new RegistryError(`${last.message} (gave up after ${error2.attempts} attempts in ${seconds(error2.elapsedMs)}: ${why})`, last.status, last.code, last.fault);
    }
  }
  /** One request, retried while the answer is a transient fault (429, 5xx, a broken connection). */
  exchange(url, method, opts, authorization) {
    const attempt = async () => {
      const r = await this.send(url, method, opts, authorization);
      const fault = classifyStatus(r.status, r.headers.get("retry-after"));
      if (fault.kind === "transient") throw await this.failure(r, opts.what, fault);
      return r;
    };
    return opts.once ? attempt() : this.retrying(opts.what, attempt);
  }
  basic() {
    const c = this.options.credentials;
    return c ? `Basic ${Buffer.from(`${c.username}:${c.password}`).toString("base64")}` : void 0;
  }
  /**
   * Why the credentials may not go to a token service at `realm`, or undefined when they may: over
   * https (any host, as auth.docker.io for Docker Hub), over plain http only when the registry
   * itself is spoken to over plain http and the realm is its own host and port, or on loopback. A
   * registry's challenge names the realm, so a plain-http realm elsewhere would hand the password
   * to whoever answers there, and one on an https registry's own host would send it in clear to a
   * registry that is otherwise only reached over TLS.
   */
  uncredited(realm) {
    if (realm.protocol === "https:") return void 0;
    if (realm.hostname === "localhost" || /^127\.\d+\.\d+\.\d+$/.test(realm.hostname) || realm.hostname === "[::1]") return void 0;
    const base = new URL(this.baseUrl);
    if (realm.hostname !== base.hostname) return "another host over plain HTTP";
    if (base.protocol !== "http:") return "over plain HTTP though the registry itself speaks https";
    if (realm.host !== base.host) return "another port over plain HTTP";
    return void 0;
  }
  async token(challenge, scope) {
    const realm = challenge.params.realm;
    if (!realm) throw new RegistryError(`${this.options.registry} asked for a Bearer token without naming a realm`, 401);
    let url;
    try {
      url = new URL(realm);
    } catch {
      throw new RegistryError(`${this.options.registry} named a token realm that is not a URL`, 401);
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") throw new RegistryError(`${this.options.registry} named a token realm that is not http(s)`, 401);
    if (challenge.params.service) url.searchParams.set("service", challenge.params.service);
    url.searchParams.set("scope", challenge.params.scope || scope);
    const refused = this.options.credentials ? this.uncredited(url) : void 0;
    if (this.options.credentials && refused) {
      warning(`${this.options.registry} sends its token requests to ${url.origin}, ${refused}: asking it without the credentials of '${this.options.credentials.username}'.`);
    }
    const credited = this.options.credentials !== void 0 && !refused;
    const r = await this.exchange(url.toString(), "GET", { what: `getting a token for ${scope}`, scope, accept: "application/json" }, credited ? this.basic() : void 0);
    if (!r.ok) {
      await r.body?.cancel();
      throw new RegistryError(
        r.status === 401 || r.status === 403 ? `${this.options.registry}'s token service refused ${this.options.credentials ? `the credentials of '${this.options.credentials.username}'` : "an anonymous token"} (HTTP ${r.status})` : `${this.options.registry}'s token service answered HTTP ${r.status}`,
        r.status
      );
    }
    const body = await r.json().catch(() => ({}));
    const token = body.token ?? body.access_token;
    if (!token) throw new RegistryError(`${this.options.registry}'s token service gave no token`, r.status);
    return `Bearer ${token}`;
  }
  /** One API request with auth handled: `pathOrUrl` is `/v2/...` or a full URL on the registry (pagination links). */
  async request(method, pathOrUrl, opts) {
    const url = new URL(pathOrUrl, `${this.baseUrl}/`).toString();
    if (new URL(url).origin !== new URL(this.baseUrl).origin) return this.exchange(url, method, opts);
    let r = await this.exchange(url, method, opts, this.auth.get(opts.scope));
    if (r.status !== 401) return r;
    const header = r.headers.get("www-authenticate") ?? "";
    await r.body?.cancel();
    const challenges = parseChallenges(header);
    const bearer = challenges.find((c) => c.scheme === "bearer");
    let authorization;
    if (bearer) authorization = await this.token(bearer, opts.scope);
    else if (challenges.some((c) => c.scheme === "basic") && this.options.credentials) authorization = this.basic();
    if (!authorization) {
      throw new RegistryError(`${this.options.registry} needs credentials for ${method} ${new URL(url).pathname}, and none were given`, 401);
    }
    this.auth.set(opts.scope, authorization);
    r = await this.exchange(url, method, opts, authorization);
    return r;
  }
  async failure(r, what, fault) {
    let code2;
    let detail = "";
    try {
      const body = await r.json();
      code2 = body.errors?.[0]?.code;
      detail = body.errors?.[0]?.message ? `: ${body.errors[0].message}` : "";
    } catch {
    }
    const user = this.options.credentials && `'${this.options.credentials.username}'`;
    const refused = r.status === 401 ? ` (${user ? `the credentials of ${user} were not accepted` : "an anonymous request was not accepted"})` : r.status === 403 ? ` (${user ?? "an anonymous request"} may not do this)` : "";
    return new RegistryError(
      `${what} on ${this.options.registry}: HTTP ${r.status}${code2 ? ` ${code2}` : ""}${detail}${refused}`,
      r.status,
      code2,
      fault ?? classifyStatus(r.status, r.headers.get("retry-after"))
    );
  }
  /**
   * Every tag of a repository (`acme/app`, `library/nginx`), following pagination.
   * Returns undefined when the repository does not exist (HTTP 404): nothing has been pushed yet.
   */
  async listTags(repository) {
    const scope = `repository:${repository}:pull`;
    const tags = [];
    let next = `/v2/${repository}/tags/list?n=1000`;
    for (let page = 0; next && page < MAX_PAGES; page++) {
      const r = await this.request("GET", next, { what: `listing the tags of ${repository}`, scope, accept: "application/json" });
      if (r.status === 404) {
        await r.body?.cancel();
        if (page === 0) return void 0;
        break;
      }
      if (!r.ok) throw await this.failure(r, `listing the tags of ${repository}`);
      const body = await r.json();
      tags.push(...body.tags ?? []);
      next = /<([^>]+)>\s*;\s*rel="?next"?/.exec(r.headers.get("link") ?? "")?.[1];
    }
    return tags;
  }
  /** The digest of a manifest (`tag` or `sha256:...`), or undefined when there is none. */
  async manifestDigest(repository, reference) {
    const what = `reading the manifest ${repository}:${reference}`;
    const r = await this.request("HEAD", `/v2/${repository}/manifests/${reference}`, { what, scope: `repository:${repository}:pull`, accept: MANIFEST_TYPES });
    if (r.status === 404) return void 0;
    if (!r.ok) throw await this.failure(r, what);
    return r.headers.get("docker-content-digest") ?? void 0;
  }
  /** The manifest stored under `digest`, byte for byte. */
  async getManifest(repository, digest) {
    const what = `reading the manifest ${repository}@${digest}`;
    const r = await this.request("GET", `/v2/${repository}/manifests/${digest}`, { what, scope: `repository:${repository}:pull,push`, accept: MANIFEST_TYPES });
    if (!r.ok) throw await this.failure(r, what);
    const bytes = new Uint8Array(await r.arrayBuffer());
    const mediaType = r.headers.get("content-type")?.split(";")[0]?.trim() ?? "";
    const got = `sha256:${createHash3("sha256").update(bytes).digest("hex")}`;
    if (got !== digest) throw new RegistryError(`${what}: the registry sent a manifest whose digest is ${got}`, r.status);
    if (!mediaType) throw new RegistryError(`${what}: the registry named no media type`, r.status);
    return { digest, mediaType, bytes };
  }
  /** Stores a manifest under a tag (the tag then names that very digest); returns the digest the registry reports. */
  async putManifest(repository, tag, manifest) {
    const what = `tagging ${repository}@${manifest.digest} as ${tag}`;
    const r = await this.request("PUT", `/v2/${repository}/manifests/${tag}`, {
      what,
      scope: `repository:${repository}:pull,push`,
      body: manifest.bytes,
      headers: { "content-type": manifest.mediaType }
    });
    if (!r.ok) throw await this.failure(r, what);
    await r.body?.cancel();
    return r.headers.get("docker-content-digest") ?? manifest.digest;
  }
  /** A small blob (an image config), read whole and checked against its digest. */
  async getBlob(repository, digest) {
    const what = `reading the blob ${repository}@${digest}`;
    const r = await this.request("GET", `/v2/${repository}/blobs/${digest}`, { what, scope: `repository:${repository}:pull` });
    if (!r.ok) throw await this.failure(r, what);
    const bytes = new Uint8Array(await r.arrayBuffer());
    const got = `sha256:${createHash3("sha256").update(bytes).digest("hex")}`;
    if (digest.startsWith("sha256:") && got !== digest) throw new RegistryError(`${what}: the registry sent a blob whose digest is ${got}`, r.status);
    return bytes;
  }
  /** Whether the repository holds the blob `digest` (layer or config). */
  async hasBlob(repository, digest) {
    const what = `looking for the blob ${repository}@${digest}`;
    const r = await this.request("HEAD", `/v2/${repository}/blobs/${digest}`, { what, scope: `repository:${repository}:pull,push` });
    await r.body?.cancel();
    if (r.status === 404) return false;
    if (!r.ok) throw await this.failure(r, what);
    return true;
  }
  /**
   * Uploads one blob in a single request (the registry API's monolithic upload: a POST for an
   * upload session, then one PUT of the whole blob with its digest). A failed attempt starts a new
   * session (a registry does not resume one whose PUT broke off), reading the blob afresh from
   * `open`. Slow links get time by size: at least 1 MiB/s.
   */
  async uploadBlob(repository, blob) {
    const scope = `repository:${repository}:pull,push`;
    const what = `uploading the blob ${repository}@${blob.digest}`;
    await this.retrying(what, async () => {
      const started = await this.request("POST", `/v2/${repository}/blobs/uploads/`, { what, scope, headers: { "content-length": "0" }, once: true });
      const location = started.headers.get("location");
      if (started.status !== 202 || !location) throw await this.failure(started, what);
      await started.body?.cancel();
      const session = new URL(location, `${this.baseUrl}/`).toString();
      const url = `${session}${session.includes("?") ? "&" : "?"}digest=${encodeURIComponent(blob.digest)}`;
      const r = await this.request("PUT", url, {
        what,
        scope,
        body: blob.open,
        headers: { "content-type": "application/octet-stream", "content-length": String(blob.size) },
        timeoutMs: Math.max(this.timeoutMs, Math.ceil(blob.size / 2 ** 20) * 1e3),
        once: true
      });
      if (r.status !== 201 && !r.ok) throw await this.failure(r, what);
      await r.body?.cancel();
    });
  }
  /**
   * Whether this client (with its credentials, or anonymously without) may read a repository:
   * readable when the registry answers a manifest read (also "no such manifest"), not when it
   * refuses (HTTP 401 or 403, also from the token service). Other failures are thrown.
   */
  async readAccess(repository, reference = "latest") {
    try {
      const digest = await this.manifestDigest(repository, reference);
      return { readable: true, answer: digest ? `${reference} is ${digest}` : `no ${reference}` };
    } catch (error2) {
      if (error2 instanceof RegistryError && (error2.status === 401 || error2.status === 403)) return { readable: false, answer: `HTTP ${error2.status}` };
      throw error2;
    }
  }
  /**
   * Deletes a manifest by digest (which removes every tag pointing at it). Returns false when the
   * registry does not allow deletion (HTTP 405 or UNSUPPORTED), as Docker Hub and GHCR do not.
   */
  async deleteManifest(repository, digest) {
    const what = `deleting ${repository}@${digest}`;
    const r = await this.request("DELETE", `/v2/${repository}/manifests/${digest}`, { what, scope: `repository:${repository}:delete` });
    if (r.status === 202 || r.status === 200 || r.status === 404) {
      await r.body?.cancel();
      return true;
    }
    const error2 = await this.failure(r, what);
    if (r.status === 405 || error2.code === "UNSUPPORTED") return false;
    throw error2;
  }
};

// src/phases/cache.ts
var EXPORT_RETRY = { ...DEFAULT_RETRY, attempts: 3, initialDelayMs: 2e3, totalMs: 6e4 };
async function retryExport(first, build, policy = EXPORT_RETRY) {
  let last = first;
  let attempts = 1;
  let exportError = readCacheLog(first.log).exportError;
  try {
    await withRetry(
      "Cache export",
      async (attempt) => {
        if (attempt > 1) {
          last = await build();
          attempts = attempt;
          exportError = readCacheLog(last.log).exportError;
        }
        if (exportError) throw new RetryableFailure(exportError, classifyOutput(exportError));
      },
      { policy }
    );
  } catch (error2) {
    if (!(error2 instanceof RetryError)) throw error2;
  }
  return { last, attempts, exportError };
}
var READ_CHECK_RETRY = { ...DEFAULT_RETRY, attempts: 2, initialDelayMs: 1e3, totalMs: 15e3 };
async function cacheReadAccess(backend, image, credentials, configDir, options = {}) {
  if (!image || !readsRegistry(backend)) return void 0;
  const { registry } = image;
  if (credentials.some((c) => c.registry === registry) || configDir && hasConfiguredLogin(configDir, registry)) return { registry, access: "credentials" };
  const client = new RegistryClient({ registry, baseUrl: options.baseUrl, timeoutMs: 1e4, retry: { policy: options.retry ?? READ_CHECK_RETRY } });
  try {
    const { readable, answer } = await client.readAccess(image.path);
    return { registry, access: readable ? "anonymous" : "refused", answer };
  } catch (error2) {
    const answer = getErrorMessage(error2);
    info(`Could not ask ${registry} whether ${image.path} can be read without credentials (${answer}); the cache is read anyway.`);
    return { registry, access: "unknown", answer };
  }
}
function announceCache(report, plan, caps) {
  report.cache = describeCache(plan);
  const details = {
    requested: plan.requested,
    backend: plan.backend,
    reason: plan.reason,
    exports: plan.exports,
    exportNote: plan.exportNote,
    importNote: plan.importNote,
    scopes: plan.scopes,
    builder: {
      buildx: caps.buildx,
      buildkit: caps.buildkit,
      driver: caps.driver,
      containerdStore: caps.containerdStore,
      cacheExport: caps.cacheExport,
      cacheService: caps.cacheService.version,
      gha: caps.cacheService.gha,
      ghaReason: caps.cacheService.ghaReason
    }
  };
  report.cacheDetails = details;
  info(`Cache: ${report.cache}`);
  plan.builds.forEach((b, i) => info(`Cache${plan.builds.length > 1 ? ` (build ${i + 1})` : ""}: ${b.description}`));
}
async function buildWithCache(ctx, unit, build, pushedBefore2) {
  const plan = ctx.cache?.builds[unit.index];
  if (!plan || !ctx.caps.buildx) return build([]);
  const report = { from: [...plan.from], to: plan.to, imported: [], missing: [], notes: [] };
  unit.report.cache = report;
  let args = plan.args;
  const before = await pushedBefore2;
  if (before && plan.to) {
    info(`Cache not exported again: ${before} is in the registry already, so an earlier run of this commit built these steps and exported their cache to ${cacheRefOf(plan.to)}.`);
    report.notes.push(`cache export skipped: this commit's image (${before}) was pushed before`);
    report.to = void 0;
    args = withoutExport(args);
  }
  let local = plan.local;
  let unlock;
  if (local) {
    const lock = lockLocalCache(local);
    if ("busy" in lock) {
      warning(`The local layer cache ${local.cachePath} is not used by this build: ${lock.busy}. Building without it.`);
      report.notes.push(`local cache not used: ${lock.busy}`);
      report.from = [];
      report.to = void 0;
      args = [];
      local = void 0;
    } else {
      unlock = lock.release;
    }
  }
  try {
    return await buildLocked(ctx, plan, report, args, local, build);
  } finally {
    unlock?.();
  }
}
async function buildLocked(ctx, plan, report, planned, local, build) {
  let args = planned;
  let restored;
  if (local) {
    restored = await restoreLocalCache(local);
    report.notes.push(restored.note);
    if (restored.restoredKey) report.restored = restored.restoredKey;
    if (!hasLocalCache(local)) {
      args = cacheArgs(plan.from.filter((f) => f !== `type=local,src=${local.dir}`), plan.to);
    }
  }
  let result;
  try {
    result = await build(args);
  } catch (error2) {
    const failure = error2 instanceof BuildFailed && args.length ? cacheFailure(error2.log) : void 0;
    if (!failure) throw error2;
    const cause = readCacheLog(error2.log).exportError ?? /^ERROR: (?:failed to solve: )?(.*)$/m.exec(error2.log)?.[1] ?? "unknown error";
    if (failure === "export") {
      warning(`The cache export failed (${cause}); building again without exporting cache.`);
      report.exportError = cause;
      report.retriedWithoutExport = true;
      result = await build(withoutExport(args));
    } else {
      warning(`The cache could not be read (${cause}); building again without cache.`);
      report.notes.push(`cache import failed: ${cause}`);
      report.retriedWithoutExport = true;
      result = await build([]);
    }
  }
  const facts = readCacheLog(result.log);
  let exportError = facts.exportError;
  if (exportError && !report.retriedWithoutExport) {
    const retried = await retryExport(result, () => build(args));
    exportError = retried.exportError;
    if (retried.attempts > 1) {
      report.exportAttempts = retried.attempts;
      report.notes.push(`cache export: ${exportError ? "failed" : "written"} after ${retried.attempts} attempts`);
      result = { ...retried.last, cachedSteps: result.cachedSteps, totalSteps: result.totalSteps };
    }
  }
  report.imported = facts.imported;
  report.missing = facts.missing;
  if (exportError && !report.exportError) {
    report.exportError = exportError;
    warning(`The cache export failed and was skipped: ${exportError}`);
  }
  for (const problem of facts.unreadable) {
    warning(`The layer cache ${problem.source} could not be read: ${problem.reason} (${problem.error}). This build does without it.`);
    report.notes.push(`cache ${problem.source} not read: ${problem.reason}`);
  }
  const notFound = facts.missing.filter((m) => !facts.unreadable.some((u) => u.source === m));
  if (notFound.length) info(`Cache not found (a first build for this scope): ${notFound.join(", ")}`);
  if (facts.imported.length) info(`Cache read from: ${facts.imported.join(", ")}`);
  if (local && restored) {
    if (ctx.cache?.exports && !report.retriedWithoutExport) {
      const saved = await saveLocalCache(local, restored);
      report.notes.push(saved.note);
      if (saved.savedKey) report.saved = saved.savedKey;
      info(`Cache: ${saved.note}`);
    } else if (ctx.cache?.exportNote) {
      report.notes.push(ctx.cache.exportNote);
    }
  }
  return result;
}
function cacheRefOf(to) {
  return /(?:^|,)ref=([^,]+)/.exec(to)?.[1] ?? to;
}
async function pushedBefore(ctx, unit) {
  const to = ctx.cache?.builds[unit.index]?.to;
  const image = ctx.plan.images[0];
  if (!to?.startsWith("type=registry,") || !image || !ctx.plan.push.enabled) return void 0;
  const sha = ctx.facts.sha.toLowerCase();
  const tag = unit.report.tags.find((t) => sha.length >= 7 && t.tag.toLowerCase().includes(sha.slice(0, 7)))?.tag;
  const cache = splitTag(cacheRefOf(to));
  if (!tag || !cache || !cache.repo.startsWith(`${image.registry}/`)) return void 0;
  const credentials = credentialsFor([image], ctx.inputs, process.env.GITHUB_ACTOR);
  const client = registryClientFor(image.registry, credentials, { timeoutMs: 5e3, retry: { policy: { ...DEFAULT_RETRY, attempts: 1 } } });
  try {
    const [held, cached] = await Promise.all([client.manifestDigest(image.path, tag), client.manifestDigest(cache.repo.slice(image.registry.length + 1), cache.tag)]);
    return held && cached ? `${image.name}:${tag}` : void 0;
  } catch (error2) {
    debug(`Could not ask ${image.registry} whether this commit was pushed before: ${getErrorMessage(error2)}`);
    return void 0;
  }
}

// src/phases/rebuild.ts
import * as fs8 from "node:fs";
import * as path10 from "node:path";

// src/plan/dockerfile.ts
function instructions(text2) {
  const lines2 = text2.replace(/\r\n?/g, "\n").split("\n");
  let escape = "\\";
  for (const line of lines2) {
    const m = /^#\s*([a-z]+)\s*=\s*(\S+)\s*$/i.exec(line);
    if (!m) break;
    if (m[1].toLowerCase() === "escape" && (m[2] === "`" || m[2] === "\\")) escape = m[2];
  }
  const out = [];
  let current = "";
  for (const raw of lines2) {
    const line = raw.trim();
    if (line.startsWith("#")) continue;
    if (line.endsWith(escape)) {
      current += `${line.slice(0, -1)} `;
      continue;
    }
    current += line;
    if (current.trim()) out.push(current.trim());
    current = "";
  }
  if (current.trim()) out.push(current.trim());
  return out;
}
function unquote(value2) {
  return /^(["']).*\1$/.test(value2) ? value2.slice(1, -1) : value2;
}
function expand(value2, args) {
  let unresolved = false;
  const out = value2.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::([-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g, (_, braced, op, word, bare) => {
    const name = braced ?? bare;
    const v = args.get(name);
    if (op === "-") return v ? v : word;
    if (op === "+") return v ? word : "";
    if (v === void 0) unresolved = true;
    return v ?? "";
  });
  return unresolved || !out ? void 0 : out;
}
function flags(rest) {
  const words = rest.split(/\s+/).filter(Boolean);
  const out = [];
  while (words[0]?.startsWith("--")) {
    const flag = words.shift().slice(2);
    const eq = flag.indexOf("=");
    out.push(eq < 0 ? [flag.toLowerCase(), ""] : [flag.slice(0, eq).toLowerCase(), flag.slice(eq + 1)]);
  }
  return { flags: out, words };
}
function parseDockerfile(text2) {
  const globalArgs = /* @__PURE__ */ new Map();
  const stages = [];
  for (const line of instructions(text2)) {
    const m = /^(\S+)\s*(.*)$/.exec(line);
    const keyword = m[1].toUpperCase();
    const rest = m[2];
    const current = stages[stages.length - 1];
    if (keyword === "ARG" && !current) {
      for (const decl of rest.split(/\s+/).filter(Boolean)) {
        const eq = decl.indexOf("=");
        globalArgs.set(eq < 0 ? decl : decl.slice(0, eq), eq < 0 ? void 0 : unquote(decl.slice(eq + 1)));
      }
    } else if (keyword === "FROM") {
      const { flags: f, words } = flags(rest);
      const stage = { index: stages.length, from: words[0] ?? "", uses: [] };
      if (words[1]?.toLowerCase() === "as" && words[2]) stage.name = words[2].toLowerCase();
      const platform = f.find(([k]) => k === "platform")?.[1];
      if (platform) stage.platform = platform;
      stages.push(stage);
    } else if (current && (keyword === "COPY" || keyword === "ADD")) {
      const from = flags(rest).flags.find(([k]) => k === "from")?.[1];
      if (from) current.uses.push(unquote(from));
    } else if (current && keyword === "RUN") {
      for (const [k, v] of flags(rest).flags) {
        if (k !== "mount") continue;
        const from = v.split(",").map((kv) => kv.split("=")).find(([key]) => key?.trim().toLowerCase() === "from")?.[1];
        if (from) current.uses.push(unquote(from.trim()));
      }
    }
  }
  return { globalArgs, stages };
}
function parseReference(written) {
  let rest = written.trim();
  let digest;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!/^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/.test(digest)) return void 0;
  }
  let tag;
  const colon = rest.lastIndexOf(":");
  if (colon > rest.lastIndexOf("/")) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag)) return void 0;
  }
  const image = parseImage(rest);
  if (typeof image === "string" || image.lowercased) return void 0;
  if (!tag && !digest) tag = "latest";
  const name = `${image.name}${tag ? `:${tag}` : ""}${digest ? `@${digest}` : ""}`;
  return { written, registry: image.registry, repository: image.path, tag, digest, name };
}
function dockerfileBases(text2, opts = {}) {
  const { globalArgs, stages } = parseDockerfile(text2);
  const args = /* @__PURE__ */ new Map();
  for (const [name, value2] of globalArgs) args.set(name, opts.buildArgs?.[name] ?? value2);
  const out = { bases: [], unresolved: [] };
  if (!stages.length) return { ...out, error: "the Dockerfile has no FROM" };
  const final = opts.target ? stages.findIndex((s) => s.name === opts.target.toLowerCase()) : stages.length - 1;
  if (final < 0) return { ...out, error: `the Dockerfile has no stage named '${opts.target}'` };
  const visited = /* @__PURE__ */ new Set();
  const seen = /* @__PURE__ */ new Set();
  const addImage = (written) => {
    const expanded = expand(written, args);
    if (expanded === void 0) {
      if (!out.unresolved.includes(written)) out.unresolved.push(written);
      return void 0;
    }
    if (expanded.toLowerCase() === "scratch") return void 0;
    const ref = parseReference(expanded);
    if (!ref) {
      if (!out.unresolved.includes(expanded)) out.unresolved.push(expanded);
      return void 0;
    }
    if (!seen.has(ref.name)) {
      seen.add(ref.name);
      out.bases.push(ref);
    }
    return out.bases.find((b) => b.name === ref.name);
  };
  const stageNamed = (name, before, byIndex) => {
    const lower = name.toLowerCase();
    for (let i = before - 1; i >= 0; i--) if (stages[i].name === lower) return i;
    if (byIndex && /^\d+$/.test(name) && Number(name) < before) return Number(name);
    return void 0;
  };
  const visit = (index) => {
    if (visited.has(index)) return;
    visited.add(index);
    const stage = stages[index];
    const expanded = expand(stage.from, args);
    const parent = expanded !== void 0 ? stageNamed(expanded, index, false) : void 0;
    if (parent !== void 0) visit(parent);
    else addImage(stage.from);
    for (const used of stage.uses) {
      const e = expand(used, args);
      const s = e !== void 0 ? stageNamed(e, index, true) : void 0;
      if (s !== void 0) visit(s);
      else addImage(used);
    }
  };
  const runtime = visitChain(final);
  function visitChain(index) {
    let i = index;
    const chain = [];
    for (; ; ) {
      chain.push(i);
      const e = expand(stages[i].from, args);
      const parent = e !== void 0 ? stageNamed(e, i, false) : void 0;
      if (parent === void 0 || chain.includes(parent)) break;
      i = parent;
    }
    const root = stages[chain[chain.length - 1]];
    const base = addImage(root.from);
    visit(index);
    return base;
  }
  if (runtime) out.runtime = runtime;
  return out;
}

// src/phases/image.ts
import * as fs7 from "node:fs";
var BASE_NAME_LABEL2 = "org.opencontainers.image.base.name";
function baseImageOf(dockerfile, opts = {}) {
  const args = /* @__PURE__ */ new Map();
  const stages = [];
  for (const line of instructions(dockerfile)) {
    const m = /^(\S+)\s*(.*)$/.exec(line);
    const keyword = m[1].toUpperCase();
    const rest = m[2];
    if (keyword === "ARG" && stages.length === 0) {
      for (const decl of rest.split(/\s+/).filter(Boolean)) {
        const eq = decl.indexOf("=");
        const name = eq < 0 ? decl : decl.slice(0, eq);
        const given = opts.buildArgs?.[name];
        args.set(name, given ?? (eq < 0 ? void 0 : unquote(decl.slice(eq + 1))));
      }
    } else if (keyword === "FROM") {
      const words = rest.split(/\s+/).filter((w) => !w.startsWith("--"));
      const image = words[0] ?? "";
      const name = words[1]?.toLowerCase() === "as" ? words[2]?.toLowerCase() : void 0;
      stages.push({ image, name });
    }
  }
  let index = stages.length - 1;
  if (opts.target) index = stages.findIndex((s) => s.name === opts.target.toLowerCase());
  for (let hops = 0; index >= 0 && hops <= stages.length; hops++) {
    const image = expand(stages[index].image, args);
    if (!image) return void 0;
    let earlier = index - 1;
    while (earlier >= 0 && stages[earlier].name !== image.toLowerCase()) earlier--;
    if (earlier < 0) return image;
    index = earlier;
  }
  return void 0;
}
function buildArgsRecord(buildArgs, env = process.env) {
  const out = {};
  for (const arg of buildArgs) {
    const eq = arg.indexOf("=");
    if (eq >= 0) out[arg.slice(0, eq)] = arg.slice(eq + 1);
    else if (env[arg] !== void 0) out[arg] = env[arg];
  }
  return out;
}
async function describeImage(ctx, unit) {
  const br = unit.report;
  try {
    const facts = unit.image ?? (br.imageId ? await imageFacts(ctx.docker, br.imageId) : void 0);
    if (facts?.size !== void 0) br.size = facts.size;
    let base = facts?.labels[BASE_NAME_LABEL2];
    if (!base && fs7.existsSync(unit.build.file)) {
      base = baseImageOf(fs7.readFileSync(unit.build.file, "utf8"), {
        target: ctx.inputs.target || void 0,
        buildArgs: buildArgsRecord(ctx.inputs.buildArgs)
      });
    }
    if (base) br.baseImage = base;
  } catch (error2) {
    debug(`Could not describe the image of ${unit.build.name}: ${getErrorMessage(error2)}`);
  }
}

// src/phases/rebuild.ts
var CHECK_OPTIONS = { timeoutMs: 15e3, retry: { policy: { ...DEFAULT_RETRY, attempts: 2, totalMs: 3e4 } } };
function clients(credentials) {
  const made = /* @__PURE__ */ new Map();
  return (registry) => {
    let client = made.get(registry);
    if (!client) made.set(registry, client = registryClientFor(registry, credentials, CHECK_OPTIONS));
    return client;
  };
}
async function resolveBases(bases, credentials) {
  const client = clients(credentials);
  return Promise.all(
    bases.map(async (base) => {
      if (base.digest) return { name: base.name, digest: base.digest };
      try {
        const digest = await client(base.registry).manifestDigest(base.repository, base.tag ?? "latest");
        if (!digest) return { name: base.name, error: "the registry has no such tag" };
        return DIGEST.test(digest) ? { name: base.name, digest } : { name: base.name, error: "the registry named no valid digest" };
      } catch (error2) {
        return { name: base.name, error: getErrorMessage(error2) };
      }
    })
  );
}
function basesOf(build, inputs) {
  if (!fs8.existsSync(build.file)) return { bases: [], unresolved: [], error: `no Dockerfile at ${build.file}` };
  return dockerfileBases(fs8.readFileSync(build.file, "utf8"), { target: inputs.target || void 0, buildArgs: buildArgsRecord(inputs.buildArgs) });
}
async function readPushed(images, tags, platforms, client) {
  if (!tags.length) return { state: "missing", why: "this build has no tag to push" };
  try {
    let found;
    for (const image2 of images) {
      const c2 = client(image2.registry);
      const digests = await Promise.all(tags.map((tag) => c2.manifestDigest(image2.path, tag)));
      const absent = tags.find((_, i) => !digests[i]);
      if (absent) return { state: "missing", why: `${image2.name}:${absent} does not exist yet` };
      const other = tags.findIndex((_, i) => digests[i] !== digests[0]);
      if (other > 0) return { state: "missing", why: `${image2.name}:${tags[0]} and ${image2.name}:${tags[other]} name different images` };
      found ??= { image: image2, digest: digests[0] };
    }
    const { image, digest } = found;
    const c = client(image.registry);
    const read = async (d) => JSON.parse(Buffer.from((await c.getManifest(image.path, d)).bytes).toString());
    let manifest = await read(digest);
    if (manifest.manifests) {
      const wanted = platforms[0] && normalizePlatform(platforms[0]);
      const name = (p) => normalizePlatform([p?.os, p?.architecture, p?.variant].filter(Boolean).join("/"));
      const entry = wanted && manifest.manifests.find((m) => name(m.platform) === wanted) || manifest.manifests.find((m) => m.platform?.os && m.platform.os !== "unknown");
      if (!entry) return { state: "unreadable", why: `${image.name}:${tags[0]} is an index without an image manifest` };
      manifest = await read(entry.digest);
    }
    if (!manifest.config?.digest) return { state: "unreadable", why: `${image.name}:${tags[0]} has no image config` };
    const config = JSON.parse(Buffer.from(await c.getBlob(image.path, manifest.config.digest)).toString());
    return { state: "found", ref: `${image.name}:${tags[0]}`, digest, labels: config.config?.Labels ?? {} };
  } catch (error2) {
    return { state: "unreadable", why: getErrorMessage(error2) };
  }
}
function say(decision, prefix) {
  const line = `rebuild: base-changed: ${prefix}${decision.reason}.`;
  if (decision.level === "warning") warning(line);
  else if (decision.level === "notice") notice(line);
  else info(line);
}
async function nothingMoved(facts, inputs, plan, report) {
  if (inputs.rebuild !== "base-changed") return false;
  if (!plan.push.enabled) {
    info(`rebuild: base-changed: this run does not push (${plan.push.reason}), so it builds and tests as always.`);
    return false;
  }
  if (plan.distribution) {
    info("rebuild: base-changed: a job of a distributed image (input distribute) always builds its share: the jobs must all build, or none.");
    return false;
  }
  const credentials = credentialsFor(plan.images, inputs, process.env.GITHUB_ACTOR);
  const client = clients(credentials);
  const started = Date.now();
  const results = await Promise.all(
    plan.builds.map(async (build) => {
      const bases = basesOf(build, inputs);
      const tags = build.tags.filter((t) => !t.local).map((t) => t.tag);
      const [resolved, pushed] = await Promise.all([resolveBases(bases.bases, credentials), readPushed(plan.images, tags, inputs.platforms, client)]);
      const decision = decideRebuild({ sha: facts.sha, bases: resolved, unresolved: bases.unresolved, dockerfileError: bases.error, pushed });
      return { build, resolved, decision };
    })
  );
  const seconds2 = ((Date.now() - started) / 1e3).toFixed(1);
  const rebuild = results.some((r) => r.decision.rebuild);
  report.rebuild = {
    mode: "base-changed",
    rebuild,
    builds: results.map((r) => ({ name: r.build.name, reason: r.decision.reason, bases: r.resolved, moved: r.decision.moved }))
  };
  const prefix = (name) => results.length > 1 ? `${name}: ` : "";
  if (!rebuild) {
    const line = results.map((r) => `${prefix(r.build.name)}${r.decision.reason}`).join("; ");
    report.skipped = `nothing moved since the last push (rebuild: base-changed): ${line}`;
    report.push = { enabled: false, reason: "rebuild: base-changed, and the registry already holds what this run would build" };
    notice(`autobuild: nothing to build: ${line} (asked the registries in ${seconds2}s; rebuild: base-changed).`);
    return true;
  }
  for (const r of results) {
    if (r.decision.rebuild) say(r.decision, prefix(r.build.name));
    else info(`rebuild: base-changed: ${prefix(r.build.name)}${r.decision.reason}; built again with the builds that changed.`);
  }
  return false;
}
var recorded = /* @__PURE__ */ new WeakMap();
function recordBases(ctx, unit) {
  let done = recorded.get(unit.build);
  if (!done) recorded.set(unit.build, done = record(ctx, unit.build));
  return done;
}
async function record(ctx, build) {
  try {
    const bases = basesOf(build, ctx.inputs);
    const file = path10.relative(ctx.facts.workspace, build.file) || build.file;
    if (bases.error) {
      info(`Base images not recorded in the image: ${bases.error}.`);
      return;
    }
    for (const u of bases.unresolved) info(`Base image '${u}' of ${file} not recorded in the image: it names a build argument without a value.`);
    if (!bases.bases.length) return;
    const credentials = untrusted(ctx.plan.trust) && !ctx.plan.push.enabled ? [] : credentialsFor(ctx.plan.images, ctx.inputs, process.env.GITHUB_ACTOR);
    const resolved = await resolveBases(bases.bases, credentials);
    for (const b of resolved) if (!b.digest) info(`Base image ${b.name} not recorded in the image: ${b.error}.`);
    const own = new Set(ctx.inputs.labels.map((l) => l.slice(0, l.indexOf("=")).trim()));
    const labels = baseLabels(resolved, bases.runtime?.name);
    if (own.has(BASE_NAME_LABEL) || own.has(BASE_DIGEST_LABEL)) {
      delete labels[BASE_NAME_LABEL];
      delete labels[BASE_DIGEST_LABEL];
    }
    for (const [k, v] of Object.entries(labels)) {
      if (own.has(k)) continue;
      build.labels[k] = v;
      if (build.annotations && k.startsWith("org.opencontainers.")) build.annotations[k] = v;
    }
    const known = resolved.filter((b) => b.digest);
    if (known.length) info(`Base images recorded in the image: ${known.map((b) => `${b.name}@${b.digest}`).join(", ")}.`);
  } catch (error2) {
    info(`Base images not recorded in the image: ${getErrorMessage(error2)}.`);
  }
}

// src/phases/build.ts
var loaded = /* @__PURE__ */ new Set();
var loadedBy;
function rememberLoaded() {
  saveState({ localTags: loaded.size ? JSON.stringify([...loaded]) : "" });
}
function reserveLocalName(ctx, unit) {
  const localTag = ctx.docker.localTag(unit.report.refs[0], unit.index);
  loaded.add(localTag);
  loadedBy = ctx.docker;
  rememberLoaded();
  unit.localRef = localTag;
  return localTag;
}
async function tagLocalName(ctx, unit, image) {
  const localTag = reserveLocalName(ctx, unit);
  await ctx.docker.tag(image, localTag);
  return localTag;
}
async function buildImage(ctx, unit) {
  const { build, report: br, index } = unit;
  const localTag = reserveLocalName(ctx, unit);
  const metadataFile = path11.join(ctx.workDir, `metadata-${index}.json`);
  if (pullsBasesAfresh(ctx.inputs.platforms, ctx.caps)) {
    info(
      `Base images are pulled afresh for ${ctx.inputs.platforms.join(", ")}: the builder of Docker ${ctx.caps.engineVersion} (BuildKit ${ctx.caps.buildkit}) would take a base image stored locally for the engine's own platform for every platform.`
    );
  }
  const before = pushedBefore(ctx, unit).catch(() => void 0);
  await recordBases(ctx, unit);
  let result;
  try {
    result = await buildWithCache(
      ctx,
      unit,
      (cacheArgs2) => runBuild(
        ctx.docker,
        { build, inputs: ctx.inputs, localTag, cacheArgs: cacheArgs2, iidFile: path11.join(ctx.workDir, `iid-${index}`), metadataFile, pull: ctx.inputs.rebuild === "base-changed" },
        ctx.caps
      ),
      before
    );
  } catch (error2) {
    throw checkFailure(ctx, unit, error2) ?? error2;
  }
  br.imageId = result.imageId;
  unit.image = result.facts;
  reportChecks(ctx, unit, checksFromMetadata(metadataFile) ?? checksFromLog(result.log));
  if (br.refs[0]) {
    await ctx.docker.tag(result.imageId, br.refs[0]).catch((error2) => info(`Could not name the image ${br.refs[0]}: ${getErrorMessage(error2)}`));
  }
  br.cachedSteps = result.cachedSteps;
  br.totalSteps = result.totalSteps;
  info(`Built ${result.imageId} in ${result.seconds.toFixed(1)}s (${result.cachedSteps}/${result.totalSteps} steps cached).`);
}
function reportChecks(ctx, unit, checks, failed2 = false) {
  const br = unit.report;
  br.checkFile = path11.relative(ctx.facts.workspace, unit.build.file) || unit.build.file;
  if (!ctx.caps.buildChecks) {
    br.checksNote = ctx.inputs.check === "off" ? void 0 : `not run: ${ctx.caps.buildChecksNote ?? "the builder has none"}`;
    if (br.checksNote) info(`Dockerfile checks: ${br.checksNote}.`);
    return;
  }
  if (ctx.inputs.check === "off") {
    br.checksNote = "off (input check)";
    return;
  }
  br.checks = checks.map((c) => ({ ...c, level: failed2 || ctx.inputs.check === "error" ? "error" : "warning" }));
  info(checks.length ? `Dockerfile checks: ${checks.length} finding${checks.length === 1 ? "" : "s"} in ${br.checkFile}: ${checks.map(describeCheck).join(", ")}.` : `Dockerfile checks: no findings in ${br.checkFile}.`);
}
function checkFailure(ctx, unit, error2) {
  if (!(error2 instanceof BuildFailed)) return void 0;
  const rules = checkViolation(error2.log);
  if (!rules) return void 0;
  const checks = checksFromLog(error2.log);
  reportChecks(ctx, unit, checks, true);
  const found = [...checks.map(describeCheck), ...rules.filter((r) => !checks.some((c) => c.rule === r))].join(", ");
  const why = ctx.inputs.check === "error" ? "input 'check' is 'error'" : `the Dockerfile's own check directive makes findings errors`;
  return new UserError(`The build of ${unit.build.name} failed its Dockerfile checks (${why}): ${found} in ${unit.report.checkFile}. Fix them, or set check: warn to report them without failing.`);
}
async function removeLoadedNames() {
  if (!loaded.size || !loadedBy) return;
  try {
    if (!await removeLocalTags(loadedBy, [...loaded])) return;
  } catch {
    return;
  }
  loaded.clear();
  rememberLoaded();
}

// src/phases/cleanup.ts
function selectPreviewDigests(tags, pattern) {
  const byDigest = /* @__PURE__ */ new Map();
  for (const [tag, digest] of tags) byDigest.set(digest, [...byDigest.get(digest) ?? [], tag]);
  const remove = /* @__PURE__ */ new Map();
  const keep = [];
  for (const [digest, names] of byDigest) {
    if (!names.some((t) => pattern.test(t))) continue;
    const others = names.filter((t) => !pattern.test(t));
    if (others.length) {
      for (const t of names.filter((n) => pattern.test(n))) keep.push({ tag: t, why: `same image as ${others.join(", ")}` });
    } else {
      remove.set(digest, names.sort());
    }
  }
  return { remove, keep };
}
async function removePreview(images, cleanup, credentials) {
  const report = { pr: cleanup.pr, removed: [], kept: [] };
  for (const image of images) {
    const client = registryClientFor(image.registry, credentials);
    try {
      const all = await client.listTags(image.path) ?? [];
      if (!all.some((t) => cleanup.pattern.test(t))) continue;
      const digests = /* @__PURE__ */ new Map();
      for (const tag of all) {
        const digest = await client.manifestDigest(image.path, tag);
        if (digest) digests.set(tag, digest);
      }
      const { remove, keep } = selectPreviewDigests(digests, cleanup.pattern);
      for (const k of keep) report.kept.push({ ref: `${image.name}:${k.tag}`, why: k.why });
      for (const [digest, tags] of remove) {
        const refs = tags.map((t) => `${image.name}:${t}`);
        if (await client.deleteManifest(image.path, digest)) {
          report.removed.push(...refs);
          info(`Removed ${refs.join(", ")} (${digest}).`);
        } else {
          for (const ref of refs) report.kept.push({ ref, why: `${image.registry} does not allow deletion through the registry API` });
        }
      }
    } catch (error2) {
      report.kept.push({ ref: `${image.name}:pr-${cleanup.pr}*`, why: getErrorMessage(error2) });
    }
  }
  for (const k of report.kept) warning(`Preview tag ${k.ref} was not removed: ${k.why}.`);
  if (!report.removed.length && !report.kept.length) info(`No preview tags of pull request #${cleanup.pr} were found.`);
  return report;
}

// src/phases/hooks.ts
import * as fs9 from "node:fs";
import * as path12 from "node:path";

// src/phases/run-context.ts
async function timed(report, phase, fn, group2 = phase) {
  const started = Date.now();
  try {
    return await (group2 === false ? fn() : group(group2, fn));
  } finally {
    report.timings[phase] = (report.timings[phase] ?? 0) + (Date.now() - started) / 1e3;
  }
}

// src/phases/hooks.ts
var HOOK_NAMES = [
  "post_checkout",
  "pre_build",
  "build",
  "post_build",
  "pre_test",
  "test",
  "post_test",
  "pre_push",
  "push",
  "post_push"
];
function hookPhase(name) {
  const i = HOOK_NAMES.indexOf(name);
  return i < HOOK_NAMES.indexOf("pre_test") ? "build" : i < HOOK_NAMES.indexOf("pre_push") ? "test" : "push";
}
var PUSH_HOOKS = ["pre_push", "push", "post_push"];
function hooksDir(build) {
  return path12.join(path12.dirname(build.file), "hooks");
}
function findHooks(build, mode) {
  const found = /* @__PURE__ */ new Map();
  if (mode === "off") return found;
  const dir = hooksDir(build);
  for (const name of HOOK_NAMES) {
    const file = path12.join(dir, name);
    if (fs9.existsSync(file) && fs9.statSync(file).isFile()) found.set(name, file);
  }
  return found;
}
function dockerRepo(image) {
  return image.registry === DOCKER_HUB ? `index.docker.io/${image.path}` : image.name;
}
function dockerHubEnv({ facts, build, image, buildEnv: buildEnv2 }) {
  const repo = dockerRepo(image);
  const tag = build.tags[0]?.tag ?? "";
  return {
    SOURCE_BRANCH: facts.tag ?? facts.branch ?? "",
    SOURCE_COMMIT: facts.sha,
    // Docker Hub's builder also exported the commit as GIT_SHA1 (build hooks pass it as VCS_REF).
    GIT_SHA1: facts.sha,
    COMMIT_MSG: facts.commitMessage,
    DOCKER_REPO: repo,
    DOCKERFILE_PATH: path12.relative(build.context, build.file),
    DOCKER_TAG: tag,
    IMAGE_NAME: `${repo}:${tag}`,
    CACHE_TAG: "",
    DOCKER_BUILDKIT: "1",
    // A hook's `docker build` makes a plain image, as Docker Hub's builder did: with the default
    // provenance attestation, the containerd image store pushes an index, which `docker manifest
    // create` (the per-architecture repositories' post_push) refuses as a part of a list.
    BUILDX_NO_DEFAULT_ATTESTATIONS: "1",
    ...buildEnv2
  };
}
function unitEnv(ctx, unit, image = ctx.plan.images[0]) {
  const env = dockerHubEnv({ facts: ctx.facts, build: unit.build, image, buildEnv: ctx.inputs.buildEnv });
  for (const [k, v] of Object.entries(ctx.docker.env())) if (v !== void 0) env[k] = v;
  return env;
}
function composeV1Hooks(hooks) {
  return [...hooks].filter(([, file]) => {
    try {
      return callsComposeV1(fs9.readFileSync(file, "utf8"));
    } catch {
      return false;
    }
  }).map(([name]) => name);
}
function describeDockerHub(build, hooks, autotests, workspace, notRun) {
  const lines2 = [];
  const off = notRun ? ` (not run: ${notRun})` : "";
  if (hooks.size) {
    const dir = path12.relative(workspace, path12.dirname([...hooks.values()][0])) || ".";
    const names = [...hooks.keys()].map((n) => !notRun && (n === "build" || n === "test" || n === "push") ? `${n} (replaces the default ${n === "test" ? "autotest" : n})` : n);
    lines2.push(`Hooks of ${build} (${dir}): ${names.join(", ")}${off}`);
    const v1 = notRun ? [] : composeV1Hooks(hooks);
    if (v1.length) {
      lines2.push(
        `${v1.map((n) => path12.join(dir, n)).join(", ")} call${v1.length === 1 ? "s" : ""} docker-compose (Compose v1): it runs as docker compose (v2) through autobuild's v1-compatible docker-compose on the hooks' PATH (v1 container names, ps lists exited containers as "Exit 0").`
      );
    }
  }
  if (autotests.length) lines2.push(`Autotest of ${build}: ${autotests.map((f) => path12.relative(workspace, f)).join(", ")}${off}`);
  return lines2;
}
function hasShebang(file) {
  const fd = fs9.openSync(file, "r");
  try {
    const head = Buffer.alloc(2);
    return fs9.readSync(fd, head, 0, 2, 0) === 2 && head.toString() === "#!";
  } finally {
    fs9.closeSync(fd);
  }
}
var HookRunner = class {
  constructor(ctx, sets) {
    this.ctx = ctx;
    this.sets = sets;
  }
  ctx;
  sets;
  /** The hooks' PATH shims and buildx state (see HookTools), made before the first hook runs. */
  tools;
  has(unit, name) {
    return this.sets[unit.index]?.has(name) ?? false;
  }
  /**
   * Runs a hook when the build has one; returns whether it ran. `image` selects DOCKER_REPO
   * (push hooks run once per repository). A non-zero exit fails the build, naming the hook.
   *
   * The hook runs under the time limit of its phase (hookPhase). The pipeline runs each phase's
   * hooks inside that phase, so they share its budget with the step they surround; a hook called
   * outside its phase gets a budget of its own.
   */
  async run(unit, name, image, platform) {
    const file = this.sets[unit.index]?.get(name);
    if (!file) return false;
    const shown = path12.relative(this.ctx.facts.workspace, file);
    const label = `${shown}${platform ? ` (${platform})` : ""}`;
    const env = unitEnv(this.ctx, unit, image);
    if (platform) env.DOCKER_DEFAULT_PLATFORM = platform;
    this.tools ??= prepareHookTools(this.ctx.docker.configDir ?? this.ctx.workDir);
    env.PATH = `${this.tools.bin}${path12.delimiter}${env.PATH ?? process.env.PATH ?? ""}`;
    env.BUILDX_CONFIG ??= this.tools.buildxConfig;
    const phase = name === "build" || name === "test" || name === "push" ? name : "hooks";
    const limited = hookPhase(name);
    const exec = () => this.exec(file, shown, env);
    const bounded = currentDeadline()?.phase === limited ? exec : () => withinPhase(limited, this.ctx.inputs.timeout[limited], exec);
    const started = Date.now();
    const r = await timed(this.ctx.report, phase, bounded, `${label}${image && this.ctx.plan.images.length > 1 ? ` (${env.DOCKER_REPO})` : ""}`);
    (unit.report.hooks ??= []).push(name);
    if (name === "test") unit.report.tests.push({ name: label, platform, passed: r.code === 0, seconds: (Date.now() - started) / 1e3, tail: r.code === 0 ? void 0 : tail(r, 10) });
    if (r.code !== 0) {
      const before = HOOK_NAMES.indexOf(name) < HOOK_NAMES.indexOf("pre_push");
      throw new UserError(`The hook ${label} failed (exit ${r.code})${before ? "; nothing was pushed" : ""}.`);
    }
    return true;
  }
  async exec(file, shown, env) {
    const runnable = (fs9.statSync(file).mode & 73) !== 0;
    if (!runnable) {
      warning(`${shown} is not executable: running it with bash. Make it executable with: git update-index --chmod=+x ${shown}`);
    }
    const direct = runnable && hasShebang(file);
    try {
      return await execCommand(direct ? file : "bash", direct ? [] : [file], { cwd: path12.dirname(path12.dirname(file)), env, stream: true, isolated: true });
    } catch (error2) {
      if (error2 instanceof PhaseTimeout) throw new PhaseTimeout(error2.phase, error2.limitMs, `the hook ${shown}`, error2.stopped);
      throw error2;
    }
  }
  /**
   * Before the push hooks of one repository: the tested image carries that repository's
   * $IMAGE_NAME, so `docker push "$IMAGE_NAME"` (hooks/push) or `docker tag "$IMAGE_NAME" ...`
   * (pre_push, post_push) acts on it for every repository of `image`, not only the first. Tagged
   * from the image id, so a name another run moved meanwhile points back at this run's image.
   * The name is one of the build's own references (as the pushes leave them), not a run-local one.
   */
  async nameForPush(unit, image) {
    if (!PUSH_HOOKS.some((name) => this.has(unit, name)) || !unit.report.imageId) return;
    await this.ctx.docker.tag(unit.report.imageId, unitEnv(this.ctx, unit, image).IMAGE_NAME);
  }
  /**
   * hooks/build in place of the default build. The image it tagged as $IMAGE_NAME is the one
   * tested and pushed: its id is read back from the engine. Returns false when there is no hook.
   *
   * A hook may build other names instead ($IMAGE_NAME-amd64 and $IMAGE_NAME-arm64, or a buildx
   * build that pushes and loads nothing) when hooks/push pushes what it built, as Docker Hub
   * allowed: the build then has no image of autobuild's. The autotest files run as written
   * (Compose builds and pulls what they say), no test-command runs, and the push hooks act alone.
   */
  async build(unit) {
    if (!this.has(unit, "build")) return false;
    const { buildArgs, target, secrets, platforms, compression } = this.ctx.inputs;
    const custom = compression !== void 0 && customCompression(compression);
    const ignored = [buildArgs.length && "build-args", target && "target", secrets.length && "secrets", platforms.length && "platforms", custom && "compression"].filter(Boolean);
    if (ignored.length) warning(`hooks/build builds the image itself: the inputs ${ignored.join(", ")} are not applied (pass them in the hook, e.g. from build-env).`);
    const br = unit.report;
    const env = unitEnv(this.ctx, unit);
    const wanted = env.IMAGE_NAME;
    const shown = path12.relative(this.ctx.facts.workspace, this.sets[unit.index].get("build"));
    await this.ctx.docker.removeImages([wanted], { noPrune: true });
    const before = await repositoryImages(this.ctx, env.DOCKER_REPO);
    await this.run(unit, "build");
    const id = await imageId(this.ctx.docker, wanted);
    if (!id) {
      const made = [...await repositoryImages(this.ctx, env.DOCKER_REPO)].filter(([name, image]) => before.get(name) !== image).map(([name]) => name).sort();
      const madeText = made.length ? `it made ${made.join(", ")}` : `it left no image of ${env.DOCKER_REPO} in the engine (a buildx build without --load, or one that pushed)`;
      if (!this.has(unit, "push")) {
        throw new UserError(
          `${shown} finished but there is no image ${wanted} (${madeText}): a build hook must tag what it builds as $IMAGE_NAME (docker build -f $DOCKERFILE_PATH -t $IMAGE_NAME .), which autobuild tests and pushes, or come with a hooks/push that pushes what it built. Nothing was pushed.`
        );
      }
      if (this.ctx.inputs.testCommand) {
        throw new UserError(`${shown} made no image ${wanted} (${madeText}), and test-command runs inside that image: tag it as $IMAGE_NAME in the hook, or test in hooks/test or an autotest file. Nothing was pushed.`);
      }
      unit.report.hookImages = made;
      info(`${shown} made no ${wanted}; ${madeText}. hooks/push pushes what it built, as on Docker Hub: autobuild runs the autotest files as they are written, and reports no image id or digest of its own.`);
      return true;
    }
    const local = br.refs[0];
    if (await imageId(this.ctx.docker, local) !== id) await this.ctx.docker.tag(id, local);
    await tagLocalName(this.ctx, unit, id);
    br.imageId = id;
    info(`hooks/build built ${id} as ${wanted}: this image is tested and pushed.`);
    return true;
  }
  /**
   * After hooks/test and post_test: a hook that built $IMAGE_NAME again (docker build -t
   * $IMAGE_NAME --target test) does not change what is pushed. Docker Hub pushed whatever the name
   * held by then; autobuild pushes the image of the build step, which its tests ran on, and says so.
   */
  async checkNameAfterTests(unit) {
    const id = unit.report.imageId;
    if (!id || !(this.has(unit, "test") || this.has(unit, "post_test"))) return;
    const wanted = unitEnv(this.ctx, unit).IMAGE_NAME;
    const now = await imageId(this.ctx.docker, wanted);
    if (now === id) return;
    const hooks = ["test", "post_test"].filter((n) => this.has(unit, n)).map((n) => `hooks/${n}`).join(" or ");
    warning(
      `${hooks} ${now ? `built ${wanted} again (now ${now})` : `removed ${wanted}`}: autobuild pushes the image of the build step, ${id}, not ${now ? "that one" : "nothing"}. Docker Hub pushed whatever $IMAGE_NAME held after the tests; to push an image a hook builds, build it in hooks/build, and give a test image a name of its own ($IMAGE_NAME-test).`,
      { title: "The tests changed $IMAGE_NAME" }
    );
  }
};
async function repositoryImages(ctx, repo) {
  const r = await ctx.docker.run(["images", "--no-trunc", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}", repo]).catch(() => void 0);
  const found = /* @__PURE__ */ new Map();
  for (const line of r?.code === 0 ? r.stdout.split("\n") : []) {
    const [name, id] = line.trim().split(" ");
    if (name && id && !name.endsWith(":<none>")) found.set(name, id);
  }
  return found;
}

// src/plan/describe.ts
function describePlan(facts, plan) {
  const lines2 = [];
  const pr = facts.pr ? `, pull request #${facts.pr.number}${facts.pr.fork ? " from a fork" : ""}${facts.baseRef ? ` into ${facts.baseRef}` : ""}` : "";
  lines2.push(`Event: ${facts.eventName} on ${facts.ref || "(no ref)"}${pr}`);
  lines2.push(describeTrust(plan.trust, plan.hostCode));
  const subject = facts.commitMessage?.split(/\r\n|\r|\n/)[0];
  lines2.push(`Commit: ${facts.sha}${subject ? ` "${subject}"` : ""}`);
  lines2.push(`Default branch: ${facts.defaultBranch}${facts.isDefaultBranch ? " (this ref)" : ""}`);
  lines2.push(`Images: ${plan.images.map((i) => i.name).join(", ")}`);
  for (const image of plan.images) {
    if (image.lowercased) lines2.push(`  note: '${image.input}' was lower-cased to ${image.name} (repository names must be lower case)`);
  }
  if (plan.tagSource) lines2.push(`Tags from: ${plan.tagSource}`);
  for (const note of plan.notes ?? []) lines2.push(`  note: ${note}`);
  if (plan.skipped) lines2.push(`Nothing to build: ${plan.skipped}`);
  for (const b of plan.builds) {
    lines2.push(`Build ${b.name}: ${b.file} (context ${b.context}), version ${b.version || "(none)"}`);
    const width = Math.min(40, Math.max(...b.tags.map((t) => t.tag.length)));
    for (const t of b.tags) {
      const [major5 = "", minor3 = ""] = (t.release ?? "").split(".");
      const follows = t.moves === "latest" ? "the newest release" : t.moves === "major" ? `the newest ${major5}.x` : `the newest ${major5}.${minor3}.x`;
      const moving = t.moves ? ` (follows ${follows}: pushed only if the registry holds nothing newer)` : "";
      lines2.push(`  tag ${t.tag.padEnd(width)} <- ${t.why}${moving}`);
    }
  }
  const d = plan.distribution;
  if (d) {
    const others = d.platforms.filter((p) => !d.share.some((s) => normalizePlatform(s) === normalizePlatform(p)));
    lines2.push(
      `Platforms: this job builds ${d.share.join(", ")} of ${d.platforms.join(", ")}${others.length ? `; ${others.join(", ")} ${others.length === 1 ? "is" : "are"} other jobs'` : ""}. ${plan.push.enabled ? "Each platform is pushed by digest once its tests pass; the job that finds every platform passed tags the image" : "Nothing is pushed, so nothing is tagged"}.`
    );
  }
  lines2.push(`Push: ${plan.push.enabled ? "yes" : "no"}, ${plan.push.reason}`);
  return lines2;
}

// src/phases/hub-description.ts
import * as fs10 from "node:fs";
import * as path13 from "node:path";
var DOCKERHUB_API_ENV = "AUTOBUILD_DOCKERHUB_API_URL";
var DOCKERHUB_API = "https://hub.docker.com";
var FULL_DESCRIPTION_LIMIT = 25e3;
var SHORT_DESCRIPTION_LIMIT = 100;
var CALL_TIMEOUT_MS = 15e3;
var RETRY_WAIT_MS = 2e3;
function pushedTo(report, image) {
  return report.builds.some((b) => b.pushedRefs.some((r) => r.startsWith(`${image.name}:`)) || (b.unchanged ?? []).includes(image.name) || (b.hooks ?? []).includes("push"));
}
var hubShaped = (i) => i.path.split("/").length === 2;
function hubDescriptionGate(facts, inputs, plan, repositories, credentials) {
  const no = (reason) => ({ open: false, repositories, reason });
  if (inputs.dockerhubDescription === "off") return no("dockerhub-description: off");
  if (untrusted(plan.trust)) return no(`the code is not a writer's (${plan.trust.why})`);
  if (!facts.isDefaultBranch) {
    const what = facts.pr ? `pull request #${facts.pr.number}` : facts.refType === "tag" ? `tag '${facts.tag}'` : facts.refType === "branch" ? `branch '${facts.branch}'` : `this ${facts.eventName} event`;
    return no(`${what} is not the default branch (${facts.defaultBranch}): only a push of the default branch updates it`);
  }
  if (!plan.push.enabled) return no(`nothing is pushed (${plan.push.reason})`);
  const credential = credentialsFor(repositories, inputs).find((c) => c.registry === DOCKER_HUB);
  if (!credential && credentials === "known") return no("no Docker Hub credentials (username and password, or registry-auth for docker.io)");
  return { open: true, repositories, ...credential ? { credential } : {} };
}
function decideHubDescription(facts, inputs, plan, report) {
  const repositories = plan.images.filter((i) => i.registry === DOCKER_HUB);
  if (!repositories.length) return void 0;
  const gate = hubDescriptionGate(facts, inputs, plan, repositories, "known");
  if (!gate.open) return { update: false, repositories, reason: gate.reason };
  const pushed = repositories.filter((i) => pushedTo(report, i));
  if (!pushed.length) return { update: false, repositories, reason: "nothing was pushed to Docker Hub" };
  const hub = pushed.filter(hubShaped);
  if (!hub.length) return { update: false, repositories: pushed, reason: notHubShaped(pushed) };
  return { update: true, repositories: hub, credential: gate.credential };
}
var notHubShaped = (images) => `${images.map((i) => i.name).join(", ")} is not a Docker Hub repository name (namespace/name)`;
function hubDescriptionPlanLine(facts, inputs, plan, credentials = "known") {
  const repositories = plan.images.filter((i) => i.registry === DOCKER_HUB);
  if (!repositories.length) return void 0;
  const not = (reason) => `Docker Hub description: not updated, ${reason}`;
  const gate = hubDescriptionGate(facts, inputs, plan, repositories, credentials);
  if (!gate.open) return not(gate.reason);
  const hub = repositories.filter(hubShaped);
  if (!hub.length) return not(notHubShaped(repositories));
  const found = findReadme(inputs.dockerhubDescription, plan.builds[0]?.context ?? inputs.context, facts.workspace);
  if ("missing" in found) return not(found.missing);
  const file = path13.relative(facts.workspace, found.file);
  let size;
  try {
    size = fs10.statSync(found.file).size;
  } catch (error2) {
    return not(`${file} cannot be read: ${getErrorMessage(error2)}`);
  }
  if (size > FULL_DESCRIPTION_LIMIT) return not(`${file} is ${size} bytes, over Docker Hub's limit of ${FULL_DESCRIPTION_LIMIT} bytes`);
  const needs = gate.credential ? "" : ", with the run's Docker Hub credentials (username and password, or registry-auth for docker.io)";
  return `Docker Hub description: ${file} (${size} bytes) to ${hub.map((i) => i.name).join(", ")} once the pushes succeed${needs}`;
}
function shortDescription(text2) {
  const value2 = (text2 ?? "").replace(/\s+/g, " ").trim();
  if (!value2) return {};
  const chars = Array.from(value2);
  if (chars.length <= SHORT_DESCRIPTION_LIMIT) return { text: value2 };
  return { text: chars.slice(0, SHORT_DESCRIPTION_LIMIT).join("").trimEnd(), cut: chars.length };
}
function hubDescriptionBody(readme, repositoryDescription) {
  const bytes = Buffer.byteLength(readme, "utf8");
  if (bytes > FULL_DESCRIPTION_LIMIT) return { tooLarge: bytes };
  const short = shortDescription(repositoryDescription);
  const body = { full_description: readme };
  if (short.text) body.description = short.text;
  return { body, bytes, short: short.cut ? "cut" : short.text ? "sent" : "none", ...short.cut ? { cutFrom: short.cut } : {} };
}
function isInside2(parent, child) {
  const rel = path13.relative(parent, child);
  return rel === "" || !rel.startsWith("..") && !path13.isAbsolute(rel);
}
function fileInside(file, workspace) {
  try {
    return fs10.statSync(file).isFile() && isInside2(fs10.realpathSync(workspace), fs10.realpathSync(file));
  } catch {
    return false;
  }
}
function readmeIn(dir) {
  const exact = path13.join(dir, "README.md");
  if (fs10.existsSync(exact)) return exact;
  try {
    const found = fs10.readdirSync(dir).filter((f) => f.toLowerCase() === "readme.md");
    return found.length === 1 ? path13.join(dir, found[0]) : void 0;
  } catch {
    return void 0;
  }
}
function findReadme(setting, context, workspace) {
  if (setting !== "auto" && setting !== "off") {
    return fileInside(setting, workspace) ? { file: setting } : { missing: `${path13.relative(workspace, setting)} is not a file inside the workspace` };
  }
  const dirs = [.../* @__PURE__ */ new Set([context, workspace])];
  for (const dir of dirs) {
    const file = readmeIn(dir);
    if (!file) continue;
    if (fileInside(file, workspace)) return { file };
    return { missing: `${path13.relative(workspace, file)} leads outside the workspace (a symbolic link): not read` };
  }
  const where2 = dirs.map((d) => path13.relative(workspace, d) || "the repository root");
  return { missing: `no README.md in ${where2.length === 2 ? `the build context (${where2[0]}) or the repository root` : "the repository root"}` };
}
async function answerOf(res) {
  let detail = "";
  try {
    const json = await res.json();
    const said = json && (json.detail ?? json.message ?? json.error ?? (Array.isArray(json.errors) ? JSON.stringify(json.errors) : void 0));
    if (said !== void 0 && said !== null) detail = typeof said === "string" ? said : JSON.stringify(said);
  } catch {
  }
  detail = detail.replace(/\s+/g, " ").trim();
  if (detail.length > 200) detail = `${detail.slice(0, 200)}...`;
  return `HTTP ${res.status}${detail ? `: ${detail}` : ""}`;
}
async function call(fetch, url, init, wait) {
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await fetch(url, { ...init, signal: AbortSignal.timeout(CALL_TIMEOUT_MS), maxBytes: 2 ** 20 });
      if (attempt < 2 && (res.status === 429 || res.status >= 500)) {
        await res.body?.cancel();
        await wait(RETRY_WAIT_MS);
        continue;
      }
      return res;
    } catch (error2) {
      if (attempt >= 2 || classifyError(error2).kind !== "transient") throw error2;
      await wait(RETRY_WAIT_MS);
    }
  }
}
function apiBase(env) {
  const raw = env[DOCKERHUB_API_ENV]?.trim();
  if (!raw) return DOCKERHUB_API;
  const url = new URL(raw);
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error(`${DOCKERHUB_API_ENV} must be an http(s) URL`);
  return raw.replace(/\/+$/, "");
}
async function sendHubDescription(credential, repositories, body, options = {}) {
  const fetch = options.fetch ?? nodeFetch;
  const wait = options.wait ?? ((ms) => new Promise((resolve2) => setTimeout(resolve2, ms)));
  const base = apiBase(options.env ?? process.env);
  const json = { "content-type": "application/json", accept: "application/json" };
  const all = (answer) => repositories.map((r) => ({ repository: r.name, answer }));
  let token;
  try {
    const res = await call(fetch, `${base}/v2/users/login`, { method: "POST", headers: json, body: JSON.stringify({ username: credential.username, password: credential.password }) }, wait);
    if (!res.ok) {
      const answer = await answerOf(res);
      const hint = res.status === 401 ? ` (with two-factor authentication, give a personal access token as the password)` : "";
      return all(`Docker Hub's login refused user '${credential.username}' (from ${credential.from}): ${answer}${hint}`);
    }
    const got = await res.json();
    if (typeof got?.token !== "string" || !got.token) return all(`Docker Hub's login answered without a token (HTTP ${res.status})`);
    token = got.token;
    maskSecret(token);
  } catch (error2) {
    return all(`could not reach Docker Hub's login: ${getErrorMessage(error2)}`);
  }
  const refused = [];
  for (const repo of repositories) {
    try {
      const res = await call(fetch, `${base}/v2/repositories/${repo.path}/`, { method: "PATCH", headers: { ...json, authorization: `Bearer ${token}` }, body: JSON.stringify(body) }, wait);
      if (res.ok) {
        await res.body?.cancel();
        continue;
      }
      const answer = await answerOf(res);
      const hint = res.status === 401 || res.status === 403 ? " (an access token needs the scope 'Read, Write, Delete' to change a repository's description)" : res.status === 404 ? " (the repository does not exist on Docker Hub, or the user cannot see it)" : "";
      refused.push({ repository: repo.name, answer: `${answer}${hint}` });
    } catch (error2) {
      refused.push({ repository: repo.name, answer: `could not reach Docker Hub: ${getErrorMessage(error2)}` });
    }
  }
  return refused;
}
async function updateHubDescription(facts, inputs, plan, report, options = {}) {
  try {
    const decision = decideHubDescription(facts, inputs, plan, report);
    if (!decision) return;
    const names = decision.repositories.map((r) => r.name);
    const skip = (reason, extra = {}) => {
      report.dockerhubDescription = { updated: false, repositories: names, reason, ...extra };
    };
    if (!decision.update) {
      skip(decision.reason);
      info(`Docker Hub description: not updated, ${decision.reason}.`);
      return;
    }
    const found = findReadme(inputs.dockerhubDescription, plan.builds[0]?.context ?? inputs.context, facts.workspace);
    if ("missing" in found) {
      skip(found.missing);
      info(`Docker Hub description: not updated, ${found.missing}.`);
      return;
    }
    const file = path13.relative(facts.workspace, found.file);
    const size = fs10.statSync(found.file).size;
    const text2 = size > 4 * FULL_DESCRIPTION_LIMIT ? void 0 : fs10.readFileSync(found.file, "utf8").replace(/^\uFEFF/, "");
    const made = text2 === void 0 ? { tooLarge: size } : hubDescriptionBody(text2, facts.repository.description);
    if ("tooLarge" in made) {
      const reason = `${file} is ${made.tooLarge} bytes, over Docker Hub's limit of ${FULL_DESCRIPTION_LIMIT} bytes`;
      skip(reason, { file, bytes: made.tooLarge });
      warning(`${reason}: the description of ${names.join(", ")} was not updated (nothing was sent). Shorten it, or set dockerhub-description to the path of a shorter file.`, { title: "Docker Hub description not updated" });
      return;
    }
    if (made.cutFrom) info(`Docker Hub description: the repository's description is ${made.cutFrom} characters; Docker Hub's short description takes ${SHORT_DESCRIPTION_LIMIT}, so it is cut to: ${made.body.description}`);
    const refused = await sendHubDescription(decision.credential, decision.repositories, made.body, options);
    const done = names.filter((n) => !refused.some((r) => r.repository === n));
    report.dockerhubDescription = { updated: done.length > 0, repositories: names, file, bytes: made.bytes, short: made.short, ...refused.length ? { refused, reason: refused[0].answer } : {} };
    const shortWords = made.short === "none" ? "no short description (the GitHub repository has none)" : `the repository's description as the short description${made.short === "cut" ? ` (cut to ${SHORT_DESCRIPTION_LIMIT} characters)` : ""}`;
    if (done.length) info(`Docker Hub description: updated ${done.join(", ")} from ${file} (${made.bytes} bytes), with ${shortWords}.`);
    for (const r of refused) {
      warning(`The Docker Hub description of ${r.repository} was not updated: ${r.answer}. The image was pushed; the description is left as it was (dockerhub-description: off stops these updates).`, { title: "Docker Hub description not updated" });
    }
  } catch (error2) {
    report.dockerhubDescription = { updated: false, repositories: plan.images.filter((i) => i.registry === DOCKER_HUB).map((i) => i.name), reason: getErrorMessage(error2) };
    warning(`The Docker Hub description was not updated: ${getErrorMessage(error2)}.`, { title: "Docker Hub description not updated" });
  }
}
function hubDescriptionWords(d, fmt = { name: (s) => s, text: (s) => s }) {
  const names = (list) => list.map(fmt.name).join(", ");
  if (d.updated) {
    const refused = d.refused?.length ? `; not ${names(d.refused.map((r) => r.repository))}: ${fmt.text(d.refused[0].answer)}` : "";
    const short = d.short === "cut" ? `, short description cut to ${SHORT_DESCRIPTION_LIMIT} characters` : d.short === "sent" ? ", with the short description" : "";
    const done = d.repositories.filter((r) => !d.refused?.some((x) => x.repository === r));
    return `updated ${names(done)} from ${fmt.name(d.file ?? "")} (${d.bytes} bytes${short})${refused}`;
  }
  return `not updated${d.repositories.length ? ` (${names(d.repositories)})` : ""}: ${fmt.text(d.reason ?? "unknown")}`;
}

// src/phases/test.ts
import * as crypto from "node:crypto";
import * as fs11 from "node:fs";
import * as path14 from "node:path";
var AUTOTEST = /[.-]test\.yml$/;
function autotestsFor(build, mode, hooks) {
  if (mode === "off") return [];
  if (Array.isArray(mode)) return mode;
  if (hooks.has("test")) return [];
  const dir = path14.dirname(build.file);
  if (!fs11.existsSync(dir)) return [];
  return fs11.readdirSync(dir).filter((name) => AUTOTEST.test(name) && fs11.statSync(path14.join(dir, name)).isFile()).sort((a, b) => Number(b === "docker-compose.test.yml") - Number(a === "docker-compose.test.yml") || a.localeCompare(b)).map((name) => path14.join(dir, name));
}
function checkAutotests(files, workspace) {
  for (const file of files) readAutotestFile(file, path14.relative(workspace, file));
}
async function testImage(ctx, unit, autotests = []) {
  for (const [p, platform] of testPlatforms(ctx.inputs.platforms).entries()) {
    const on = platform ? ` (${platform})` : "";
    if (ctx.inputs.testCommand) await group(`test-command${on}`, () => runCommand(ctx, unit, platform, p));
    for (const [i, file] of autotests.entries()) {
      await group(`autotest ${path14.relative(ctx.facts.workspace, file)}${on}`, () => runAutotest(ctx, unit, file, i, platform));
    }
  }
}
function testContainerName(runId, index, platformIndex = 0) {
  return `autobuild-test-${runId ?? process.pid}-${index}${platformIndex ? `-p${platformIndex}` : ""}`;
}
function testPlatforms(platforms) {
  return platforms.length ? platforms : [void 0];
}
async function runCommand(ctx, unit, platform, platformIndex = 0) {
  const { report: br, index } = unit;
  const command = ctx.inputs.testCommand;
  const started = Date.now();
  const options = testOptionArgs(ctx.inputs.testOptions, !untrusted(ctx.plan.trust));
  if (options.dropped.length && platformIndex === 0) {
    info(`test-options: ${options.dropped.join(", ")} left out: code that is not a writer's gets none of the runner's variables, network, shared memory or devices (${ctx.plan.trust.why}).`);
  }
  saveState({ testContainers: "true" });
  const r = await runTestCommand(ctx.docker, br.imageId, command, testContainerName(ctx.docker.runId, index, platformIndex), void 0, platform, options.args);
  if (r.code !== 125) saveState({ testContainers: "" });
  const passed = r.code === 0;
  const on = platform ? ` (${platform})` : "";
  br.tests.push({ name: `test-command${on}: ${command}`, platform, passed, seconds: (Date.now() - started) / 1e3, tail: passed ? void 0 : tail(r, 10) });
  if (!passed) {
    const hint = execFormatHint(`${r.stdout}
${r.stderr}`, platform ? [platform] : []);
    throw new UserError(`The test command failed (exit ${r.code}) inside ${br.refs[0]}${platform ? ` for ${platform}` : ""}; nothing was pushed.${hint ? ` ${hint}` : ""}`);
  }
}
var open = /* @__PURE__ */ new Map();
function remember(project, file) {
  if (file === void 0) open.delete(project);
  else open.set(project, file);
  saveState({ composeProjects: JSON.stringify([...open].map(([name, f]) => ({ name, file: f }))) });
}
async function runAutotest(ctx, unit, file, i, platform) {
  const br = unit.report;
  const shown = path14.relative(ctx.facts.workspace, file);
  const project = projectName("autobuild", ctx.docker.runId ?? process.pid, unit.index, i, crypto.randomBytes(3).toString("hex"));
  const started = Date.now();
  let passed = false;
  const parsed = readAutotestFile(file, shown);
  fs11.mkdirSync(ctx.workDir, { recursive: true });
  let source = file;
  if (parsed.legacy) {
    source = path14.join(ctx.workDir, `${project}.v2.yml`);
    fs11.writeFileSync(source, yamlLib().stringify(parsed.doc), { mode: 384 });
    info(`${shown} is in Compose v1 format (services at the top level): running it as Compose v2.`);
  }
  const tested = unit.localRef ?? br.refs[0];
  let compose = new ComposeProject(ctx.docker, project, path14.dirname(file), [source], unitEnv(ctx, unit));
  remember(project, source);
  try {
    const { model, services } = unit.report.hookImages ? { model: await compose.config(), services: [] } : pointAtImage(await compose.config(), {
      ref: tested,
      context: unit.build.context,
      file: unit.build.file,
      target: ctx.inputs.target,
      repositories: ctx.plan.images.map((image) => image.name),
      platform
    });
    if (unit.report.hookImages) {
      info(`hooks/build made no $IMAGE_NAME: ${shown} runs as written; Compose builds and pulls what it names.`);
    } else if (services.length) {
      info(`Services on the image just built (${br.imageId ?? tested} as ${tested}, not rebuilt, not pulled): ${services.join(", ")}`);
    } else {
      warning(`No service of ${shown} uses the image just built: write 'build: .' or 'image: \${IMAGE_NAME}' for the service to test.`);
    }
    const resolved = path14.join(ctx.workDir, `${project}.json`);
    fs11.writeFileSync(resolved, JSON.stringify(model, null, 2), { mode: 384 });
    compose = compose.withFiles([resolved]);
    remember(project, resolved);
    info(`Compose project ${project}: starting sut and what it depends on.`);
    const up = await compose.up("sut");
    const sut = (await compose.ps()).find((c) => c.service === "sut");
    if (up.code !== 0 || !sut) {
      await compose.logs(await compose.ps());
      throw new UserError(`Autotest ${shown}: sut could not start: ${tail(up, 2)}. Nothing was pushed.`);
    }
    const code2 = await compose.wait(sut.id);
    const containers = await compose.ps();
    const broken = containers.filter((c) => c.service !== "sut" && failed(c));
    await compose.logs([...containers.filter((c) => c.service === "sut"), ...broken]);
    if (broken.length) info(`Failed dependencies: ${broken.map((c) => c.service).join(", ")}.`);
    info(`sut exited with ${code2}.`);
    passed = code2 === 0;
    if (!passed) throw new UserError(`Autotest ${shown}${platform ? ` (${platform})` : ""} failed: sut exited with ${code2}. Nothing was pushed.`);
  } finally {
    br.tests.push({ name: `autotest ${shown}${platform ? ` (${platform})` : ""}`, platform, passed, seconds: (Date.now() - started) / 1e3 });
    const down = await compose.down();
    if (down.code === 0) remember(project);
    else warning(`Could not remove compose project ${project}: ${tail(down, 2)}`);
  }
}

// src/phases/plan-group.ts
function dockerHubFiles(plan, inputs) {
  const found = plan.builds.map((b) => findHooks(b, inputs.hooks));
  const foundTests = plan.builds.map((b, i) => autotestsFor(b, inputs.testCompose, found[i]));
  const onHost = plan.hostCode !== "off";
  return {
    found,
    foundTests,
    onHost,
    hooks: onHost ? found : found.map(() => /* @__PURE__ */ new Map()),
    autotests: onHost ? foundTests : foundTests.map(() => [])
  };
}
function planGroupLines(facts, inputs, plan, files, credentials = "known") {
  const notRun = files.onHost ? void 0 : plan.trust.why;
  const hub = hubDescriptionPlanLine(facts, inputs, plan, credentials);
  return [
    ...describePlan(facts, plan),
    ...plan.builds.flatMap((b, i) => describeDockerHub(b.name, files.found[i], files.foundTests[i], facts.workspace, notRun)),
    ...hub ? [hub] : []
  ];
}
async function checkPlanFiles(plan, autotests, workspace) {
  for (const b of plan.builds) checkBuildFiles(b);
  if (autotests.some((files) => files.length)) await loadYaml();
  for (const files of autotests) checkAutotests(files, workspace);
}

// src/phases/markdown.ts
function cell(s) {
  return s.replace(/\|/g, "\\|").replace(/\r\n|\r|\n/g, " ");
}
function text(s) {
  const escaped = s.replace(/[\\`*_[\]<>&!#~]/g, (c) => c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === "&" ? "&amp;" : `\\${c}`);
  return cell(escaped.replace(/:(?=\/\/)|www(?=\.)|[@#]|\bgh(?=-\d)/gi, (m) => `${m}&#8203;`));
}
function code(s) {
  const line = cell(s);
  const longest = Math.max(0, ...[...line.matchAll(/`+/g)].map((m) => m[0].length));
  const fence2 = "`".repeat(longest + 1);
  const pad2 = line.startsWith("`") || line.endsWith("`") ? " " : "";
  return `${fence2}${pad2}${line}${pad2}${fence2}`;
}

// src/phases/summary.ts
function fenced(text2, lang = "text") {
  return ["```" + lang, text2.replace(/```/g, "'''"), "```"];
}
function formatBytes(bytes) {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let value2 = bytes;
  let unit = 0;
  while (value2 >= 1e3 && unit < units.length - 1) {
    value2 /= 1e3;
    unit++;
  }
  return unit === 0 ? `${value2} B` : `${value2.toFixed(value2 < 10 ? 2 : 1)} ${units[unit]}`;
}
function cacheRatio(b) {
  if (b.totalSteps === void 0 || b.cachedSteps === void 0 || b.totalSteps === 0) return void 0;
  return `${b.cachedSteps} of ${b.totalSteps} steps cached (${Math.round(100 * b.cachedSteps / b.totalSteps)}%)`;
}
function releaseOf2(report) {
  const f = report.facts;
  if (!f || f.refType !== "tag" || f.tag === void 0) return void 0;
  const v = releaseVersion(f.tag);
  return v ? { version: v.version, tag: f.tag, prerelease: v.prerelease.length > 0 } : void 0;
}
function errorLines(error2) {
  const [first = "", ...rest] = error2.trim().split("\n");
  const lines2 = [`> **Error:** ${text(first)}`, ""];
  if (rest.length) lines2.push(...fenced(rest.join("\n")), "");
  return lines2;
}
function heldTags(b) {
  return b.tags.filter((t) => t.held).map((t) => `${code(t.tag)} held back: ${text(t.held)}`);
}
function releaseSection(report, release) {
  const f = report.facts;
  const state = report.error ? ": failed" : report.pushed ? "" : ": built and tested, not pushed";
  const lines2 = [`## Release ${release.version}${release.prerelease ? " (pre-release)" : ""}${state}`, ""];
  lines2.push(`${code(f.repository.fullName)} tag ${code(release.tag)} at commit ${code(f.sha.slice(0, 7))}.`, "");
  if (report.error) lines2.push(...errorLines(report.error));
  for (const b of report.builds) {
    if (report.builds.length > 1) lines2.push(`### ${cell(b.name)}`, "");
    if (b.pushedRefs.length) {
      lines2.push("| tag | reference |", "| --- | --- |");
      for (const ref of b.pushedRefs) lines2.push(`| ${code(ref.slice(ref.lastIndexOf(":") + 1))} | ${code(ref)} |`);
      lines2.push("");
    }
    const facts = [];
    if (b.digest) facts.push(`- **Digest:** \`${b.digest}\``);
    if (b.size !== void 0) facts.push(`- **Size:** ${formatBytes(b.size)}`);
    if (b.baseImage) facts.push(`- **Base image:** ${code(b.baseImage)}`);
    for (const held of heldTags(b)) facts.push(`- ${held}`);
    if (facts.length) lines2.push(...facts, "");
    if (b.pushedRefs[0]) lines2.push(...fenced(`docker pull ${b.pushedRefs[0]}`, "sh"), "");
  }
  return lines2;
}
function checksSection(b) {
  const file = b.checkFile ? ` of ${code(b.checkFile)}` : "";
  if (b.checksNote) return [`Dockerfile checks${file}: ${cell(b.checksNote)}.`, ""];
  if (!b.checks) return [];
  if (!b.checks.length) return [`Dockerfile checks${file}: no findings.`, ""];
  const lines2 = [`Dockerfile checks${file}: ${b.checks.length} finding${b.checks.length === 1 ? "" : "s"}.`, "", "| line | check | finding |", "| --- | --- | --- |"];
  for (const c of b.checks) {
    const rule = c.url ? `[${text(c.rule)}](${c.url})` : text(c.rule);
    lines2.push(`| ${c.line ?? ""} | ${c.level === "error" ? "**" + rule + "**" : rule} | ${text(c.message)} |`);
  }
  lines2.push("");
  return lines2;
}
function distributionLines(b) {
  const d = b.distribution;
  if (!d) return [];
  const mine = d.manifests.map((m) => `${code(m.platform)} ${code(m.digest)}`).join(", ");
  const head = `This job built ${d.share.map((p) => code(p)).join(", ")} of ${d.platforms.map((p) => code(p)).join(", ")}${mine ? `, pushed by digest: ${mine}` : ""}.`;
  const state = d.state === "tagged" ? "Every platform had passed: this job tagged the index." : d.state === "untagged" ? "Every platform had passed, but no tag moved (see the tags above and the error, if any)." : d.state === "failed" ? `Not tagged: ${(d.failed ?? []).map((f) => `${code(f.platform)} failed (${text(f.error)})`).join("; ")}.` : `Not tagged yet: waiting for ${(d.waiting ?? []).map((p) => code(p)).join(", ")}; the job that finishes last tags the image.`;
  return [`${head} ${state}`, ""];
}
function buildSection(report, b) {
  const lines2 = [];
  lines2.push(report.builds.length > 1 ? `### Build ${cell(b.name)}` : "### Tags", "");
  lines2.push("| tag | why | pushed |", "| --- | --- | --- |");
  for (const t of b.tags) {
    const refs = b.pushedRefs.filter((r) => r.endsWith(`:${t.tag}`));
    lines2.push(`| ${code(t.tag)} | ${cell(t.why)} | ${refs.length ? refs.map((r) => code(r)).join("<br>") : t.held ? `held back: ${text(t.held)}` : t.local ? `local only: ${text(t.local)}` : "-"} |`);
  }
  lines2.push("");
  for (const repo of b.unchanged ?? []) lines2.push(`${code(repo)} already held this image under every tag: nothing was pushed there.`, "");
  lines2.push(...distributionLines(b));
  const image = [];
  if (b.digest) image.push(["digest", `\`${b.digest}\``]);
  if (b.imageId) image.push(["image id", `\`${b.imageId}\``]);
  if (b.size !== void 0) image.push(["size", formatBytes(b.size)]);
  if (b.baseImage) image.push(["base image", code(b.baseImage)]);
  const ratio = cacheRatio(b);
  if (ratio) image.push(["layer cache", ratio]);
  if (image.length) {
    lines2.push("| image | |", "| --- | --- |", ...image.map(([k, v]) => `| ${k} | ${v} |`), "");
  }
  lines2.push(...checksSection(b));
  if (b.hooks?.length) lines2.push(`Docker Hub hooks: ${b.hooks.map((h) => `\`${h}\``).join(", ")}${b.hooks.includes("push") ? " (hooks/push replaced the push)" : ""}`, "");
  if (b.hookImages) {
    const made = b.hookImages.length ? b.hookImages.map((n) => code(n)).join(", ") : "no image in the engine";
    lines2.push(`hooks/build made ${made}, not \`$IMAGE_NAME\`: its push hooks push what it built; autobuild ran the autotest files as written.`, "");
  }
  if (b.tests.length) {
    lines2.push("| test | result | time |", "| --- | --- | --- |");
    for (const t of b.tests) lines2.push(`| ${text(t.name)} | ${t.passed ? "passed" : "**failed**"} | ${t.seconds.toFixed(1)}s |`);
    lines2.push("");
  } else if (b.imageId) {
    lines2.push("No tests ran: set `test-command`, or add a `docker-compose.test.yml` with a `sut` service.", "");
  }
  return lines2;
}
function summaryMarkdown(raw) {
  const report = redactAll(raw);
  const lines2 = [];
  const release = releaseOf2(report);
  if (release) lines2.push(...releaseSection(report, release));
  const status = report.error ? "failed" : report.pushed ? "pushed" : report.skipped ? "skipped" : "built and tested, not pushed";
  lines2.push(`## autobuild: ${status}`, "");
  if (report.error && !release) lines2.push(...errorLines(report.error));
  if (report.facts) {
    const f = report.facts;
    lines2.push(`**${text(f.eventName)}** on ${code(f.ref)} at ${code(f.sha.slice(0, 7))}${f.pr ? ` (pull request #${f.pr.number}${f.pr.fork ? ", from a fork" : ""})` : ""}`, "");
  }
  if (report.skipped) lines2.push(`Nothing to build: ${text(report.skipped)}.`, "");
  if (report.rebuild?.rebuild) {
    for (const b of report.rebuild.builds) lines2.push(`**Rebuild** (base-changed)${report.rebuild.builds.length > 1 ? ` ${cell(b.name)}` : ""}: ${text(b.reason)}.`, "");
  }
  if (report.cleanup) {
    const c = report.cleanup;
    lines2.push(`### Preview of pull request #${c.pr}`, "");
    if (!c.removed.length && !c.kept.length) lines2.push("No preview tags were found.", "");
    for (const ref of c.removed) lines2.push(`- removed ${code(ref)}`);
    for (const k of c.kept) lines2.push(`- kept ${code(k.ref)}: ${text(k.why)}`);
    lines2.push("");
  }
  if (report.push) {
    const push = !report.push.enabled ? "no" : report.pushed ? "yes" : report.error ? "planned, stopped by the failure" : "planned";
    lines2.push(`**Push:** ${push}: ${cell(report.push.reason)}`, "");
  }
  if (report.dockerhubDescription) lines2.push(`**Docker Hub description:** ${hubDescriptionWords(report.dockerhubDescription, { name: code, text })}`, "");
  if (report.disk?.warned) {
    const d = report.disk;
    lines2.push(`**Disk:** ${formatBytes(d.freeBytes)} free in ${code(d.dataRoot)}, about ${formatBytes(d.needBytes)} needed (twice the previous image, ${d.measured.map((m) => code(m.ref)).join(", ")}): see the warning for how to free space.`, "");
  }
  if (report.previewComment) lines2.push(`**Preview:** [pull request comment](${report.previewComment})`, "");
  for (const b of report.builds) lines2.push(...buildSection(report, b));
  if (report.builder || report.cache) {
    lines2.push("### Builder and cache", "");
    if (report.builder) lines2.push(`**Builder:** ${cell(report.builder)}`, "");
    if (report.cache) lines2.push(`**Cache:** ${cell(report.cache)}`, "");
  }
  const phases = Object.entries(report.timings);
  if (phases.length) {
    const total = phases.reduce((sum, [, s]) => sum + s, 0);
    lines2.push("### Time", "", "| phase | seconds |", "| --- | --- |");
    for (const [p, s] of phases) lines2.push(`| ${p} | ${s.toFixed(1)} |`);
    lines2.push(`| **total** | **${total.toFixed(1)}** |`, "");
  }
  return redactSecrets(lines2.join("\n"));
}
function annotationsOf(report) {
  const out = [];
  for (const b of report.builds) {
    for (const t of b.tests) {
      if (!t.passed && t.tail) out.push({ level: "error", title: `Test failed: ${t.name}`, message: t.tail });
    }
    for (const c of b.checks ?? []) {
      out.push({
        level: c.level,
        title: `Dockerfile check ${c.rule}`,
        message: `${c.message}${c.url ? ` (${c.url})` : ""}`,
        ...b.checkFile ? { file: b.checkFile } : {},
        ...c.line ? { startLine: c.line, endLine: c.endLine ?? c.line } : {}
      });
    }
    for (const t of b.tags) {
      if (t.held) {
        out.push({ level: "warning", title: `Tag held back: ${t.tag}`, message: `${t.tag} was not moved to ${b.version}: ${t.held}` });
      }
    }
  }
  return out;
}

// src/phases/preview.ts
function previewMarker(...images) {
  return `<!-- autobuild-preview ${[...images].sort().join(" ")} -->`;
}
function imagesOf(report) {
  const names = (report.builds[0]?.refs ?? []).map((r) => r.replace(/:[^:/]+$/, ""));
  return names.length ? [...new Set(names)] : [""];
}
var LAST_GOOD = /(?:^|\n)<!-- autobuild-last-good ref=(\S+) sha=([0-9a-f]{7,64}) digest=(sha256:[0-9a-f]{64}) -->\n?$/;
function parseLastGood(body, expected) {
  const m = body ? LAST_GOOD.exec(body) : null;
  if (!m) return void 0;
  const ref = m[1];
  if (expected) {
    const at = ref.lastIndexOf(":");
    if (!expected.images.includes(ref.slice(0, at)) || !previewTagPattern(expected.pr).test(ref.slice(at + 1))) return void 0;
  }
  return { ref, sha: m[2], digest: m[3] };
}
function lastGoodLine(g) {
  return `<!-- autobuild-last-good ref=${g.ref} sha=${g.sha} digest=${g.digest} -->`;
}
function redact(text2, secrets) {
  return redactSecrets(text2, secrets);
}
function commitLink(facts, sha) {
  const short = `\`${sha.slice(0, 7)}\``;
  return facts.serverUrl && facts.repository.fullName ? `[${short}](${facts.serverUrl}/${facts.repository.fullName}/commit/${sha})` : short;
}
function fence(text2, lang = "text") {
  return ["```" + lang, text2.replace(/```/g, "'''"), "```"];
}
function previewBody({ facts, report: raw, previous, secrets = [] }) {
  const report = redactAll(raw, secrets);
  const lines2 = [previewMarker(...imagesOf(report))];
  const built = report.builds.find((b) => b.pushedRefs.length > 0);
  const commit = commitLink(facts, facts.sha);
  let good = previous;
  if (report.error) {
    lines2.push(`### Preview image: failed for ${commit}`, "");
    const [first = "", ...rest] = report.error.trim().split("\n");
    lines2.push(`**${text(first.trim())}**`, "");
    if (rest.length) lines2.push(...fence(rest.join("\n")), "");
  } else if (built) {
    lines2.push(`### Preview image for ${commit}`, "");
  } else {
    lines2.push(`### Preview image: not pushed for ${commit}`, "");
    lines2.push(`Built and tested, not pushed: ${report.push?.reason ?? "push is off"}.`, "");
  }
  for (const b of report.builds) {
    if (report.builds.length > 1) lines2.push(`#### ${b.name}`, "");
    if (!report.error && b.pushedRefs[0]) {
      lines2.push(...fence(`docker pull ${b.pushedRefs[0]}`, "sh"), "");
      if (b.digest && b === built) good = { ref: b.pushedRefs[0], sha: facts.sha, digest: b.digest };
    }
    const rows = [["commit", commit]];
    if (!report.error && b.pushedRefs.length) rows.push(["tags", b.pushedRefs.map((r) => code(r)).join("<br>")]);
    if (!report.error && b.digest) rows.push(["digest", `\`${b.digest}\``]);
    if (b.size !== void 0) rows.push(["size", formatBytes(b.size)]);
    if (b.baseImage) rows.push(["base image", code(b.baseImage)]);
    const tests = b.tests.length ? b.tests.map((t) => `${t.passed ? "passed" : "**failed**"}: ${code(t.name)} (${t.seconds.toFixed(1)}s)`).join("<br>") : b.imageId ? "none configured" : "not run";
    rows.push(["tests", tests]);
    lines2.push("| | |", "| --- | --- |", ...rows.map(([k, v]) => `| ${k} | ${v} |`), "");
  }
  if (report.error && previous) {
    lines2.push(
      `The last preview that passed, from ${commitLink(facts, previous.sha)}, is still there:`,
      "",
      ...fence(`docker pull ${previous.ref}`, "sh"),
      ""
    );
  }
  lines2.push(facts.runUrl ? `Built by [this run](${facts.runUrl}).` : "Built by autobuild.");
  if (good) lines2.push(lastGoodLine(good));
  return redact(lines2.join("\n") + "\n", secrets);
}
function closedBody(images, raw, secrets = []) {
  const cleanup = redactAll(raw, secrets);
  const lines2 = [previewMarker(...images), `### Preview image: removed`, ""];
  lines2.push(`Pull request #${cleanup.pr} was closed${cleanup.removed.length ? ", so its preview tags were deleted:" : "."}`, "");
  for (const ref of cleanup.removed) lines2.push(`- ${code(ref)}`);
  if (cleanup.removed.length) lines2.push("");
  if (cleanup.kept.length) {
    lines2.push("Not removed:", "");
    for (const k of cleanup.kept) lines2.push(`- ${code(k.ref)}: ${text(k.why)}`);
    lines2.push("");
  }
  return redact(lines2.join("\n"), secrets);
}
function explainCommentError(error2, pr) {
  const status = typeof error2 === "object" && error2 !== null && "status" in error2 ? Number(error2.status) : void 0;
  const message = getErrorMessage(error2).split("\n")[0].replace(/ - https:\/\/docs\.github\.com\S*/, "");
  if (status === 403 || status === 401) {
    return `Could not write the preview comment on pull request #${pr}: GitHub answered ${status} (${message}). Give the job \`permissions: pull-requests: write\` (and check \`github-token\`); the image itself is not affected.`;
  }
  return `Could not write the preview comment on pull request #${pr}: ${message}. The image itself is not affected.`;
}
var JOB_TOKEN_LOGIN = "github-actions[bot]";
async function tokenWriter(token, getUser) {
  if (token.startsWith("ghs_")) return { installation: true };
  try {
    const login2 = (await getUser()).data.login;
    return login2 ? { login: login2 } : void 0;
  } catch {
    return void 0;
  }
}
function ourComment(comments, images, writer) {
  if (!writer) return void 0;
  const authors = "login" in writer ? [(l) => l === writer.login] : [(l) => l === JOB_TOKEN_LOGIN, (l) => l.endsWith("[bot]")];
  const current = (c) => c.body.startsWith(previewMarker(...images));
  const earlier = (c) => images.length > 1 && c.body.startsWith(previewMarker(images[0])) && images.slice(1).every((i) => c.body.includes(`${i}:`));
  for (const marked of [current, earlier]) {
    for (const by of authors) {
      const found = comments.find((c) => typeof c.body === "string" && by(c.user?.login ?? "") && marked(c));
      if (found) return found;
    }
  }
  return void 0;
}
async function publishPreview(facts, inputs, report) {
  const pr = facts.pr;
  const closing = pr?.action === "closed" && report.cleanup !== void 0;
  if (!inputs.prPreview || !pr || !report.trust || untrusted(report.trust) || !closing && (pr.action === "closed" || report.builds.length === 0)) return;
  if (!inputs.githubToken) {
    warning(`pr-preview is on but 'github-token' is empty: no comment on pull request #${pr.number}.`, { title: "Preview comment not written" });
    return;
  }
  const images = closing ? inputs.images.map((i) => i.name) : imagesOf(report);
  const secrets = [inputs.password, inputs.githubToken, ...inputs.registryAuth.map((a) => a.password)].filter(Boolean);
  try {
    const { getOctokit } = await import("./github-IENK2AID.js");
    const octokit = getOctokit(inputs.githubToken, { baseUrl: facts.apiUrl || void 0 });
    const where2 = { owner: facts.repository.owner, repo: facts.repository.name, issue_number: pr.number };
    const request = { signal: AbortSignal.timeout(3e4) };
    const [comments, writer] = await Promise.all([
      octokit.paginate(octokit.rest.issues.listComments, { ...where2, per_page: 100, request }),
      tokenWriter(inputs.githubToken, () => octokit.rest.users.getAuthenticated({ request }))
    ]);
    const existing = ourComment(comments, images, writer);
    if (closing && !existing) return;
    const body = closing ? closedBody(images, report.cleanup, secrets) : previewBody({ facts, report, previous: parseLastGood(existing?.body ?? void 0, { pr: pr.number, images }), secrets });
    const written = existing ? await octokit.rest.issues.updateComment({ owner: where2.owner, repo: where2.repo, comment_id: existing.id, body, request }) : await octokit.rest.issues.createComment({ ...where2, body, request });
    report.previewComment = written.data.html_url;
    info(`${existing ? "Updated" : "Wrote"} the preview comment on pull request #${pr.number}${written.data.html_url ? `: ${written.data.html_url}` : ""}.`);
  } catch (error2) {
    warning(redact(explainCommentError(error2, pr.number), secrets), { title: "Preview comment not written" });
  }
}

// src/phases/push-gate.ts
function gatePush(decision, facts, inputs, images, credentials) {
  if (!decision.enabled || !facts.pr || inputs.push === "true") return decision;
  const missing = [...new Set(images.map((i) => i.registry))].filter((r) => !credentials.some((c) => c.registry === r));
  if (missing.length === 0) return decision;
  return {
    enabled: false,
    reason: `no credentials for ${missing.join(", ")}: pull request #${facts.pr.number} is built and tested, not pushed (give username and password, or registry-auth, to push previews)`
  };
}

// src/engine/push-progress.ts
import * as fs12 from "node:fs";
import * as net from "node:net";
import * as os2 from "node:os";
import * as path15 from "node:path";
var PROGRESS_SECONDS_ENV = "AUTOBUILD_PROGRESS_SECONDS";
var PROGRESS_SECONDS = 10;
var RATE_WINDOW_MS = 2e4;
function about(seconds2) {
  return `about ${formatDuration(Math.max(1, Math.round(seconds2)) * 1e3)}`;
}
var PushProgress = class {
  constructor(ref, started) {
    this.ref = ref;
    this.started = started;
    this.samples = [{ at: started, bytes: 0 }];
  }
  ref;
  started;
  layers = /* @__PURE__ */ new Map();
  /** Bytes sent by each moment a line was made: the rate is that of the last RATE_WINDOW_MS. */
  samples;
  message(m) {
    if (!m.id || !m.status) return;
    const layer = this.layers.get(m.id) ?? { current: 0, done: false, skipped: false };
    this.layers.set(m.id, layer);
    const { current, total } = m.progressDetail ?? {};
    if (m.status === "Pushing") {
      if (typeof total === "number" && total > 0) layer.total = total;
      if (typeof current === "number") layer.current = Math.max(layer.current, layer.total ? Math.min(current, layer.total) : current);
    } else if (m.status === "Pushed") {
      layer.done = true;
      if (layer.total) layer.current = layer.total;
    } else if (m.status === "Layer already exists" || m.status.startsWith("Mounted from")) {
      layer.done = true;
      layer.skipped = true;
    }
  }
  /** Bytes gone up so far. */
  get bytes() {
    let sum = 0;
    for (const l of this.layers.values()) sum += l.current;
    return sum;
  }
  /**
   * "Pushing localhost:5000/acme/app:1: 412 MB of 1.10 GB (37%), 34.2 MB/s, about 20s left; 2 of 5
   * layers done". Undefined before the engine named any layer.
   */
  line(now) {
    const layers = [...this.layers.values()];
    if (!layers.length) return void 0;
    const seconds2 = Math.max(1e-3, (now - this.started) / 1e3);
    const moved = this.bytes;
    const toSend = layers.filter((l) => !l.skipped);
    const unknown = toSend.filter((l) => !l.done && !l.total).length;
    const total = toSend.reduce((sum, l) => sum + (l.total ?? (l.done ? l.current : 0)), 0);
    const done = layers.filter((l) => l.done).length;
    while (this.samples.length > 1 && this.samples[1].at <= now - RATE_WINDOW_MS) this.samples.shift();
    const since = this.samples[0];
    const rate = now > since.at ? (moved - since.bytes) * 1e3 / (now - since.at) : 0;
    this.samples.push({ at: now, bytes: moved });
    const parts = [];
    if (!total && !moved) parts.push("nothing sent yet");
    else if (!unknown && moved >= total) parts.push(`${formatBytes(moved)} sent, waiting for the registry to confirm`);
    else {
      const of = total ? ` of ${formatBytes(total)}${unknown ? "" : ` (${Math.floor(moved / total * 100)}%)`}` : "";
      parts.push(`${formatBytes(moved)}${of}${unknown ? ` and ${unknown} more layer${unknown === 1 ? "" : "s"} of a size not known yet` : ""}`);
      parts.push(`${formatBytes(Math.round(rate))}/s`);
      if (!unknown && rate > 0 && total > moved) parts.push(`${about((total - moved) / rate)} left`);
    }
    return `Pushing ${this.ref}: ${parts.join(", ")}; ${done} of ${layers.length} layers done (${formatDuration(Math.round(seconds2) * 1e3)} so far)`;
  }
};
var START = '{"status"';
function objectEnd(text2, from) {
  let depth = 0;
  let inString = false;
  for (let i = from; i < text2.length; i++) {
    const c = text2[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return i + 1;
  }
  return -1;
}
var MessageScanner = class {
  constructor(onMessage) {
    this.onMessage = onMessage;
  }
  onMessage;
  rest = "";
  write(chunk) {
    const text2 = this.rest + chunk.toString();
    this.rest = "";
    let at = text2.indexOf(START);
    while (at !== -1) {
      const end = objectEnd(text2, at);
      if (end === -1) {
        if (text2.length - at <= 65536) this.rest = text2.slice(at);
        return;
      }
      try {
        this.onMessage(JSON.parse(text2.slice(at, end)));
      } catch {
      }
      at = text2.indexOf(START, end);
    }
    for (let keep = START.length - 1; keep > 0; keep--) {
      if (text2.endsWith(START.slice(0, keep))) {
        this.rest = START.slice(0, keep);
        return;
      }
    }
  }
};
function progressInterval(env = process.env) {
  const given = Number(env[PROGRESS_SECONDS_ENV]);
  return (Number.isFinite(given) && given > 0 ? given : PROGRESS_SECONDS) * 1e3;
}
function answers(socketPath) {
  return new Promise((resolve2) => {
    const probe = net.connect(socketPath);
    const done = (ok) => {
      probe.destroy();
      resolve2(ok);
    };
    probe.setTimeout(2e3, () => done(false));
    probe.once("connect", () => done(true)).once("error", () => done(false));
  });
}
async function watchPush(engineSocket, ref, interval = progressInterval()) {
  let dir;
  try {
    dir = fs12.mkdtempSync(path15.join(os2.tmpdir(), "autobuild-push-"));
  } catch {
    return void 0;
  }
  const socket = path15.join(dir, "engine.sock");
  if (Buffer.byteLength(socket) > 100 || !await answers(engineSocket)) {
    fs12.rmSync(dir, { recursive: true, force: true });
    return void 0;
  }
  const progress = new PushProgress(ref, Date.now());
  const connections = /* @__PURE__ */ new Set();
  const server = net.createServer((client) => {
    const engine = net.connect(engineSocket);
    connections.add(client).add(engine);
    const scanner = new MessageScanner((m) => progress.message(m));
    const end = () => {
      client.destroy();
      engine.destroy();
      connections.delete(client);
      connections.delete(engine);
    };
    client.on("error", end).on("close", end);
    engine.on("error", end).on("close", end);
    engine.on("data", (chunk) => scanner.write(chunk));
    client.pipe(engine);
    engine.pipe(client);
  });
  const listening = await new Promise((resolve2) => {
    server.once("error", () => resolve2(false));
    server.listen(socket, () => resolve2(true));
  });
  const remove = () => fs12.rmSync(dir, { recursive: true, force: true });
  if (!listening) {
    remove();
    return void 0;
  }
  const timer = setInterval(() => {
    const line = progress.line(Date.now());
    if (line) info(line);
  }, interval);
  timer.unref();
  return {
    env: { DOCKER_HOST: `unix://${socket}`, DOCKER_CONTEXT: void 0 },
    progress,
    close: async () => {
      clearInterval(timer);
      for (const c of connections) c.destroy();
      await new Promise((resolve2) => server.close(() => resolve2()));
      try {
        remove();
      } catch {
      }
    }
  };
}

// src/engine/push.ts
function parsePushDigest(output) {
  return /digest: (sha256:[a-f0-9]{64})/.exec(output)?.[1];
}
function registryOf(ref) {
  const first = ref.split("/")[0];
  return ref.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost") ? first : "docker.io";
}
var SWAPS = 3;
var NAME_GONE = /tag does not exist|An image does not exist locally with the tag/i;
var LocalNameGone = class extends Error {
};
function keptRetagging(ref) {
  return new UserError(`Pushing ${ref}: another run on this engine kept re-tagging ${ref} during the push (${SWAPS} times); what the registry holds under it may be that run's image.`);
}
async function tagAndPush(docker, image, ref, timeoutMs, policy, tagged = false) {
  const registry = registryOf(ref);
  let attempts = 0;
  for (let round = 1; ; round++) {
    if (round > 1 || !tagged) await docker.tag(image, ref);
    let digest;
    try {
      digest = await withRetry(
        `Push of ${ref}`,
        async () => {
          attempts++;
          const watch = docker.api ? await watchPush(docker.api.socketPath, ref) : void 0;
          let r;
          try {
            r = await docker.run(["push", ref], { timeoutMs, ...watch ? { env: watch.env } : {} });
          } finally {
            await watch?.close();
          }
          if (r.code !== 0 && NAME_GONE.test(r.stderr)) throw new LocalNameGone(tail(r, 1));
          if (r.code !== 0) throw new CommandFailed(`docker push ${ref}`, r);
          const found = parsePushDigest(r.stdout);
          if (!found) {
            throw new RetryableFailure(`docker push gave no digest: ${tail(r, 3)}`, { kind: "permanent", reason: "the push reported no manifest digest" });
          }
          return found;
        },
        { policy }
      );
    } catch (error2) {
      if (!(error2 instanceof RetryError)) throw error2;
      if (error2.last instanceof LocalNameGone) {
        if (round >= SWAPS) throw keptRetagging(ref);
        info(`${ref} was re-tagged by another run on this engine just before the push (${error2.last.message}): tagging and pushing it again.`);
        continue;
      }
      const said = error2.last instanceof CommandFailed ? ` Docker said: ${tail(error2.last.result, 2)}` : "";
      const how = error2.stopped === "permanent" ? `${registry} refused it: ${error2.fault.reason}` : error2.detail;
      throw new UserError(`Pushing ${ref} failed: ${how}.${said}`);
    }
    if (await pushedOurs(docker, image, ref, digest)) return { ref, digest, attempts };
    if (round >= SWAPS) throw keptRetagging(ref);
    info(`${ref} was re-tagged by another run on this engine during the push: pushing it again.`);
  }
}
async function tagAll(docker, image, refs) {
  await Promise.all(refs.map((ref) => docker.tag(image, ref)));
}
async function pushedOurs(docker, image, ref, digest) {
  if (digest === image) return true;
  const found = await docker.inspectImage(image);
  if (!found) return false;
  const repo = ref.replace(/:[^:/]+$/, "");
  return (found.RepoDigests ?? []).some((d) => d === `${repo}@${digest}` || d === `${repo.replace(/^docker\.io\/(library\/)?/, "")}@${digest}`);
}
function describePartialPush(planned, pushed) {
  const byRegistry = /* @__PURE__ */ new Map();
  for (const ref of planned) {
    const registry = registryOf(ref);
    const entry = byRegistry.get(registry) ?? { done: [], missing: [] };
    byRegistry.set(registry, entry);
    const short = ref.startsWith(`${registry}/`) ? ref.slice(registry.length + 1) : ref;
    (pushed.includes(ref) ? entry.done : entry.missing).push(short);
  }
  const lines2 = [];
  for (const [registry, { done, missing }] of byRegistry) {
    const parts = [];
    if (done.length) parts.push(`pushed ${done.join(", ")}`);
    if (missing.length) parts.push(`not pushed ${missing.join(", ")}`);
    lines2.push(`${registry}: ${parts.join("; ")}`);
  }
  return lines2.join("\n");
}
function partialPushError(cause, planned, pushed) {
  const message = cause instanceof Error ? cause.message : String(cause);
  if (pushed.length === 0) return cause instanceof UserError ? cause : new UserError(message);
  return new UserError(
    `${message}
The push stopped half-way: ${pushed.length} of ${planned.length} references reached the registry.
${describePartialPush(planned, pushed)}`
  );
}

// src/phases/sizes.ts
import * as fs13 from "node:fs";

// src/engine/tar.ts
function parseTarHeader(h) {
  if (h.every((b) => b === 0)) return void 0;
  const str = (from, len) => h.subarray(from, from + len).toString("utf8").replace(/\0.*$/s, "");
  const prefix = h.subarray(257, 262).toString() === "ustar" ? str(345, 155) : "";
  const name = prefix ? `${prefix}/${str(0, 100)}` : str(0, 100);
  let size = 0;
  if (h[124] & 128) {
    for (let i = 125; i < 136; i++) size = size * 256 + h[i];
  } else {
    size = parseInt(str(124, 12).trim() || "0", 8);
  }
  return { name, size, kind: String.fromCharCode(h[156] || 48) };
}
function parsePax(body) {
  const out = {};
  for (let rest = body.toString("utf8"); rest.length; ) {
    const m = /^(\d+) /.exec(rest);
    if (!m) break;
    const record2 = rest.slice(m[0].length, Number(m[1]) - 1);
    const eq = record2.indexOf("=");
    if (eq > 0) out[record2.slice(0, eq)] = record2.slice(eq + 1);
    rest = rest.slice(Number(m[1]));
  }
  return out;
}
function tarPadding(size) {
  return (512 - size % 512) % 512;
}

// src/phases/sizes.ts
var DISK_FREE_ENV = "AUTOBUILD_DISK_FREE_BYTES";
var LAYER_LIMITS_ENV = "AUTOBUILD_LAYER_LIMITS";
var KNOWN_LAYER_LIMITS = {
  "ghcr.io": { bytes: 10 * 1024 ** 3, label: "10 GB" }
};
var UNITS = { "": 1, b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, tib: 1024 ** 4 };
function parseSize(text2) {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text2);
  const unit = m && UNITS[m[2].toLowerCase()];
  return m && unit ? Math.round(Number(m[1]) * unit) : void 0;
}
function layerLimitFor(registry, env = process.env) {
  for (const item of (env[LAYER_LIMITS_ENV] ?? "").split(",")) {
    const eq = item.lastIndexOf("=");
    if (eq < 0 || item.slice(0, eq).trim().toLowerCase() !== registry.toLowerCase()) continue;
    const value2 = item.slice(eq + 1).trim();
    if (/^(none|off)$/i.test(value2)) return void 0;
    const bytes = parseSize(value2);
    if (bytes) return { bytes, label: formatBytes(bytes), source: LAYER_LIMITS_ENV };
  }
  return KNOWN_LAYER_LIMITS[registry.toLowerCase()];
}
function describeStep(createdBy) {
  let s = (createdBy ?? "").trim().replace(/\s*# buildkit$/, "");
  if (!s) return void 0;
  s = s.replace(/^RUN \|\d+ (?:\S+=\S*\s+)*/, "RUN ");
  const nop = /^\/bin\/sh -c #\(nop\)\s*(.*)$/s.exec(s);
  if (nop) return nop[1].trim();
  s = s.replace(/^RUN \/bin\/sh -c /, "RUN ").replace(/^\/bin\/sh -c /, "RUN ");
  return s.length > 300 ? `${s.slice(0, 297)}...` : s;
}
function platformOf(d) {
  const p = d.platform;
  if (!p?.os || !p.architecture || p.os === "unknown") return void 0;
  return normalizePlatform([p.os, p.architecture, p.variant].filter(Boolean).join("/"));
}
function platformManifests(index, platforms = []) {
  const wanted = new Set(platforms.map(normalizePlatform));
  return (index.manifests ?? []).filter((d) => {
    if (d.annotations?.["vnd.docker.reference.type"] === "attestation-manifest") return false;
    const p = platformOf(d);
    return p !== void 0 && (!wanted.size || wanted.has(p));
  });
}
function manifestBytes(manifest) {
  return (manifest.config?.size ?? 0) + (manifest.layers ?? []).reduce((sum, l) => sum + (l.size ?? 0), 0);
}
function layersOf(manifest, config, platform) {
  const steps = (config?.history ?? []).filter((h) => !h.empty_layer).map((h) => describeStep(h.created_by));
  const layers = manifest.layers ?? [];
  return layers.map((l, i) => ({ index: i + 1, of: layers.length, size: l.size ?? 0, compressed: true, platform, digest: l.digest, step: steps[i] }));
}
function layersFromHistory(history) {
  const entries = [...history].reverse();
  return entries.map((h, i) => ({
    index: i + 1,
    of: entries.length,
    size: typeof h.Size === "number" ? h.Size : parseSize(String(h.Size ?? "0")) ?? 0,
    compressed: false,
    step: describeStep(h.CreatedBy)
  }));
}
var FIX = "Split that step into several RUN steps (each makes a layer of its own), or keep the data out of the image (fetch it when the container starts, or mount it as a volume).";
function where(layer) {
  return `layer ${layer.index} of ${layer.of}${layer.platform ? ` (${layer.platform})` : ""}`;
}
function madeBy(layer) {
  return layer.step ? `made by the Dockerfile step \`${layer.step}\`` : "made by a step the image history does not name";
}
function limitText(registry, limit) {
  return `${registry} takes layers of up to ${limit.label}${limit.source ? ` (set by ${limit.source})` : ""}`;
}
function layerLimitError(image, limit, over) {
  const layers = over.map((l) => `${where(l)} is ${formatBytes(l.size)} compressed${l.digest ? ` (${l.digest.slice(0, 19)})` : ""}, ${madeBy(l)}`);
  return `${limitText(image.registry, limit)}, and ${layers.join("; ")}. Nothing was pushed to ${image.name}. ${FIX}`;
}
function layerLimitWarning(image, limit, over) {
  const layers = over.map((l) => `${where(l)} is ${formatBytes(l.size)} before compression, ${madeBy(l)}`);
  return `${limitText(image.registry, limit)}, and ${layers.join("; ")}. The classic image store compresses layers only as it pushes them, so the push to ${image.name} goes ahead and may still fit; if ${image.registry} refuses it: ${FIX}`;
}
function diskWarning(d) {
  const measured = d.measured.map((m) => `${m.ref} (${formatBytes(m.bytes)})`).join(", ");
  return `The engine's data root ${d.dataRoot} has ${formatBytes(d.freeBytes)} free${d.freeSource ? ` (as ${d.freeSource} says)` : ""}, and this build needs about ${formatBytes(d.needBytes)}: twice the previous image of ${d.measured.length === 1 ? "this branch" : "these builds"}, ${measured}, as the registry's manifest gives it (the build's own copy and the image loaded into the engine). A build that runs out of space fails late, with "no space left on device". Free space before this step: \`docker system prune -af\` removes unused images and build cache; on a hosted runner, removing the preinstalled toolchains the job does not use frees several GB (\`sudo rm -rf /usr/share/dotnet /usr/local/lib/android /opt/ghc\`); or use a larger runner.`;
}
async function freeBytes(dir, env = process.env) {
  const override = env[DISK_FREE_ENV];
  if (override) {
    const bytes = parseSize(override);
    if (bytes !== void 0) return { bytes, source: DISK_FREE_ENV };
  }
  const st = await fs13.promises.statfs(dir);
  return { bytes: st.bavail * st.bsize };
}
async function within(ms, p) {
  let timer;
  const late = new Promise((resolve2) => timer = setTimeout(() => resolve2(void 0), ms));
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}
var DISK_REQUEST_MS = 2e3;
var DISK_CHECK_MS = 3e3;
async function previousImageBytes(image, tag, platforms, credentials) {
  const client = registryClientFor(image.registry, credentials, { timeoutMs: DISK_REQUEST_MS, retry: { policy: { ...DEFAULT_RETRY, attempts: 1 } } });
  const digest = await client.manifestDigest(image.path, tag);
  if (!digest) return void 0;
  const read = async (d) => JSON.parse(Buffer.from((await client.getManifest(image.path, d)).bytes).toString());
  const top = await read(digest);
  if (!top.manifests) return manifestBytes(top);
  const chosen = platformManifests(top, platforms.length ? platforms : [NATIVE_PLATFORM]);
  const sizes = await Promise.all(chosen.map(async (d) => manifestBytes(await read(d.digest))));
  return sizes.reduce((a, b) => a + b, 0) || void 0;
}
async function checkDiskSpace(opts) {
  const started = Date.now();
  try {
    const dataRoot = opts.info.DockerRootDir;
    if (!opts.local || !dataRoot) {
      debug(`Disk check skipped: ${!opts.local ? "the engine is not on this machine (DOCKER_HOST or the docker context names another host)" : "the engine named no data root"}.`);
      return;
    }
    const image = opts.plan.images[0];
    const wanted = opts.plan.builds.map((b) => ({ tag: b.tags.find((t) => !t.local)?.tag }));
    if (!image) return;
    const measuring = Promise.all(
      wanted.map(async ({ tag }) => {
        if (!tag) return void 0;
        const bytes = await previousImageBytes(image, tag, opts.platforms, opts.credentials);
        return bytes ? { ref: `${image.name}:${tag}`, bytes } : void 0;
      })
    );
    measuring.catch(() => void 0);
    const [free, found] = await Promise.all([freeBytes(dataRoot, opts.env), within(DISK_CHECK_MS, measuring)]);
    if (!found) {
      debug(`Disk check skipped: the registry did not answer within ${DISK_CHECK_MS / 1e3}s.`);
      return;
    }
    const measured = found.filter((m) => m !== void 0);
    if (!measured.length) {
      debug(`Disk check: ${image.name} holds no previous image of ${wanted.map((w) => w.tag ?? "(no pushed tag)").join(", ")}: nothing to compare ${formatBytes(free.bytes)} free in ${dataRoot} with.`);
      return;
    }
    const need = 2 * measured.reduce((sum, m) => sum + m.bytes, 0);
    const disk = { dataRoot, freeBytes: free.bytes, freeSource: free.source, needBytes: need, measured, warned: free.bytes < need };
    opts.report.disk = disk;
    if (disk.warned) warning(diskWarning(disk), { title: "Low disk space for the build" });
    else info(`Disk: ${formatBytes(free.bytes)} free in ${dataRoot}; this build needs about ${formatBytes(need)} (twice the previous image, ${measured.map((m) => m.ref).join(", ")}).`);
  } catch (error2) {
    debug(`Disk check skipped: ${getErrorMessage(error2)}`);
  } finally {
    debug(`Disk check took ${Date.now() - started} ms.`);
  }
}
var TarBlobs = class {
  constructor(keep = 4 * 1024 * 1024) {
    this.keep = keep;
  }
  keep;
  /** Entry name -> its size. */
  sizes = /* @__PURE__ */ new Map();
  /** Entry name -> its bytes, for entries of at most `keep` bytes. */
  small = /* @__PURE__ */ new Map();
  pending = [];
  pendingBytes = 0;
  entry;
  pax = {};
  ended = false;
  /** The entry whose data is being read, if any: its name and size. */
  get reading() {
    return this.entry && { name: this.entry.name, size: this.entry.size };
  }
  /** Feeds a chunk; returns the names of entries completed by it. */
  write(chunk) {
    const done = [];
    let buf = chunk;
    while (buf.length && !this.ended) {
      if (this.entry) {
        const e = this.entry;
        if (e.left > 0) {
          const n = Math.min(e.left, buf.length);
          e.chunks?.push(buf.subarray(0, n));
          e.left -= n;
          buf = buf.subarray(n);
          if (e.left > 0) break;
        }
        const p = Math.min(e.pad, buf.length);
        e.pad -= p;
        buf = buf.subarray(p);
        if (e.pad > 0) break;
        this.entry = void 0;
        this.finish(e, done);
        continue;
      }
      const need = 512 - this.pendingBytes;
      const take = buf.subarray(0, need);
      this.pending.push(take);
      this.pendingBytes += take.length;
      buf = buf.subarray(take.length);
      if (this.pendingBytes < 512) break;
      const header = Buffer.concat(this.pending);
      this.pending = [];
      this.pendingBytes = 0;
      this.header(header);
    }
    return done;
  }
  header(h) {
    const parsed = parseTarHeader(h);
    if (!parsed) {
      this.ended = true;
      return;
    }
    let { name, size } = parsed;
    const { kind } = parsed;
    if (kind !== "x" && kind !== "g") {
      if (this.pax.size) size = Number(this.pax.size);
      if (this.pax.path) name = this.pax.path;
      this.pax = {};
    }
    const keep = kind === "x" || kind === "g" || kind === "0" && size <= this.keep;
    this.entry = { name, size, left: size, pad: tarPadding(size), chunks: keep ? [] : void 0, kind };
    if (size === 0) {
      const e = this.entry;
      this.entry = void 0;
      this.finish(e, []);
    }
  }
  finish(e, done) {
    const body = e.chunks ? Buffer.concat(e.chunks) : void 0;
    if (e.kind === "x" && body) {
      this.pax = parsePax(body);
      return;
    }
    if (e.kind !== "0") return;
    this.sizes.set(e.name, e.size);
    if (body) this.small.set(e.name, body);
    done.push(e.name);
  }
};
function blobName(digest) {
  return `blobs/${digest.replace(":", "/")}`;
}
function layersFromSave(tar, root, platforms = []) {
  const json = (digest) => {
    const b = digest ? tar.small.get(blobName(digest)) : void 0;
    if (!b) return void 0;
    try {
      return JSON.parse(b.toString("utf8"));
    } catch {
      return void 0;
    }
  };
  const top = json(root);
  if (!top) return void 0;
  const images = [];
  if (top.manifests) {
    const chosen = platformManifests(top, platforms);
    for (const d of chosen) {
      const manifest = json(d.digest);
      if (!manifest) return void 0;
      images.push({ manifest, platform: chosen.length > 1 ? platformOf(d) : void 0 });
    }
  } else {
    images.push({ manifest: top });
  }
  const out = [];
  for (const { manifest, platform } of images) {
    const config = json(manifest.config?.digest);
    if (!config) return void 0;
    out.push(...layersOf(manifest, config, platform));
  }
  return out;
}
var asked = /* @__PURE__ */ new WeakMap();
var COMPRESSION_ROOM = 1.05;
async function historyLayers(docker, imageId2) {
  const api = await docker.api?.call("GET", `/images/${imageId2}/history`);
  const r = api ?? await docker.run(["history", "--no-trunc", "--human=false", "--format", "{{json .}}", imageId2]);
  if (r.code !== 0) throw new Error(r.stderr.trim() || "docker history failed");
  const entries = api ? JSON.parse(r.stdout) : r.stdout.split("\n").filter(Boolean).map((l) => JSON.parse(l));
  return layersFromHistory(entries);
}
async function layerSizes(ctx, imageId2, limit) {
  const { docker } = ctx;
  if (!ctx.caps.containerdStore) return { layers: await historyLayers(docker, imageId2) };
  const inspected = await docker.api?.call("GET", `/images/${imageId2}/json?manifests=1`);
  const info2 = inspected?.code === 0 ? JSON.parse(inspected.stdout) : await docker.inspectImage(imageId2);
  const images = (info2?.Manifests ?? []).filter((m) => m.Kind === "image" && m.Available !== false);
  const totals = images.length ? images.map((m) => m.Size?.Content ?? Infinity) : ctx.inputs.platforms.length <= 1 && info2?.Size ? [info2.Size] : [];
  const largest = totals.length ? Math.max(...totals) : Infinity;
  if (largest <= limit) return { within: largest, what: "no platform image is over it as stored" };
  if (ctx.inputs.platforms.length <= 1) {
    const before = await historyLayers(docker, imageId2).catch(() => void 0);
    const biggest = before?.length ? Math.max(...before.map((l) => l.size)) : Infinity;
    if (biggest * COMPRESSION_ROOM <= limit) return { within: biggest, what: "no layer is over it before compression" };
  }
  const tar = new TarBlobs();
  let layers;
  const r = await docker.run(["save", imageId2], {
    onStdout: (chunk) => {
      if (tar.write(chunk).some((name) => tar.small.has(name))) layers = layersFromSave(tar, imageId2, ctx.inputs.platforms);
      return layers !== void 0;
    }
  });
  layers ??= layersFromSave(tar, imageId2, ctx.inputs.platforms);
  if (!layers) throw new Error(r.code !== 0 ? r.stderr.trim() || `docker save exited ${r.code}` : "docker save gave no manifest of the image");
  return { layers };
}
async function checkLayerLimit(ctx, unit, image) {
  const limit = layerLimitFor(image.registry);
  const imageId2 = unit.report.imageId;
  if (!limit || !imageId2) return;
  const started = Date.now();
  let found = asked.get(unit);
  if (!found) {
    found = layerSizes(ctx, imageId2, limit.bytes).catch((error2) => {
      info(`Could not read the layer sizes of ${imageId2} (${getErrorMessage(error2)}): pushing without checking them against ${image.registry}'s limit.`);
      return void 0;
    });
    asked.set(unit, found);
  }
  const sizes = await found;
  debug(`Layer size check for ${image.registry} took ${Date.now() - started} ms.`);
  if (!sizes) return;
  if ("within" in sizes) {
    info(`Layer sizes: ${sizes.what.replace(" it ", ` ${formatBytes(sizes.within)} `)}, within the ${limit.label} ${image.registry} takes per layer.`);
    return;
  }
  const over = sizes.layers.filter((l) => l.size > limit.bytes);
  const largest = sizes.layers.reduce((a, b) => Math.max(a, b.size), 0);
  if (!over.length) {
    info(`Layer sizes: the largest layer is ${formatBytes(largest)}${sizes.layers[0]?.compressed ? " compressed" : " before compression"}, within the ${limit.label} ${image.registry} takes per layer.`);
    return;
  }
  if (over[0].compressed) throw new UserError(layerLimitError(image, limit, over));
  warning(layerLimitWarning(image, limit, over), { title: `Layer over ${image.registry}'s limit before compression` });
}

// src/phases/push.ts
async function guardMovingTags(ctx, unit) {
  const { build } = unit;
  if (!build.release || !build.tags.some((t) => t.moves)) return /* @__PURE__ */ new Map();
  const credentials = credentialsFor(ctx.plan.images, ctx.inputs, process.env.GITHUB_ACTOR);
  const tags = [];
  const errors = [];
  for (const image of ctx.plan.images) {
    if (ctx.loginFailures.has(image.registry)) continue;
    try {
      const client = registryClientFor(image.registry, credentials);
      const found = await client.listTags(image.path);
      if (found === void 0) {
        info(`${image.name} does not exist yet: no release is newer than ${build.release.version}.`);
        continue;
      }
      const releases = releasesIn(found, build.release);
      info(`${image.name} holds ${found.length} tag(s)${releases.length ? `, releases ${releases.join(", ")}` : ", no release"}.`);
      tags.push(...found);
    } catch (error2) {
      const message = getErrorMessage(error2);
      errors.push(`${image.name}: ${message}`);
      warning(`Could not list the tags of ${image.name} (${message}): ${build.tags.filter((t) => t.moves).map((t) => t.tag).join(", ")} will not be moved.`);
    }
  }
  const listing = errors.length ? { error: errors.join("; ") } : { tags };
  const held = heldMovingTags(build.tags, build.release, listing);
  for (const [tag, reason] of held) info(`Not moving '${tag}' to ${build.release.version}: ${reason}.`);
  return held;
}
async function tagsKeptOff(ctx, unit) {
  const br = unit.report;
  if (!unit.guarded) {
    unit.guarded = true;
    const held = await guardMovingTags(ctx, unit);
    for (const t of br.tags) {
      const reason = held.get(t.tag);
      if (reason) t.held = reason;
    }
  }
  return new Set(br.tags.filter((t) => t.held || t.local).map((t) => t.tag));
}
async function pushImage(ctx, unit, image) {
  const br = unit.report;
  const skip = await tagsKeptOff(ctx, unit);
  const refs = br.refs.filter((r) => (!image || r.startsWith(`${image.name}:`)) && !skip.has(r.slice(r.lastIndexOf(":") + 1)));
  const pushed = (ref, digest, how = "") => {
    br.pushedRefs.push(ref);
    br.digest ??= digest;
    ctx.report.pushed = true;
    info(`Pushed ${ref}@${digest}${how}`);
  };
  const push = async (ref) => {
    const r = await tagAndPush(ctx.docker, br.imageId, ref, void 0, void 0, true);
    pushed(ref, r.digest, r.attempts > 1 ? ` (after ${r.attempts} attempts)` : "");
    return r.digest;
  };
  const already = image && refs.length ? await unchangedIn(ctx, image, refs, br.imageId) : void 0;
  if (image && already) {
    await tagAll(ctx.docker, br.imageId, refs);
    for (const ref of refs) br.pushedRefs.push(ref);
    br.pushedRefs.sort((x, y) => br.refs.indexOf(x) - br.refs.indexOf(y));
    br.digest ??= already;
    br.unchanged = [...br.unchanged ?? [], image.name];
    ctx.report.pushed = true;
    info(`${image.name} already holds this image under every tag (${refs.map((r) => r.slice(r.lastIndexOf(":") + 1)).join(", ")} -> ${already}): nothing pushed.`);
    return;
  }
  if (image && refs.length) await checkLayerLimit(ctx, unit, image);
  try {
    await tagAll(ctx.docker, br.imageId, refs);
    const first = refs[0] ? await push(refs[0]) : void 0;
    let rest = refs.slice(1);
    if (image && first && rest.length) {
      const tagged = await tagInRegistry(ctx, image, first, rest);
      for (const ref of tagged) pushed(ref, first, " (tagged in the registry)");
      rest = rest.filter((ref) => !tagged.includes(ref));
    }
    const results = await eachLimited(rest, PUSH_CONCURRENCY, async (ref) => void await push(ref));
    const failed2 = results.find((r) => r.status === "rejected");
    if (failed2) throw failed2.reason;
  } catch (error2) {
    throw partialPushError(error2, refs, br.pushedRefs.filter((r) => refs.includes(r)));
  } finally {
    br.pushedRefs.sort((x, y) => br.refs.indexOf(x) - br.refs.indexOf(y));
  }
}
async function unchangedIn(ctx, image, refs, imageId2) {
  const credentials = credentialsFor([image], ctx.inputs, process.env.GITHUB_ACTOR);
  const timeoutMs = Math.max(1e3, Math.min(1e4, (remainingMs() ?? Infinity) - 5e3));
  const client = registryClientFor(image.registry, credentials, { timeoutMs, retry: TAG_IN_REGISTRY });
  try {
    const digests = await Promise.all(refs.map((ref) => client.manifestDigest(image.path, splitTag(ref).tag)));
    const digest = digests[0];
    if (!digest || digests.some((d) => d !== digest)) return void 0;
    if (digest === imageId2) return digest;
    const manifest = JSON.parse(Buffer.from((await client.getManifest(image.path, digest)).bytes).toString());
    return manifest.config?.digest === imageId2 ? digest : void 0;
  } catch (error2) {
    debug(`Could not compare the tags of ${image.name} with this image: ${getErrorMessage(error2)}`);
    return void 0;
  }
}
var TAG_IN_REGISTRY = { policy: { ...DEFAULT_RETRY, attempts: 1 } };
async function tagInRegistry(ctx, image, digest, refs) {
  const credentials = credentialsFor([image], ctx.inputs, process.env.GITHUB_ACTOR);
  if (!credentials.length) return [];
  const timeoutMs = Math.max(1e3, Math.min(1e4, (remainingMs() ?? Infinity) - 5e3));
  const client = registryClientFor(image.registry, credentials, { timeoutMs, retry: TAG_IN_REGISTRY });
  const done = [];
  try {
    const manifest = await client.getManifest(image.path, digest);
    const settled = await Promise.allSettled(
      refs.map(async (ref) => {
        const stored = await client.putManifest(image.path, splitTag(ref).tag, manifest);
        if (stored !== digest) throw new Error(`the registry stored ${stored} under ${ref}`);
        done.push(ref);
      })
    );
    const failed2 = settled.find((r) => r.status === "rejected");
    if (failed2) info(`Tagging ${digest} in ${image.name} did not work for every name (${getErrorMessage(failed2.reason)}): pushing the others with docker push.`);
  } catch (error2) {
    info(`Could not tag ${digest} in ${image.name} directly (${getErrorMessage(error2)}): pushing the other names with docker push.`);
  }
  return refs.filter((ref) => done.includes(ref));
}
var PUSH_CONCURRENCY = 4;
async function eachLimited(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      try {
        results[i] = { status: "fulfilled", value: await fn(items[i]) };
      } catch (reason) {
        results[i] = { status: "rejected", reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

// src/phases/distribute.ts
import * as fs16 from "node:fs";
import * as path17 from "node:path";

// src/engine/oci-archive.ts
import { createHash as createHash4 } from "node:crypto";
import * as fs14 from "node:fs";
import { pipeline as pipeline2 } from "node:stream/promises";
import { Writable } from "node:stream";
import * as zlib from "node:zlib";
function indexTar(read, total) {
  const entries = /* @__PURE__ */ new Map();
  let offset2 = 0;
  let pax = {};
  while (offset2 + 512 <= total) {
    const header = parseTarHeader(read(offset2, 512));
    if (!header) break;
    const data = offset2 + 512;
    let { name, size } = header;
    if (header.kind === "x" || header.kind === "L") {
      const body = read(data, header.size);
      pax = header.kind === "L" ? { path: body.toString("utf8").replace(/\0.*$/s, "") } : parsePax(body);
    } else if (header.kind !== "g") {
      if (pax.size) size = Number(pax.size);
      if (pax.path) name = pax.path;
      pax = {};
      if (header.kind === "0") entries.set(name.replace(/^\.\//, ""), { offset: data, size });
    }
    offset2 = data + size + tarPadding(size);
  }
  return entries;
}
var INDEX_TYPES = /* @__PURE__ */ new Set(["application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json"]);
var UNCOMPRESSED = {
  "application/vnd.oci.image.layer.v1.tar": "application/vnd.oci.image.layer.v1.tar+gzip",
  "application/vnd.docker.image.rootfs.diff.tar": "application/vnd.docker.image.rootfs.diff.tar.gzip"
};
function sha256(bytes) {
  return `sha256:${createHash4("sha256").update(bytes).digest("hex")}`;
}
function platformOf2(config) {
  return normalizePlatform([config.os ?? "linux", config.architecture ?? "unknown", config.variant].filter(Boolean).join("/"));
}
async function readArchive(file, workDir) {
  const fd = fs14.openSync(file, "r");
  try {
    const total = fs14.fstatSync(fd).size;
    const read = (offset2, length) => {
      const buf = Buffer.alloc(length);
      fs14.readSync(fd, buf, 0, length, offset2);
      return buf;
    };
    const entries = indexTar(read, total);
    const entryOf = (digest) => {
      const entry = entries.get(`blobs/${digest.replace(":", "/")}`);
      if (!entry) throw new UserError(`The image saved by the engine lacks the blob ${digest}: it cannot be pushed by digest.`);
      return entry;
    };
    const json = (entry) => JSON.parse(read(entry.offset, entry.size).toString("utf8"));
    const layout = entries.get("index.json");
    if (!layout) throw new UserError("The engine saved the image without an OCI layout (index.json): Docker 25 or newer is needed to push by digest.");
    const blobOf = (digest, size) => {
      const entry = entryOf(digest);
      return { digest, size, open: () => fs14.createReadStream(file, { start: entry.offset, end: entry.offset + entry.size - 1 }) };
    };
    const images = [];
    const visit = async (desc) => {
      const entry = entryOf(desc.digest);
      if (INDEX_TYPES.has(desc.mediaType)) {
        for (const child of json(entry).manifests ?? []) {
          if (child.annotations?.["vnd.docker.reference.type"] === "attestation-manifest" || child.platform?.os === "unknown") continue;
          if (!entries.has(`blobs/${child.digest.replace(":", "/")}`)) continue;
          await visit(child);
        }
        return;
      }
      const bytes = new Uint8Array(read(entry.offset, entry.size));
      const manifest = JSON.parse(Buffer.from(bytes).toString("utf8"));
      const config = json(entryOf(manifest.config.digest));
      const platform = platformOf2(config);
      const mediaType = manifest.mediaType ?? desc.mediaType;
      if (!manifest.layers.some((l) => UNCOMPRESSED[l.mediaType])) {
        images.push({ platform, config, manifest: { digest: desc.digest, mediaType, bytes }, blobs: [manifest.config, ...manifest.layers].map((d) => blobOf(d.digest, d.size)) });
        return;
      }
      const layers = [];
      const blobs2 = [blobOf(manifest.config.digest, manifest.config.size)];
      for (const layer of manifest.layers) {
        const compressed = UNCOMPRESSED[layer.mediaType];
        if (!compressed) {
          layers.push(layer);
          blobs2.push(blobOf(layer.digest, layer.size));
          continue;
        }
        const out = `${workDir}/layer-${layer.digest.slice(7, 23)}.gz`;
        const hash = createHash4("sha256");
        let size = 0;
        const sink = fs14.createWriteStream(out);
        const counter = new Writable({
          write(chunk, _enc, done) {
            hash.update(chunk);
            size += chunk.length;
            sink.write(chunk, done);
          },
          final(done) {
            sink.end(done);
          }
        });
        await pipeline2(blobOf(layer.digest, layer.size).open(), zlib.createGzip(), counter);
        const digest = `sha256:${hash.digest("hex")}`;
        const { annotations, ...rest } = layer;
        layers.push({ ...rest, mediaType: compressed, digest, size, ...annotations ? { annotations } : {} });
        blobs2.push({ digest, size, open: () => fs14.createReadStream(out) });
      }
      const rewritten = Buffer.from(JSON.stringify({ ...manifest, layers }));
      const rewrittenBytes = new Uint8Array(rewritten);
      images.push({ platform, config, manifest: { digest: sha256(rewrittenBytes), mediaType, bytes: rewrittenBytes }, blobs: blobs2 });
    };
    for (const desc of json(layout).manifests ?? []) await visit(desc);
    return images;
  } finally {
    fs14.closeSync(fd);
  }
}

// src/plan/distribute.ts
import { createHash as createHash5 } from "node:crypto";
function meetingKey(parts) {
  const canonical = JSON.stringify({
    run: parts.run ?? "",
    sha: parts.sha,
    build: parts.build,
    images: [...parts.images].sort(),
    platforms: parts.platforms.map(normalizePlatform).sort()
  });
  return createHash5("sha256").update(canonical).digest("hex").slice(0, 16);
}
function platformSlug(platform) {
  return normalizePlatform(platform).replace(/\//g, "-");
}
function latestReports(reports) {
  const out = /* @__PURE__ */ new Map();
  for (const r of reports) {
    const platform = normalizePlatform(r.platform);
    const seen = out.get(platform);
    if (!seen || r.attempt > seen.attempt || r.attempt === seen.attempt && r.passed && !seen.passed) out.set(platform, r);
  }
  return out;
}
function standing(platforms, reports, attempt = Infinity) {
  const latest = latestReports(reports.filter((r) => Number.isInteger(r.attempt) && r.attempt <= attempt));
  const failed2 = platforms.map((p) => latest.get(normalizePlatform(p))).filter((r) => Boolean(r && !r.passed));
  const waiting = platforms.filter((p) => !latest.has(normalizePlatform(p)));
  if (failed2.length) return { state: "failed", failed: failed2, waiting };
  if (waiting.length) return { state: "waiting", waiting };
  return { state: "complete", manifests: platforms.map((p) => latest.get(normalizePlatform(p))) };
}
var DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
var OCI_INDEX = "application/vnd.oci.image.index.v1+json";
var DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
function canonicalIndex(manifests, annotations = {}) {
  const docker = manifests.every((m) => m.mediaType === DOCKER_MANIFEST);
  const mediaType = docker ? DOCKER_LIST : OCI_INDEX;
  const entries = manifests.map((m) => {
    const [os4 = "linux", architecture = "unknown", given] = normalizePlatform(m.platform).split("/");
    const variant = given ?? (architecture === "arm" ? "v7" : void 0);
    return {
      mediaType: m.mediaType,
      digest: m.digest,
      size: m.size,
      platform: variant ? { architecture, os: os4, variant } : { architecture, os: os4 }
    };
  });
  const keys = Object.keys(annotations).filter((k) => k !== "org.opencontainers.image.created").sort();
  const body = { schemaVersion: 2, mediaType, manifests: entries };
  if (!docker && keys.length) body.annotations = Object.fromEntries(keys.map((k) => [k, annotations[k]]));
  const bytes = new Uint8Array(Buffer.from(JSON.stringify(body)));
  return { mediaType, bytes, digest: `sha256:${createHash5("sha256").update(bytes).digest("hex")}` };
}

// src/phases/meeting.ts
import * as fs15 from "node:fs";
import * as path16 from "node:path";
function reportName(report) {
  return `autobuild-${report.key}-${platformSlug(report.platform)}-${report.attempt}.json`;
}
function parseReport(text2, key) {
  try {
    const r = JSON.parse(text2);
    return r && r.key === key && typeof r.platform === "string" && typeof r.passed === "boolean" ? r : void 0;
  } catch {
    return void 0;
  }
}
function folderMeeting(dir, key) {
  return {
    where: `the folder ${dir}`,
    async put(report) {
      fs15.mkdirSync(dir, { recursive: true });
      const file = path16.join(dir, reportName(report));
      fs15.writeFileSync(`${file}.part`, JSON.stringify(report));
      fs15.renameSync(`${file}.part`, file);
    },
    async list() {
      if (!fs15.existsSync(dir)) return [];
      return fs15.readdirSync(dir).filter((n) => n.startsWith(`autobuild-${key}-`) && n.endsWith(".json")).map((n) => parseReport(fs15.readFileSync(path16.join(dir, n), "utf8"), key)).filter((r) => Boolean(r));
    }
  };
}
function artifactMeeting(key, workDir) {
  const client = import("./artifact-7KAGRKM4.js").then((m) => new m.DefaultArtifactClient());
  return {
    where: "the run's artifacts",
    async put(report) {
      const dir = path16.join(workDir, "meeting-out");
      fs15.mkdirSync(dir, { recursive: true });
      const file = path16.join(dir, reportName(report));
      fs15.writeFileSync(file, JSON.stringify(report));
      await (await client).uploadArtifact(reportName(report), [file], dir, { skipArchive: true });
    },
    async list() {
      const artifacts = await client;
      const { artifacts: found } = await artifacts.listArtifacts();
      const ours = found.filter((a) => a.name.startsWith(`autobuild-${key}-`) && a.name.endsWith(".json"));
      const dir = path16.join(workDir, "meeting-in");
      fs15.mkdirSync(dir, { recursive: true });
      const reports = [];
      for (const a of ours) {
        const into = path16.join(dir, String(a.id));
        fs15.mkdirSync(into, { recursive: true });
        try {
          await artifacts.downloadArtifact(a.id, { path: into, skipDecompress: true });
        } catch (error2) {
          warning(`Could not read the report ${a.name} from the run's artifacts: ${getErrorMessage(error2)}`);
          continue;
        }
        for (const n of fs15.readdirSync(into)) {
          const r = parseReport(fs15.readFileSync(path16.join(into, n), "utf8"), key);
          if (r) reports.push(r);
        }
      }
      return reports;
    }
  };
}
function meetingFor(key, workDir, env = process.env) {
  checkMeetingPlace(env);
  if (env.AUTOBUILD_DISTRIBUTE_DIR) return folderMeeting(env.AUTOBUILD_DISTRIBUTE_DIR, key);
  return artifactMeeting(key, workDir);
}
function hasMeetingPlace(env = process.env) {
  return Boolean(env.AUTOBUILD_DISTRIBUTE_DIR || env.ACTIONS_RUNTIME_TOKEN && env.ACTIONS_RESULTS_URL);
}
function checkMeetingPlace(env = process.env) {
  if (hasMeetingPlace(env)) return;
  throw new UserError(
    "Input 'distribute': the jobs of this image cannot find each other here: the runner gives no artifact service (ACTIONS_RUNTIME_TOKEN and ACTIONS_RESULTS_URL), and no shared folder is set (the CLI's --distribute-dir)."
  );
}

// src/phases/distribute.ts
var UPLOADS = 3;
function meetingOf(ctx, unit) {
  const d = ctx.plan.distribution;
  const key = meetingKey({ sha: ctx.facts.sha, build: unit.build.name, images: ctx.plan.images.map((i) => i.name), platforms: d.platforms, run: process.env.GITHUB_RUN_ID });
  return { meeting: meetingFor(key, ctx.workDir), key, attempt: Number(process.env.GITHUB_RUN_ATTEMPT) || 1 };
}
var reported = /* @__PURE__ */ new Set();
async function savedPlatforms(ctx, unit) {
  const dir = path17.join(ctx.workDir, `image-${unit.index}`);
  fs16.mkdirSync(dir, { recursive: true });
  const done = () => fs16.rmSync(dir, { recursive: true, force: true });
  try {
    const file = path17.join(dir, "image.tar");
    await ctx.docker.ok(["save", "-o", file, unit.localRef ?? unit.report.imageId], `Saving the image of ${unit.build.name}`);
    return { images: await readArchive(file, dir), done };
  } catch (error2) {
    done();
    throw error2;
  }
}
async function pushByDigest(client, image, platforms) {
  for (const p of platforms) {
    const blobs2 = [...new Map(p.blobs.map((b) => [b.digest, b])).values()];
    let uploaded = 0;
    const results = await eachLimited(blobs2, UPLOADS, async (blob) => {
      if (await client.hasBlob(image.path, blob.digest)) return;
      await client.uploadBlob(image.path, blob);
      uploaded++;
    });
    const failed2 = results.find((r) => r.status === "rejected");
    if (failed2) throw failed2.reason;
    const stored = await client.putManifest(image.path, p.manifest.digest, p.manifest);
    if (stored !== p.manifest.digest) throw new UserError(`${image.name} stored the ${p.platform} manifest ${p.manifest.digest} as ${stored}.`);
    info(`Pushed ${image.name}@${p.manifest.digest} (${p.platform}, by digest, no tag; ${uploaded} of ${blobs2.length} blobs uploaded, the rest were there).`);
  }
}
async function reportFailed(ctx, unit, error2) {
  const d = ctx.plan.distribution;
  if (!d || !ctx.plan.push.enabled || !hasMeetingPlace()) return;
  try {
    const { meeting, key, attempt } = meetingOf(ctx, unit);
    if (reported.has(key)) return;
    reported.add(key);
    const why = getErrorMessage(error2).split("\n")[0].slice(0, 300);
    for (const platform of d.share) await meeting.put({ key, platform, attempt, passed: false, error: why });
    info(`Told the other jobs (through ${meeting.where}) that ${d.share.join(", ")} failed: no tag moves.`);
  } catch (e) {
    warning(`Could not tell the other jobs that ${d.share.join(", ")} failed: ${getErrorMessage(e)}`);
  }
}
async function reportUnreported(ctx, error2) {
  for (const build of ctx.plan.builds) await reportFailed(ctx, { build }, error2);
}
async function pushShare(ctx, unit) {
  const d = ctx.plan.distribution;
  const { key, attempt } = meetingOf(ctx, unit);
  try {
    const pushed = await pushPlatforms(ctx, unit, d.share);
    unit.report.distribution = { share: d.share, platforms: d.platforms, manifests: pushed.map((r) => ({ platform: r.platform, digest: r.digest })), state: "waiting" };
    unit.report.digest = pushed[0]?.digest;
    return pushed.map((r) => ({ ...r, key, attempt }));
  } catch (error2) {
    await reportFailed(ctx, unit, error2);
    throw error2;
  }
}
async function meet(ctx, unit, mine) {
  const { meeting, key } = meetingOf(ctx, unit);
  reported.add(key);
  for (const report of mine) await meeting.put(report);
  info(`Reported ${mine.map((r) => r.platform).join(", ")} as passed, in ${meeting.where}.`);
  await tagIfComplete(ctx, unit, [...await meeting.list(), ...mine], meeting.where);
}
async function pushPlatforms(ctx, unit, share) {
  const found = await savedPlatforms(ctx, unit);
  try {
    const saved = found.images;
    const mine = saved.filter((p) => share.some((s) => normalizePlatform(s) === p.platform));
    const missing = share.filter((s) => !mine.some((p) => p.platform === normalizePlatform(s)));
    if (missing.length) throw new UserError(`The image of ${unit.build.name} holds no ${missing.join(", ")} (it has ${saved.map((p) => p.platform).join(", ") || "no platform"}): nothing was pushed.`);
    const refused = ctx.plan.images.filter((i) => ctx.loginFailures.has(i.registry));
    if (refused.length) throw new UserError(`${share.join(", ")} of ${unit.build.name} cannot reach ${refused.map((i) => i.name).join(", ")} (the login was refused): nothing was pushed by digest, so no job can tag the image.`);
    const credentials = credentialsFor(ctx.plan.images, ctx.inputs, process.env.GITHUB_ACTOR);
    const targets = ctx.plan.images;
    for (const image of targets) {
      const limit = layerLimitFor(image.registry);
      const over = limit ? mine.flatMap((p) => layersOf(JSON.parse(Buffer.from(p.manifest.bytes).toString()), p.config, p.platform).filter((l) => l.size > limit.bytes)) : [];
      if (limit && over.length) throw new UserError(layerLimitError(image, limit, over));
    }
    for (const image of targets) {
      try {
        await pushByDigest(registryClientFor(image.registry, credentials), image, mine);
      } catch (error2) {
        throw new UserError(`Pushing ${share.join(", ")} of ${unit.build.name} to ${image.name} by digest failed: ${getErrorMessage(error2)}`);
      }
    }
    return mine.map((p) => ({ key: "", attempt: 0, platform: p.platform, passed: true, digest: p.manifest.digest, size: p.manifest.bytes.length, mediaType: p.manifest.mediaType }));
  } finally {
    found.done();
  }
}
async function tagIfComplete(ctx, unit, reports, where2) {
  const d = ctx.plan.distribution;
  const dist = unit.report.distribution ??= { share: d.share, platforms: d.platforms, manifests: [], state: "waiting" };
  const now = standing(d.platforms, reports, meetingOf(ctx, unit).attempt);
  if (now.state === "failed") {
    dist.state = "failed";
    dist.failed = now.failed.map((r) => ({ platform: r.platform, error: r.error ?? "failed" }));
    warning(`Not tagging ${unit.build.name}: ${now.failed.map((r) => `${r.platform} failed in its job (${r.error ?? "no reason given"})`).join("; ")}. No tag moves until every platform passes.`, { title: "Platforms failed" });
    return;
  }
  if (now.state === "waiting") {
    dist.waiting = now.waiting;
    info(`${now.waiting.join(", ")} ${now.waiting.length === 1 ? "has" : "have"} not reported yet (read from ${where2}): the job that finishes last tags the image.`);
    return;
  }
  try {
    await tagIndex(ctx, unit, now.manifests);
  } finally {
    dist.waiting = void 0;
    dist.state = unit.report.pushedRefs.length ? "tagged" : "untagged";
  }
}
async function checkManifests(ctx, manifests) {
  const credentials = credentialsFor(ctx.plan.images, ctx.inputs, process.env.GITHUB_ACTOR);
  for (const m of manifests) {
    if (!/^sha256:[a-f0-9]{64}$/.test(m.digest ?? "") || !m.mediaType || !m.size) throw new UserError(`The report for ${m.platform} names no valid manifest: no tag moves.`);
    for (const image of ctx.plan.images) {
      const stored = await registryClientFor(image.registry, credentials).getManifest(image.path, m.digest).catch((error2) => {
        throw new UserError(`${image.name} does not hold the ${m.platform} manifest ${m.digest} its job reported (${getErrorMessage(error2)}): no tag moves.`);
      });
      if (stored.bytes.length !== m.size || stored.mediaType !== m.mediaType) {
        throw new UserError(`${image.name} holds ${m.digest} for ${m.platform}, but not as its job reported it (${stored.mediaType}, ${stored.bytes.length} bytes): no tag moves.`);
      }
    }
  }
}
async function tagIndex(ctx, unit, manifests) {
  const br = unit.report;
  await checkManifests(ctx, manifests);
  const index = canonicalIndex(manifests, unit.build.annotations);
  const skip = await tagsKeptOff(ctx, unit);
  const credentials = credentialsFor(ctx.plan.images, ctx.inputs, process.env.GITHUB_ACTOR);
  const platforms = manifests.map((m) => m.platform).join(", ");
  const failures = [];
  for (const image of ctx.plan.images.filter((i) => !ctx.loginFailures.has(i.registry))) {
    const client = registryClientFor(image.registry, credentials);
    const refs = br.refs.filter((r) => r.startsWith(`${image.name}:`) && !skip.has(splitTag(r).tag));
    const manifest = { digest: index.digest, mediaType: index.mediaType, bytes: index.bytes };
    try {
      await client.putManifest(image.path, index.digest, manifest);
      for (const ref of refs) {
        await client.putManifest(image.path, splitTag(ref).tag, manifest);
        br.pushedRefs.push(ref);
        info(`Pushed ${ref}@${index.digest} (the index of ${platforms})`);
      }
    } catch (error2) {
      failures.push(`Tagging the index of ${unit.build.name} in ${image.name} failed: ${getErrorMessage(error2)}`);
    }
  }
  br.pushedRefs.sort((x, y) => br.refs.indexOf(x) - br.refs.indexOf(y));
  if (br.pushedRefs.length) {
    br.digest = index.digest;
    ctx.report.pushed = true;
  }
  if (failures.length) throw new UserError(`${failures.join("\n")}
${br.pushedRefs.length ? `These references were pushed:
${br.pushedRefs.map((r) => `- ${r}`).join("\n")}` : "Nothing was tagged."}`);
}

// src/phases/report.ts
function outputsOf(report) {
  const first = report.builds[0];
  return {
    // A moving tag held back by the registry check, or a pull request's local-only name, was not
    // pushed: it is not among the image's references.
    tags: report.builds.flatMap((b) => b.refs.filter((r) => !b.tags.some((t) => (t.held || t.local) && r.endsWith(`:${t.tag}`)))).join("\n"),
    version: first?.version ?? "",
    digest: first?.digest ?? "",
    imageid: first?.imageId ?? "",
    labels: first ? Object.entries(first.labels).map(([k, v]) => `${k}=${v}`).join("\n") : "",
    metadata: JSON.stringify(metadataOf(report)),
    pushed: String(report.pushed)
  };
}
function metadataOf(report) {
  const { facts, ...rest } = report;
  return {
    ...rest,
    event: facts && {
      name: facts.eventName,
      ref: facts.ref,
      sha: facts.sha,
      defaultBranch: facts.defaultBranch,
      pullRequest: facts.pr
    }
  };
}
async function publish(report) {
  for (const [name, value2] of Object.entries(outputsOf(report))) setOutput(name, value2);
  for (const a of annotationsOf(report)) {
    const where2 = a.file ? { file: a.file, ...a.startLine ? { startLine: a.startLine, endLine: a.endLine ?? a.startLine } : {} } : {};
    (a.level === "error" ? error : warning)(a.message, { title: a.title, ...where2 });
  }
  if (process.env.GITHUB_STEP_SUMMARY) {
    await summary.addRaw(summaryMarkdown(report), true).write();
  }
}

// src/main.ts
async function run(options = {}) {
  const report = { builds: [], timings: {}, pushed: false };
  let inputs;
  let distributed;
  try {
    const facts = options.facts ?? await readGitHubFacts();
    report.facts = facts;
    if (inputsNeedYaml(options.getInput)) await loadYaml();
    inputs = readInputs(facts.workspace, options.getInput);
    const plan = makePlan(facts, inputs);
    if (plan.distribution) distributed = { facts, plan };
    if (plan.distribution) {
      if (plan.push.enabled) checkMeetingPlace();
      inputs = { ...inputs, platforms: plan.distribution.share };
    }
    if (untrusted(plan.trust)) inputs = { ...inputs, secrets: [] };
    report.trust = plan.trust;
    plan.push = gatePush(plan.push, facts, inputs, plan.images, credentialsFor(plan.images, inputs, process.env.GITHUB_ACTOR));
    report.push = plan.push;
    report.skipped = plan.skipped;
    report.builds = plan.builds.map((build) => ({
      name: build.name,
      tags: build.tags.map((t) => ({ ...t })),
      refs: refsFor(plan.images, build.tags),
      pushedRefs: [],
      version: build.version,
      labels: build.labels,
      tests: []
    }));
    const files = dockerHubFiles(plan, inputs);
    const { hooks, autotests } = files;
    if (plan.distribution && plan.push.enabled) refusePushHooks(hooks, "Input 'distribute'");
    const lines2 = planGroupLines(facts, inputs, plan, files);
    await group("Plan", async () => {
      for (const line of lines2) info(line);
    });
    for (const image of plan.images.filter((i) => i.lowercased)) notice(`autobuild: image '${image.input}' was lower-cased to ${image.name} (repository names must be lower case).`);
    if (plan.cleanup) {
      const cleanup = plan.cleanup;
      const credentials = credentialsFor(plan.images, inputs, process.env.GITHUB_ACTOR);
      report.cleanup = await timed(report, "cleanup", () => removePreview(plan.images, cleanup, credentials));
    }
    if (plan.skipped) {
      notice(`autobuild: nothing to build: ${plan.skipped}.`);
      return report;
    }
    if (await nothingMoved(facts, inputs, plan, report)) return report;
    await checkPlanFiles(plan, autotests, facts.workspace);
    await pipeline3(facts, inputs, plan, report, hooks, autotests);
    await updateHubDescription(facts, inputs, plan, report);
  } catch (error2) {
    report.error = getErrorMessage(error2);
    setFailed(report.error);
    if (distributed) {
      const workDir = path18.join(process.env.RUNNER_TEMP || os3.tmpdir(), `autobuild-meeting-${process.pid}`);
      await reportUnreported({ ...distributed, workDir }, error2);
      fs17.rmSync(workDir, { recursive: true, force: true });
    }
    if (!(error2 instanceof UserError) && error2 instanceof Error && error2.stack) debug(error2.stack);
  } finally {
    await removeLoadedNames();
    await removeHookBuilders(privateConfig);
    logOut();
    if (report.facts && inputs) await publishPreview(report.facts, inputs, report);
    try {
      await publish(report);
    } catch (error2) {
      warning(`Could not write outputs or the job summary: ${getErrorMessage(error2)}`);
    }
  }
  return report;
}
var privateConfig;
function logOut() {
  if (!privateConfig) return;
  try {
    removeDockerConfig(privateConfig);
    privateConfig = void 0;
    info("Logged out: removed the private docker config.");
  } catch (error2) {
    warning(`Could not remove the private docker config ${privateConfig} (the post step tries again): ${getErrorMessage(error2)}`);
  }
}
async function pipeline3(facts, inputs, plan, report, hookSets, autotests) {
  const api = Docker.localApi();
  const asking = new Docker(void 0, void 0, api);
  const answering = asking.requireEngine();
  const buildx = api ? buildxVersion(asking) : void 0;
  buildx?.catch(() => void 0);
  const engine = await answering;
  const runId = randomBytes2(4).toString("hex");
  const configDir = reserveDockerConfig(process.env.RUNNER_TEMP || os3.tmpdir());
  privateConfig = configDir;
  saveState({ dockerConfig: configDir, runId });
  writeDockerConfig(configDir);
  const docker = new Docker(configDir, runId, api);
  const caps = await detectCapabilities(docker, engine, process.env, buildx);
  report.builder = describeCapabilities(caps);
  await checkPlatforms(docker, caps, inputs.platforms);
  checkCompression(inputs.compression, caps);
  const credentials = untrusted(plan.trust) && !plan.push.enabled ? [] : credentialsFor(plan.images, inputs, process.env.GITHUB_ACTOR);
  const disk = checkDiskSpace({ info: engine.info, local: api !== void 0, plan, platforms: inputs.platforms, credentials, report });
  const read = await cacheReadAccess(chooseBackend(caps, inputs.cache).backend, plan.images[0], credentials, configDir);
  const cache = planCache(caps, facts, inputs, plan, { homeDir: os3.homedir(), read });
  announceCache(report, cache, caps);
  const ctx = { facts, inputs, plan, docker, caps, report, cache, workDir: path18.join(configDir, "work"), loginFailures: /* @__PURE__ */ new Map() };
  const eachPlatform = buildsEachPlatform(caps, inputs.platforms);
  if (eachPlatform) {
    if (hookSets.some((set) => set.has("build"))) {
      throw new UserError(
        `Input 'platforms' asks for ${inputs.platforms.length} platforms (${inputs.platforms.join(", ")}), but this engine keeps images in the classic image store, where autobuild builds each platform on its own, and hooks/build builds one image: turn on the containerd image store (dockerd's "features": {"containerd-snapshotter": true}), or build one platform a job (input distribute).`
      );
    }
    if (plan.push.enabled) refusePushHooks(hookSets, "Input 'platforms' on the classic image store");
    info(`The classic image store holds one platform of an image: ${inputs.platforms.join(", ")} are built and tested one after the other, each pushed by digest, then one index is tagged.`);
  }
  const within2 = (name, fn) => withinPhase(name, inputs.timeout[name], fn);
  const phase = (name, fn) => timed(report, name, () => within2(name, fn));
  const { loginFailures } = ctx;
  if (credentials.length) {
    await phase("login", async () => {
      for (const cred of credentials) {
        try {
          await login(docker, cred);
        } catch (error2) {
          if (credentials.length === 1 || !(error2 instanceof UserError)) throw error2;
          error(error2.message, { title: `Login to ${cred.registry} failed` });
          loginFailures.set(cred.registry, error2.message);
        }
      }
      if (loginFailures.size === credentials.length) throw new UserError([...loginFailures.values()].join("\n"));
    });
  }
  await disk;
  const units = plan.builds.map((build, index) => ({ index, build, report: report.builds[index] }));
  const hooks = new HookRunner(ctx, hookSets);
  const onePlatform = (platform) => ({ ...ctx, inputs: { ...ctx.inputs, platforms: [platform] } });
  for (const unit of units) {
    try {
      await buildAndTest(unit);
    } catch (error2) {
      await reportFailed(ctx, unit, error2);
      throw error2;
    }
  }
  async function buildAndTest(unit) {
    let described;
    await within2("build", async () => {
      await hooks.run(unit, "post_checkout");
      await hooks.run(unit, "pre_build");
      if (eachPlatform) {
        unit.platformUnits = inputs.platforms.map((platform, i) => ({
          platform,
          unit: { index: unit.index + 100 * (i + 1), build: unit.build, report: { ...unit.report, tests: unit.report.tests } }
        }));
        for (const p of unit.platformUnits) await timed(report, "build", () => buildImage(onePlatform(p.platform), p.unit));
        const subs = unit.platformUnits.map((p) => p.unit);
        const { tests: _tests, pushedRefs: _pushed, ...first } = subs[0].report;
        const sum = (key) => subs.reduce((n, u) => n + (u.report[key] ?? 0), 0);
        Object.assign(unit.report, first, { cachedSteps: sum("cachedSteps"), totalSteps: sum("totalSteps") });
        Object.assign(unit, { image: subs[0].image, localRef: subs[0].localRef });
      } else if (!await hooks.build(unit)) await timed(report, "build", () => buildImage(ctx, unit));
      described = describeImage(ctx, unit);
      await hooks.run(unit, "post_build");
    });
    try {
      await within2("test", async () => {
        await hooks.run(unit, "pre_test");
        if (unit.platformUnits) for (const p of unit.platformUnits) await timed(report, "test", () => testImage(onePlatform(p.platform), p.unit, autotests[unit.index]), false);
        else await timed(report, "test", () => testImage(ctx, unit, autotests[unit.index]), false);
        for (const platform of testPlatforms(inputs.platforms)) await hooks.run(unit, "test", void 0, platform);
        await hooks.run(unit, "post_test");
        await hooks.checkNameAfterTests(unit);
      });
    } finally {
      await described;
    }
  }
  if (!plan.push.enabled) {
    info(`Not pushing: ${plan.push.reason}.`);
    return;
  }
  if (eachPlatform) {
    for (const unit of units) {
      const manifests = await phase("push", async () => {
        try {
          const pushed = [];
          for (const p of unit.platformUnits ?? []) pushed.push(...await pushPlatforms(onePlatform(p.platform), p.unit, [p.platform]));
          return pushed;
        } catch (error2) {
          await reportFailed(ctx, unit, error2);
          throw error2;
        }
      });
      if (!plan.distribution) await phase("push", () => tagIndex(ctx, unit, manifests));
      else {
        const { key, attempt } = meetingOf(ctx, unit);
        unit.report.distribution = { share: plan.distribution.share, platforms: plan.distribution.platforms, manifests: manifests.map((m) => ({ platform: m.platform, digest: m.digest })), state: "waiting" };
        unit.report.digest = manifests[0]?.digest;
        await timed(report, "distribute", () => within2("push", () => meet(ctx, unit, manifests.map((m) => ({ ...m, key, attempt })))));
      }
    }
    return;
  }
  if (plan.distribution) {
    for (const unit of units) {
      const mine = await phase("push", () => pushShare(ctx, unit));
      await timed(report, "distribute", () => within2("push", () => meet(ctx, unit, mine)));
    }
    return;
  }
  const failures = [];
  for (const unit of units) {
    for (const image of plan.images) {
      const refused = loginFailures.get(image.registry);
      if (refused) {
        failures.push(`${units.length > 1 ? `${unit.build.name}, ` : ""}${image.name}: not pushed, ${refused}`);
        continue;
      }
      try {
        await within2("push", async () => {
          await hooks.nameForPush(unit, image);
          await hooks.run(unit, "pre_push", image);
          if (await hooks.run(unit, "push", image)) info(`hooks/push replaced the push to ${image.name}.`);
          else await timed(report, "push", () => pushImage(ctx, unit, image));
          await hooks.run(unit, "post_push", image);
        });
      } catch (error2) {
        if (plan.images.length === 1 && units.length === 1) throw error2;
        failures.push(`${units.length > 1 ? `${unit.build.name}, ` : ""}${image.name}: ${getErrorMessage(error2)}`);
      }
    }
  }
  if (failures.length) {
    const pushed = report.builds.flatMap((b) => b.pushedRefs);
    const what = units.length > 1 ? failures.length === 1 ? "one build" : `${failures.length} builds and repositories` : failures.length === 1 ? "one repository" : `${failures.length} repositories`;
    throw new UserError(
      `Pushing failed for ${what}:
${failures.map((f) => `- ${f}`).join("\n")}
${pushed.length ? `These references were pushed:
${pushed.map((r) => `- ${r}`).join("\n")}` : "Nothing was pushed."}`
    );
  }
}
function refusePushHooks(hookSets, what) {
  const found = [...new Set(hookSets.flatMap((set) => [...set.keys()].filter((h) => h === "pre_push" || h === "push" || h === "post_push")))];
  if (found.length) {
    throw new UserError(
      `${what}: hooks/${found.join(", hooks/")} cannot run where each platform is pushed by digest and the index is tagged at the end. Build the platforms in one job on the containerd image store, or set hooks: off.`
    );
  }
}

export {
  readLocalFacts,
  parse,
  sanitizeTag,
  parseRules,
  INPUT_NAMES,
  SECRET_INPUTS,
  inputsNeedYaml,
  readInputs,
  makePlan,
  chooseBackend,
  planCache,
  findHooks,
  autotestsFor,
  dockerHubFiles,
  planGroupLines,
  checkPlanFiles,
  gatePush,
  outputsOf,
  run
};
//# sourceMappingURL=chunk-EY3Q336D.js.map

import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);

// src/plan/images.ts
var DOCKER_HUB = "docker.io";
var HUB_ALIASES = /* @__PURE__ */ new Set(["docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"]);
var COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
var DOMAIN = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?$|^\[[0-9a-fA-F:]+\](?::[0-9]+)?$/;
function looksLikeHost(part) {
  return part.includes(".") || part.includes(":") || part === "localhost";
}
function normaliseHost(host) {
  const lower = host.toLowerCase();
  return HUB_ALIASES.has(lower) ? DOCKER_HUB : lower;
}
var REGISTRY_HELP = "a registry host such as docker.io, ghcr.io or localhost:5000 (a host has a . or a :, or is localhost)";
function parseRegistry(raw) {
  const host = raw.trim().replace(/^https?:\/\//i, "").replace(/\/.*$/, "");
  return looksLikeHost(host) && DOMAIN.test(host) ? normaliseHost(host) : void 0;
}
var IMAGE_HELP = "a repository name such as acme/app (Docker Hub), ghcr.io/acme/app or localhost:5000/acme/app, without a tag or digest";
function parseImage(raw) {
  const input = raw.trim();
  if (!input) return "it is empty";
  if (/\s/.test(input)) return "it contains white space";
  if (input.includes("@")) return "it contains a digest (@...): tags and digests are chosen by autobuild";
  const parts = input.split("/");
  const first = parts[0];
  const hasDomain = parts.length > 1 && looksLikeHost(first);
  const rest = hasDomain ? parts.slice(1) : parts;
  if (hasDomain && !DOMAIN.test(first)) return `'${first}' is not a valid registry host`;
  const registry = hasDomain ? normaliseHost(first) : DOCKER_HUB;
  const last = rest[rest.length - 1] ?? "";
  if (last.includes(":")) return `it contains a tag (':${last.split(":").pop()}'): tags are chosen by the tags and rules inputs`;
  if (registry === DOCKER_HUB && rest.length === 1) rest.unshift("library");
  const lowered = rest.map((c) => c.toLowerCase());
  for (const c of lowered) {
    if (!COMPONENT.test(c)) return `'${c || "(empty)"}' is not a valid path component (lower-case letters, digits, and . _ - between them)`;
  }
  const p = lowered.join("/");
  const name = `${registry}/${p}`;
  if (name.length > 255) return "it is longer than 255 characters";
  return { input, registry, path: p, name, lowercased: lowered.join("/") !== rest.join("/") };
}
function splitList(value) {
  return value.split(/[\n,]/).map((s) => s.trim()).filter(Boolean);
}
function splitLines(value) {
  return value.split("\n").map((s) => s.trim()).filter((s) => s && !s.startsWith("#"));
}
function splitTag(ref) {
  if (ref.includes("@")) return void 0;
  const colon = ref.lastIndexOf(":");
  if (colon <= ref.lastIndexOf("/")) return void 0;
  return { repo: ref.slice(0, colon), tag: ref.slice(colon + 1) };
}

export {
  DOCKER_HUB,
  REGISTRY_HELP,
  parseRegistry,
  IMAGE_HELP,
  parseImage,
  splitList,
  splitLines,
  splitTag
};
//# sourceMappingURL=chunk-XNTVPW2M.js.map

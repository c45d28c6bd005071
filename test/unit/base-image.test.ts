import { describe, expect, it } from 'vitest';
import { baseImageOf, buildArgsRecord } from '../../src/phases/image.js';

describe('baseImageOf', () => {
  it.each([
    ['one stage', 'FROM alpine:3.20\nRUN true\n', {}, 'alpine:3.20'],
    ['the last stage of several', 'FROM golang:1.22 AS build\nRUN go build\nFROM gcr.io/distroless/static\nCOPY --from=build /app /\n', {}, 'gcr.io/distroless/static'],
    ['a --platform flag and lower-case keywords', 'from --platform=$BUILDPLATFORM node:20-slim as base\n', {}, 'node:20-slim'],
    ['a target stage', 'FROM debian:12 AS test\nFROM scratch AS release\n', { target: 'test' }, 'debian:12'],
    ['a stage built on a stage', 'FROM python:3.12 AS base\nFROM base AS app\nFROM app\n', {}, 'python:3.12'],
    ['an ARG default', 'ARG BASE=alpine\nARG VERSION=3.20\nFROM ${BASE}:$VERSION\n', {}, 'alpine:3.20'],
    ['a build argument over the default', 'ARG BASE=alpine:3.20\nFROM $BASE\n', { buildArgs: { BASE: 'busybox:1.36' } }, 'busybox:1.36'],
    ['${VAR:-default}', 'ARG TAG\nFROM nginx:${TAG:-stable}\n', {}, 'nginx:stable'],
    ['an ARG without a value', 'ARG BASE\nFROM $BASE\n', {}, undefined],
    ['continuation lines and comments', '# syntax=docker/dockerfile:1\nFROM \\\n  # the base\n  ubuntu:24.04 \\\n  AS base\n', {}, 'ubuntu:24.04'],
    ['the backtick escape', '# escape=`\nFROM `\n  mcr.microsoft.com/windows/servercore:ltsc2022\n', {}, 'mcr.microsoft.com/windows/servercore:ltsc2022'],
    ['scratch', 'FROM scratch\nCOPY app /\n', {}, 'scratch'],
    ['an unknown target', 'FROM alpine\n', { target: 'nope' }, undefined],
    ['no FROM', 'RUN true\n', {}, undefined],
  ])('%s', (_, dockerfile, opts, expected) => {
    expect(baseImageOf(dockerfile, opts)).toBe(expected);
  });

  it('reads a platform flag and expands the ARG after it', () => {
    expect(baseImageOf('ARG V=20\nFROM --platform=linux/amd64 node:${V}-slim AS app\n')).toBe('node:20-slim');
  });
});

describe('buildArgsRecord', () => {
  it('takes NAME=value as is and NAME alone from the environment', () => {
    expect(buildArgsRecord(['A=1', 'B=x=y', 'C', 'D'], { C: 'from-env' })).toEqual({ A: '1', B: 'x=y', C: 'from-env' });
  });
});

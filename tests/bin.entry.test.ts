/**
 * The precompiled command line (bin/buildEntryBundle.js, bin/entryBundle.js): it is used only while
 * it matches the sources, and it behaves exactly like the TypeScript run through tsx.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNode, type NodeRun } from './support/runNode.ts';
import { buildEntryBundle } from '../bin/buildEntryBundle.js';
import { freshEntryBundle, STAMP_NAME } from '../bin/entryBundle.js';

const ROOT = path.join(import.meta.dirname, '..');
const work = mkdtempSync(path.join(os.tmpdir(), 'fuhan-entry-test-'));
// Inside the repository, like the real one: the compiled code finds its packages in node_modules.
const outRoot = mkdtempSync(path.join(ROOT, 'node_modules', '.cache', 'fuhan-entry-test-'));
const indexDir = path.join(work, 'index');
let entry: string;

beforeAll(async () => {
  await buildEntryBundle({ outRoot });
  const fresh = freshEntryBundle(outRoot);
  if (!fresh) throw new Error('the bundle just built is not fresh');
  entry = fresh;
}, 60_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  rmSync(outRoot, { recursive: true, force: true });
});

function run(args: string[], extraEnv: Record<string, string> = {}): Promise<NodeRun> {
  const env = { FUHAN_INDEX: indexDir, FUHAN_DENSE: 'off', FUHAN_CORPUS: '', BOT_TOKEN: '', FUHAN_LLM_URL: '', FUHAN_DEBUG: '', ...extraEnv };
  return runNode(args, { cwd: ROOT, env });
}

const compiled = (args: string[], env?: Record<string, string>) => run([fileURLToPath(entry), ...args], env);
const throughTsx = (args: string[], env?: Record<string, string>) => run(['--import', 'tsx', path.join(ROOT, 'bot', 'cli.ts'), ...args], env);

describe('freshEntryBundle', () => {
  it('points at the compiled cli.js while every recorded source matches, and at nothing once one differs', () => {
    expect(entry).toMatch(/^file:.*\/cli\.js$/);
    const stampFile = path.join(outRoot, STAMP_NAME);
    const original = readFileSync(stampFile, 'utf8');
    const stamp = JSON.parse(original) as { root: string; version: number; inputs: [string, number, number][] };
    expect(stamp.inputs.map(([file]) => file)).toEqual(expect.arrayContaining(['bot/cli.ts', 'bot/commands/ask.ts', 'index/openIndex.ts', 'package.json']));
    const variants: [string, unknown][] = [
      ['a source of another size', { ...stamp, inputs: stamp.inputs.map(([f, size, mtime], i) => [f, i === 0 ? size + 1 : size, mtime]) }],
      ['a source edited later', { ...stamp, inputs: stamp.inputs.map(([f, size, mtime], i) => [f, size, i === 1 ? mtime + 1 : mtime]) }],
      ['a source that is gone', { ...stamp, inputs: [...stamp.inputs, ['bot/noSuchFile.ts', 1, 1]] }],
      ['another repository', { ...stamp, root: '/elsewhere' }],
      ['an older stamp format', { ...stamp, version: stamp.version - 1 }],
      ['a build folder that is gone', { ...stamp, dir: 'build-removed' }],
    ];
    try {
      for (const [what, variant] of variants) {
        writeFileSync(stampFile, JSON.stringify(variant));
        expect(freshEntryBundle(outRoot), what).toBeNull();
      }
      writeFileSync(stampFile, '{ not json');
      expect(freshEntryBundle(outRoot)).toBeNull();
    } finally {
      writeFileSync(stampFile, original);
    }
    expect(freshEntryBundle(outRoot)).toBe(entry);
    expect(freshEntryBundle(path.join(work, 'nothing-built-here'))).toBeNull();
  });
});

describe('the compiled command line', () => {
  it('answers, refuses bad input and prints help exactly as the TypeScript does', async () => {
    // The first run builds the index of the shipped letters (the builder is a lazily loaded chunk).
    const question = ['ask', 'what has Qingdao done with MOX?', '--json'];
    const a = await compiled(question);
    expect(a.code, a.stderr).toBe(0);
    const b = await throughTsx(question);
    expect(b.code, b.stderr).toBe(0);
    expect(JSON.parse(a.stdout).citations.length).toBeGreaterThan(0);
    expect(a.stdout).toBe(b.stdout);

    const chinese = ['ask', '重慶和澳門青年交流有哪些安排？'];
    expect((await compiled(chinese)).stdout).toBe((await throughTsx(chinese)).stdout);

    // zod is compiled into the bundle: its messages must not change.
    const badEnv = { FUHAN_DENSE: 'sometimes', FUHAN_WEBHOOK_PORT: '99999999' };
    const [c, d] = [await compiled(['start'], badEnv), await throughTsx(['start'], badEnv)];
    expect(c.code).toBe(2);
    expect([c.code, c.stderr]).toEqual([d.code, d.stderr]);

    const [e, f] = [await compiled(['--help']), await throughTsx(['--help'])];
    expect(e.stdout).toContain('usage: fuhan');
    expect([e.code, e.stdout]).toEqual([f.code, f.stdout]);
  }, 120_000);
});

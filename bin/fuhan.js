#!/usr/bin/env node
// The `fuhan` command. The sources are TypeScript: run the compiled copy `npm install` made of them
// when it still matches them (bin/entryBundle.js), else run them through tsx — no build step to forget.
import { freshEntryBundle } from './entryBundle.js';

watchNpmParent();
const bundle = freshEntryBundle();
if (process.env.FUHAN_DEBUG) console.error(`fuhan: running ${bundle ?? 'the TypeScript sources through tsx'}`);
if (bundle) {
  // Stack traces name the TypeScript sources, as under tsx.
  process.setSourceMapsEnabled(true);
  await import(bundle);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../bot/cli.ts');
}

/**
 * `npm start` and `npx fuhan` run this file through `sh -c`, and on SIGTERM npm signals only that
 * shell and exits at once: the shell dies without passing the signal on (dash does not exec the
 * command), and Node would run on orphaned under PID 1. So, when npm started us, a parent that goes
 * away counts as SIGTERM: the bot stops gracefully (within 5 s) instead of lingering. Not done outside
 * npm, where a vanished parent is normal (`nohup fuhan bot &`).
 */
function watchNpmParent() {
  if (!process.env.npm_lifecycle_event && !process.env.npm_command) return;
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    process.kill(process.pid, 'SIGTERM');
  }, 500);
  timer.unref();
}

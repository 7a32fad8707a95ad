#!/usr/bin/env node
// The `fuhan` command. The sources are TypeScript: run the compiled copy `npm install` made of them
// when it still matches them (bin/entryBundle.js), else run them through tsx — no build step to forget.
import { freshEntryBundle } from './entryBundle.js';

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

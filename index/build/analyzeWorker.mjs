// The entry of a build's parsing thread (see analyzeLetters.ts). Plain JavaScript, so that it starts
// wherever a build runs — under tsx, from the compiled `fuhan`, inside the test runner — and then
// loads the TypeScript it runs through tsx, unless this thread can load TypeScript already.
import { parentPort } from 'node:worker_threads';

let main;
try {
  main = await import('./analyzeWorkerMain.ts');
} catch (e) {
  if (e?.code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw e;
  const { register } = await import('tsx/esm/api');
  register();
  // Another URL: the failed import of the first one is remembered.
  main = await import('./analyzeWorkerMain.ts?tsx');
}
main.serve(parentPort);

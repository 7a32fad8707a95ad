// Types of bin/entryBundle.js (plain JavaScript: bin/fuhan.js loads it before any TypeScript).
export const REPO_ROOT: string;
export const BUNDLE_ROOT: string;
export const STAMP_NAME: string;
export const STAMP_VERSION: number;
/** The file URL of the compiled bot/cli.ts when it matches the sources, else null. */
export function freshEntryBundle(outRoot?: string): string | null;

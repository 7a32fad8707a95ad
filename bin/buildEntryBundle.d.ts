// Types of bin/buildEntryBundle.js (plain JavaScript: it runs at install time, before anything is compiled).
/** Compiles `entry` (default bot/cli.ts) and the sources it imports; see bin/buildEntryBundle.js. */
export function buildEntryBundle(options?: { outRoot?: string; entry?: string }): Promise<{ dir: string; entryFile: string; files: number; ms: number }>;
/** The `prepare` script: builds the command line's bundle, never failing the install. */
export function main(): Promise<void>;

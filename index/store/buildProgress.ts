/**
 * Build progress: a one-line bar on a terminal (letters, passages, rate, ETA), plain log lines
 * (at most one every two seconds) when output is not a terminal.
 */

export interface BuildProgressOptions {
  /** Letters to parse. */
  total: number;
  tty: boolean;
  log: (line: string) => void;
}

const BAR = 24;

/**
 * @example
 * const progress = new BuildProgress({ total: 100, tty: process.stderr.isTTY, log: console.error });
 * progress.parsed(12); // one letter, 12 passages
 * progress.done();
 */
export class BuildProgress {
  private letters = 0;
  private passages = 0;
  private embeddedCount = 0;
  private embedTotal = 0;
  private readonly started = performance.now();
  private lastLine = 0;
  private drawn = false;

  constructor(private readonly options: BuildProgressOptions) {}

  /** One letter parsed into `passages` passages. */
  parsed(passages: number): void {
    this.letters++;
    this.passages += passages;
    this.render(`letters ${this.letters}/${this.options.total}`, this.letters / Math.max(1, this.options.total), this.letters);
  }

  /** `count` more passages embedded out of `total`. */
  embedded(count: number, total: number): void {
    this.embeddedCount += count;
    this.embedTotal = total;
    this.render(`embedding ${this.embeddedCount}/${total} passages`, this.embeddedCount / Math.max(1, total), this.embeddedCount);
  }

  /** Ends the bar (a newline on a terminal). */
  done(): void {
    if (this.drawn && this.options.tty) process.stderr.write('\n');
    this.drawn = false;
  }

  private render(label: string, fraction: number, done: number): void {
    const now = performance.now();
    const seconds = (now - this.started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const eta = rate > 0 && fraction < 1 ? Math.round((done / fraction - done) / rate) : 0;
    const unit = this.embedTotal ? 'passages/s' : 'letters/s';
    const text = `${label} · ${this.passages} passages · ${rate.toFixed(1)} ${unit} · ETA ${eta}s`;
    if (this.options.tty) {
      const filled = Math.round(Math.min(1, fraction) * BAR);
      process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}] ${text}\x1b[K`);
      this.drawn = true;
    } else if (now - this.lastLine > 2000 || fraction >= 1) {
      this.lastLine = now;
      this.options.log(text);
    }
  }
}

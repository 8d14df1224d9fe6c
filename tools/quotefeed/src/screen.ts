// Where the console watchlist goes. On a terminal a frame is redrawn in place (cursor up, rewrite
// each line, clear the rest); anywhere else (a pipe, a log file, CI) frames are printed as plain
// lines, without any ANSI sequence, every few seconds and once more at the end.
import type { Writable } from 'node:stream';

export type ScreenStream = Writable & { isTTY?: boolean; columns?: number; rows?: number };

export interface ScreenOptions {
  /** Redraw in place with ANSI sequences (default: the stream is a TTY). */
  tty?: boolean;
}

const ESC = '\u001b[';

export class LiveScreen {
  readonly stream: ScreenStream;
  readonly tty: boolean;
  private drawn = 0;
  private cursorHidden = false;
  private readonly restoreCursor = (): void => {
    if (this.cursorHidden) this.stream.write(`${ESC}?25h`);
  };

  constructor(stream: ScreenStream, opts: ScreenOptions = {}) {
    this.stream = stream;
    this.tty = opts.tty ?? stream.isTTY === true;
    if (this.tty) process.once('exit', this.restoreCursor);
  }

  /** Terminal width (columns), or a wide default off a terminal. */
  get width(): number {
    return this.tty && this.stream.columns ? this.stream.columns : 160;
  }

  /** Terminal height (rows), undefined off a terminal (frames are not limited there). */
  get height(): number | undefined {
    return this.tty && this.stream.rows ? this.stream.rows : undefined;
  }

  /** Shows a frame: in place on a terminal, appended as plain lines (and a blank line) otherwise. */
  draw(lines: readonly string[]): void {
    if (!this.tty) {
      this.stream.write(`${lines.join('\n')}\n\n`);
      return;
    }
    let out = this.drawn > 0 ? `\r${ESC}${this.drawn}A` : '';
    if (!this.cursorHidden) {
      out += `${ESC}?25l`;
      this.cursorHidden = true;
    }
    for (const l of lines) out += `${l}${ESC}K\n`;
    out += `${ESC}J`;
    this.stream.write(out);
    this.drawn = lines.length;
  }

  /** A line of its own: above the frame on a terminal (the next draw puts the frame below it). */
  note(line: string): void {
    if (this.tty && this.drawn > 0) {
      this.stream.write(`\r${ESC}${this.drawn}A${ESC}J`);
      this.drawn = 0;
    }
    this.stream.write(`${line}\n`);
  }

  /** Removes the frame from a terminal (e.g. before an error line); nothing to do elsewhere. */
  erase(): void {
    if (this.tty && this.drawn > 0) this.stream.write(`\r${ESC}${this.drawn}A${ESC}J`);
    this.drawn = 0;
  }

  /** Leaves the last frame on screen and gives the cursor back. */
  end(): void {
    this.restoreCursor();
    this.cursorHidden = false;
    process.removeListener('exit', this.restoreCursor);
  }
}

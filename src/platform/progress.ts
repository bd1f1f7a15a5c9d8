// Progress on stderr while gate waits: a one-line spinner at a terminal, plain lines
// elsewhere (CI logs stay readable). Never stdout: it belongs to the child.
import { writeSync } from 'node:fs';

export interface Progress {
  /** Show `text` (updated in place at a terminal). */
  update(text: string): void;
  /** Replace the progress line with a final line. */
  done(text: string): void;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function stderrProgress(isTTY: boolean = process.stderr.isTTY === true): Progress {
  let frame = 0;
  let last = '';
  let timer: NodeJS.Timeout | undefined;
  const draw = () => writeSync(2, `\r\x1b[2K${FRAMES[frame++ % FRAMES.length]} ${last}`);
  return {
    update(text) {
      if (!isTTY) {
        if (text !== last) writeSync(2, `gate: ${text}\n`);
        last = text;
        return;
      }
      last = text;
      if (!timer) {
        timer = setInterval(draw, 100);
        timer.unref();
      }
      draw();
    },
    done(text) {
      if (timer) clearInterval(timer);
      timer = undefined;
      writeSync(2, isTTY ? `\r\x1b[2K${text}\n` : `gate: ${text}\n`);
    },
  };
}

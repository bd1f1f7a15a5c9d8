// The inline reviewer: an ink prompt on /dev/tty (stdin and stdout belong to the child).
// ink and react load only here, so an allowed command never pays for them.
import { closeSync, openSync } from 'node:fs';
import { constants } from 'node:os';
import { ReadStream, WriteStream } from 'node:tty';
import type { InlineReviewer, InlineVerdict } from '../app/inline-approval.js';
import { GateError, EXIT } from '../errors.js';

export function ttyInlineReviewer(env: NodeJS.ProcessEnv = process.env): InlineReviewer {
  return {
    async review(view, options) {
      let inFd: number;
      let outFd: number;
      try {
        inFd = openSync('/dev/tty', 'r');
        outFd = openSync('/dev/tty', 'w');
      } catch (error) {
        throw new GateError('no_terminal', EXIT.pending, 'cannot open /dev/tty to ask for a review', { cause: error, hint: 'run in an interactive terminal, or use --wait 0 to save the request for a reviewer' });
      }
      const input = new ReadStream(inFd);
      const output = new WriteStream(outFd);
      try {
        const [{ render }, { createElement }, { InlineReview }] = await Promise.all([import('ink'), import('react'), import('../ui/InlineReview.js')]);
        let verdict: InlineVerdict = { decision: 'deny', comment: 'prompt closed' };
        const instance = render(
          createElement(InlineReview, { view, confirm: options.confirm, askReason: options.askReason, color: !env.NO_COLOR, onDone: (v: InlineVerdict) => (verdict = v) }),
          { stdin: input as unknown as NodeJS.ReadStream, stdout: output as unknown as NodeJS.WriteStream, stderr: output as unknown as NodeJS.WriteStream, exitOnCtrlC: false, patchConsole: false },
        );
        // A signal while the prompt is up ends it as interrupted (128+N), never as approved.
        let interrupted: NodeJS.Signals | null = null;
        const stop = (signal: NodeJS.Signals) => (): void => {
          interrupted = signal;
          instance.unmount();
        };
        const handlers = (['SIGTERM', 'SIGHUP'] as const).map((signal) => [signal, stop(signal)] as const);
        for (const [signal, handler] of handlers) process.on(signal, handler);
        try {
          await instance.waitUntilExit();
        } finally {
          for (const [signal, handler] of handlers) process.off(signal, handler);
        }
        instance.cleanup();
        if (interrupted !== null) {
          throw new GateError('interrupted', 128 + (constants.signals[interrupted] ?? 0), `the review prompt was interrupted by ${interrupted}; nothing was run`, { hint: 'run the command again to review it' });
        }
        return verdict;
      } finally {
        if (input.isRaw) input.setRawMode(false);
        input.destroy();
        output.destroy();
        for (const fd of [inFd, outFd]) {
          try {
            closeSync(fd);
          } catch {
            // already closed with its stream
          }
        }
      }
    },
  };
}

// Runs `gate review` on the terminal: the live feed, the decider and the ink app, on the
// alternate screen so the terminal gets its contents back on quit. Only `gate review` loads
// this module (and with it ink and react).
import { constants } from 'node:os';
import { render } from 'ink';
import type { ApprovalClient } from '../approval/http-client.js';
import { reviewDecider, type ReviewSigner } from '../app/review-decide.js';
import { abortableSleep, startReviewFeed } from '../app/review-feed.js';
import type { SortOrder } from '../app/review-list.js';
import { GateError } from '../errors.js';
import type { Clock } from '../platform/clock.js';
import { ReviewApp } from './ReviewApp.js';

export interface ReviewScreenOptions {
  client: ApprovalClient;
  signer: ReviewSigner | null;
  keyWarning: string | null;
  focusId: string | null;
  sort: SortOrder;
  filter: string;
  color: boolean;
  clock: Clock;
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
}

const ENTER_ALT_SCREEN = '\x1b[?1049h\x1b[H';
const LEAVE_ALT_SCREEN = '\x1b[?1049l';

/** Show the review screen until the reviewer quits; a SIGTERM or SIGHUP ends it as interrupted. */
export async function runReviewScreen(options: ReviewScreenOptions): Promise<void> {
  const { client, clock } = options;
  const feed = startReviewFeed({ client, now: () => clock.now().getTime(), sleep: abortableSleep, ...(options.focusId ? { focusId: options.focusId } : {}) });
  const decider = reviewDecider(client, () => feed.getSnapshot().me?.name ?? null, options.signer, () => clock.now());
  options.stdout.write(ENTER_ALT_SCREEN);
  const instance = render(
    <ReviewApp
      feed={feed}
      decider={decider}
      serverUrl={client.url}
      signer={options.signer ? `your key ${options.signer.name} (kid ${options.signer.kid.slice(0, 8)}…)` : null}
      keyWarning={options.keyWarning}
      focusId={options.focusId}
      sort={options.sort}
      filter={options.filter}
      color={options.color}
      now={() => clock.now().getTime()}
    />,
    { stdin: options.stdin, stdout: options.stdout, exitOnCtrlC: false, patchConsole: true },
  );
  let interrupted: NodeJS.Signals | null = null;
  const handlers = (['SIGTERM', 'SIGHUP'] as const).map((signal) => {
    const handler = (): void => {
      interrupted = signal;
      instance.unmount();
    };
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  try {
    await instance.waitUntilExit();
  } finally {
    for (const [signal, handler] of handlers) process.off(signal, handler);
    feed.stop();
    instance.cleanup();
    options.stdout.write(LEAVE_ALT_SCREEN);
  }
  if (interrupted !== null) {
    throw new GateError('interrupted', 128 + (constants.signals[interrupted] ?? 0), `gate review ended by ${interrupted}`, { hint: 'run gate review again' });
  }
}

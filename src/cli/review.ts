// `gate review [ID]`: the reviewer's terminal UI. Thin: checks there is a terminal to draw on,
// opens the login and the reviewer's own key, and hands off to the screen (ink and react load
// only here, through a dynamic import).
import { Command, Option } from 'commander';
import type { ReviewSigner } from '../app/review-decide.js';
import type { SortOrder } from '../app/review-list.js';
import { loadSigningKey, readKeyMeta } from '../app/own-keys.js';
import { UsageError } from '../errors.js';
import { systemClock } from '../platform/clock.js';
import { gatePaths } from '../platform/paths.js';
import { isCI } from '../platform/tty.js';
import { requireSession } from './requests.js';

/** The reviewer's own signing key when one is configured; when it cannot be opened, why. */
async function reviewSigner(env: NodeJS.ProcessEnv): Promise<{ signer: ReviewSigner | null; warning: string | null }> {
  const paths = gatePaths(env);
  try {
    const meta = readKeyMeta(paths, 'signing');
    if (!meta) return { signer: null, warning: null };
    const { key } = await loadSigningKey({ paths, warn: () => undefined }, 'signing');
    return { signer: { name: meta.name, kid: meta.kid, key }, warning: null };
  } catch (error) {
    return { signer: null, warning: `your signing key cannot be used (${(error as Error).message}); the server signs your approvals` };
  }
}

export function reviewCommand(setExit: (code: number) => void): Command {
  return new Command('review')
    .description('terminal UI for reviewers: pending requests live, details, approve or deny')
    .argument('[request-id]', 'open this request directly (what a link in a notification runs)')
    .addOption(new Option('--sort <order>', 'list order: age (oldest first) or risk (riskiest first)').choices(['age', 'risk']).default('age'))
    .option('--filter <text>', 'start filtered: words, risk:high, risk:medium+, group:ops')
    .action(async (requestId: string | undefined, flags: { sort: SortOrder; filter?: string }) => {
      // A review screen must never wait for keys nobody can press.
      if (isCI(process.env) || !process.stdin.isTTY || !process.stdout.isTTY) {
        throw new UsageError(`gate review needs an interactive terminal${isCI(process.env) ? ' (CI is set)' : ''}`, {
          hint: 'without one, list with `gate requests` and decide with `gate approve ID [--confirm TARGET]` or `gate deny ID --comment TEXT`',
        });
      }
      if (requestId !== undefined && !/^[A-Za-z0-9-]{1,64}$/.test(requestId)) throw new UsageError(`${JSON.stringify(requestId)} is not a request id`, { hint: '`gate requests` lists them' });
      const session = await requireSession();
      const { signer, warning } = await reviewSigner(process.env);
      const { runReviewScreen } = await import('../ui/review-screen.js');
      await runReviewScreen({
        client: session.client,
        signer,
        keyWarning: warning,
        focusId: requestId ?? null,
        sort: flags.sort,
        filter: flags.filter ?? '',
        color: !process.env.NO_COLOR,
        clock: systemClock,
        stdin: process.stdin,
        stdout: process.stdout,
      });
      setExit(0);
    });
}

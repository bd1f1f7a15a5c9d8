// GET /r/:id: where approval_url points. A plain-text summary until the web page exists.
import type { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../app-env.js';
import { quoteArgv } from '../../app/shell-quote.js';
import { requestId } from '../body.js';

export function pageRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  app.get('/r/:id', async (c) => {
    const r = await deps.service.get(c.get('identity'), requestId(c));
    const lines = [
      `request ${r.id}: ${r.status}`,
      `requester: ${r.requester} on ${r.host} in ${r.cwd}`,
      `command:   ${r.argv.length > 0 ? quoteArgv(r.argv) : r.program}`,
      `risk:      ${r.risk}`,
      `reason:    ${r.reason ?? '-'}`,
      `rules:     ${r.rules.map((rule) => rule.id).join(', ') || '-'}`,
      `needs:     ${r.required.min} approval(s)${r.required.groups.length ? ` from ${r.required.groups.join(', ')}` : ''}`,
      `votes:     ${r.votes.map((v) => `${v.reviewer} ${v.decision}${v.comment ? ` (${v.comment})` : ''}`).join('; ') || '-'}`,
      `created:   ${r.created_at}; expires ${r.expires_at}`,
      '',
      `approve: gate approve ${r.id}   deny: gate deny ${r.id} --comment "..."`,
    ];
    return c.text(`${lines.join('\n')}\n`);
  });
}

// The frame around every page: title, the signed-in reviewer and a sign-out button.
import type { Identity } from '../../approval/api-types.js';
import { html, type Html } from './html.js';

export interface Viewer {
  identity: Identity;
  /** The CSRF token for this session's forms. */
  csrf: string;
}

export function csrfField(csrf: string): Html {
  return html`<input type="hidden" name="csrf" value="${csrf}">`;
}

export function layout(title: string, viewer: Viewer | null, body: Html): Html {
  const who = viewer
    ? html`<nav>
        <a href="/inbox">Inbox</a>
        <span>${viewer.identity.name} <span class="muted">(${viewer.identity.role}${viewer.identity.groups.length ? `: ${viewer.identity.groups.join(', ')}` : ''})</span></span>
        <form method="post" action="/logout">${csrfField(viewer.csrf)}<button class="link" type="submit">Sign out</button></form>
      </nav>`
    : '';
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title} · gate</title>
<link rel="stylesheet" href="/assets/gate.css">
</head>
<body>
<header class="top"><a class="brand" href="/inbox">gate</a>${who}</header>
<main>
${body}
</main>
</body>
</html>
`;
}

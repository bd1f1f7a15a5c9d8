// Sign-in (single sign-on and/or a pasted bearer token), "not allowed" and error pages.
import { attrUrl, html } from './html.js';
import { csrfField, layout, type Viewer } from './layout.js';

export interface SignInModel {
  csrf: string;
  /** Where to go after signing in (a local path). */
  next: string;
  /** The single sign-on button text; null when OIDC is not configured. */
  oidcLabel: string | null;
  tokenSignIn: boolean;
  error?: string | undefined;
}

export function signInPage(m: SignInModel) {
  const sso = m.oidcLabel
    ? html`<p><a class="button" href="${attrUrl(`/auth/login?next=${encodeURIComponent(m.next)}`)}">${m.oidcLabel}</a></p>`
    : '';
  const token = m.tokenSignIn
    ? html`<form method="post" action="/login/token" class="card">
        ${csrfField(m.csrf)}
        <input type="hidden" name="next" value="${m.next}">
        <label for="token">Your gate token</label>
        <input type="password" id="token" name="token" autocomplete="off" required placeholder="gate_...">
        <p class="muted">The token <code>gate server user add</code> printed for you. It is checked and not kept: the session remembers only who you are.</p>
        <button type="submit">Sign in with token</button>
      </form>`
    : '';
  const none = !m.oidcLabel && !m.tokenSignIn ? html`<p>No sign-in method is enabled on this server (see <code>web</code> and <code>oidc</code> in its config).</p>` : '';
  return layout(
    'Sign in',
    null,
    html`<h1>Sign in to review</h1>
      ${m.error ? html`<div class="card notice error" role="alert">${m.error}</div>` : ''}
      ${sso}${m.oidcLabel && m.tokenSignIn ? html`<p class="muted">or</p>` : ''}${token}${none}`,
  );
}

/** Signed in at the provider, but no gate identity may review as them. */
export function notAllowedPage(reason: string, hint: string) {
  return layout(
    'Not allowed',
    null,
    html`<h1>Not allowed</h1>
      <div class="card notice error" role="alert"><p>${reason}</p><p class="muted">${hint}</p></div>
      <p><a href="/login">Back to sign-in</a></p>`,
  );
}

export function errorPage(title: string, message: string, viewer: Viewer | null) {
  return layout(title, viewer, html`<h1>${title}</h1><div class="card notice error" role="alert">${message}</div><p><a href="/inbox">Inbox</a></p>`);
}

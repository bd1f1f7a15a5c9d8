// A minimal browser for tests without Chromium: a cookie jar per host, redirects followed by
// hand (so each hop's cookies are kept), and forms read out of the returned HTML.

export interface Page {
  status: number;
  url: string;
  text: string;
  headers: Headers;
  /** Every URL visited on the way, the first one included. */
  hops: string[];
}

export interface Form {
  action: string;
  method: string;
  fields: Record<string, string>;
}

const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const attr = (tag: string, name: string) => {
  const m = new RegExp(`\\s${name}="([^"]*)"`, 'i').exec(tag);
  return m ? decode(m[1]!) : undefined;
};

/** The forms on a page: action (absolute), method and the inputs with a name and value. */
export function formsOf(page: Page): Form[] {
  return [...page.text.matchAll(/<form\b[^>]*>[\s\S]*?<\/form>/gi)].map(([whole]) => {
    const open = /<form\b[^>]*>/i.exec(whole)![0];
    const fields: Record<string, string> = {};
    for (const [input] of whole.matchAll(/<input\b[^>]*>/gi)) {
      const name = attr(input, 'name');
      if (name) fields[name] = attr(input, 'value') ?? '';
    }
    return { action: new URL(attr(open, 'action') ?? page.url, page.url).href, method: (attr(open, 'method') ?? 'get').toUpperCase(), fields };
  });
}

export function formWith(page: Page, actionPart: string): Form {
  const form = formsOf(page).find((f) => f.action.includes(actionPart));
  if (!form) throw new Error(`no form posting to ${actionPart} on ${page.url} (${page.status}):\n${page.text.slice(0, 2000)}`);
  return form;
}

export interface HttpBrowser {
  go(url: string, init?: { method?: string; form?: Record<string, string>; headers?: Record<string, string> }): Promise<Page>;
  submit(form: Form, values?: Record<string, string>): Promise<Page>;
  cookie(host: string, name: string): string | undefined;
  setCookie(host: string, name: string, value: string): void;
}

export function httpBrowser(): HttpBrowser {
  const jar = new Map<string, Map<string, string>>();
  const cookiesFor = (url: URL) => jar.get(url.host) ?? jar.set(url.host, new Map()).get(url.host)!;

  const keep = (url: URL, response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split('=')[1]!) < Date.now()));
      if (expired || value === '') cookiesFor(url).delete(name);
      else cookiesFor(url).set(name, value);
    }
  };

  const go: HttpBrowser['go'] = async (start, init = {}) => {
    let url = new URL(start);
    let method = init.method ?? (init.form ? 'POST' : 'GET');
    let body: string | undefined = init.form ? new URLSearchParams(init.form).toString() : undefined;
    const hops = [url.href];
    for (let i = 0; i < 20; i++) {
      const cookie = [...cookiesFor(url)].map(([k, v]) => `${k}=${v}`).join('; ');
      const response = await fetch(url, {
        method,
        redirect: 'manual',
        headers: { accept: 'text/html,application/xhtml+xml', ...(cookie ? { cookie } : {}), ...(body !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...init.headers },
        ...(body !== undefined ? { body } : {}),
      });
      keep(url, response);
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        await response.arrayBuffer();
        url = new URL(location, url);
        hops.push(url.href);
        if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
          method = 'GET';
          body = undefined;
        }
        continue;
      }
      return { status: response.status, url: url.href, text: await response.text(), headers: response.headers, hops };
    }
    throw new Error(`too many redirects from ${start}`);
  };

  return {
    go,
    submit: (form, values = {}) => go(form.action, { method: form.method, form: { ...form.fields, ...values } }),
    cookie: (host, name) => jar.get(host)?.get(name),
    setCookie: (host, name, value) => void cookiesFor(new URL(`http://${host}`)).set(name, value),
  };
}

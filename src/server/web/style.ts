// The pages' one stylesheet, served from /assets/gate.css (the CSP allows no inline style).

export const STYLESHEET = `
:root { color-scheme: light dark; --fg: #1d232b; --muted: #5b6673; --bg: #f6f7f9; --card: #fff; --line: #d9dee4;
  --accent: #1f5fbf; --ok: #1a7f37; --bad: #b42318; --warn: #9a6700; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6e9ed; --muted: #9aa4b1; --bg: #15181c; --card: #1e2227; --line: #333a42;
  --accent: #6ea8fe; --ok: #4ac26b; --bad: #ff7b72; --warn: #d29922; } }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
header.top { display: flex; align-items: center; gap: 1rem; padding: .6rem 1.5rem; background: var(--card); border-bottom: 1px solid var(--line); }
header.top .brand { font-weight: 700; color: var(--fg); text-decoration: none; letter-spacing: .02em; }
header.top nav { margin-left: auto; display: flex; align-items: center; gap: .8rem; color: var(--muted); }
header.top form { margin: 0; }
main { max-width: 60rem; margin: 1.5rem auto; padding: 0 1.5rem; }
h1 { font-size: 1.35rem; margin: 0 0 .3rem; }
h2 { font-size: 1.05rem; margin: 1.6rem 0 .5rem; }
a { color: var(--accent); }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.2rem; margin: .8rem 0; }
.muted, .iso { color: var(--muted); }
.iso { font-size: .85em; }
pre.command { background: #0f1720; color: #e6edf3; padding: .8rem 1rem; border-radius: 6px; overflow-x: auto; white-space: pre-wrap; word-break: break-all; font-size: .95rem; }
code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .35rem .6rem .35rem 0; border-bottom: 1px solid var(--line); }
th { color: var(--muted); font-weight: 600; white-space: nowrap; width: 1%; }
table.list th { width: auto; }
table.inbox td:not(:first-child) { white-space: nowrap; }
.badge { display: inline-block; padding: .05rem .5rem; border-radius: 999px; font-size: .8rem; font-weight: 600; border: 1px solid currentColor; }
.risk-low { color: var(--ok); } .risk-medium { color: var(--warn); } .risk-high, .risk-critical { color: var(--bad); }
.status-pending { color: var(--warn); } .status-approved, .status-redeemed { color: var(--ok); } .status-denied { color: var(--bad); }
.status-expired, .status-cancelled { color: var(--muted); }
.chip { display: inline-block; background: var(--bg); border: 1px solid var(--line); border-radius: 4px; padding: 0 .4rem; margin: 0 .2rem .2rem 0; font-size: .85rem; }
.decide { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; }
@media (max-width: 700px) { .decide { grid-template-columns: 1fr; } }
.decide form { display: flex; flex-direction: column; gap: .5rem; }
label { font-weight: 600; font-size: .9rem; }
input[type=text], input[type=password], textarea { width: 100%; padding: .45rem .6rem; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); color: var(--fg); font: inherit; }
textarea { min-height: 4.5rem; }
button { font: inherit; font-weight: 600; padding: .5rem 1rem; border-radius: 6px; border: 1px solid var(--line); cursor: pointer; background: var(--card); color: var(--fg); }
button.approve { background: var(--ok); border-color: var(--ok); color: #fff; }
button.deny { background: var(--bad); border-color: var(--bad); color: #fff; }
button.link { border: none; background: none; color: var(--accent); padding: 0; font-weight: 400; text-decoration: underline; }
a.button { display: inline-block; padding: .5rem 1rem; border-radius: 6px; background: var(--accent); color: #fff; text-decoration: none; font-weight: 600; }
.notice { border-left: 4px solid var(--accent); } .notice.error { border-left-color: var(--bad); } .notice.done { border-left-color: var(--ok); }
.progress { font-weight: 600; }
`;

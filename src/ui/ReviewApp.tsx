// `gate review`: the reviewer's screen. A live list of pending requests, a detail pane, and
// deliberate decisions: high and critical risk need the target typed, medium and low a `y`,
// a denial a comment. Every server refusal is shown with its next step; nothing here throws.
import { Box, Text, useApp, useInput, useStdout, type Key } from 'ink';
import { useEffect, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import type { RequestView } from '../approval/api-types.js';
import type { Decided, Decider } from '../app/review-decide.js';
import type { FeedState, ReviewFeed } from '../app/review-feed.js';
import { cannotDecide, formatCountdown, matchesFilter, nextStep, outcomeText, parseFilter, quorumLine, sortRequests, type SortOrder } from '../app/review-list.js';
import { GateError } from '../errors.js';
import { detailLines, fit, HELP_LINES, listHeader, listRow, wrap, type Line } from './review/layout.js';

export interface ReviewAppProps {
  feed: Pick<ReviewFeed, 'getSnapshot' | 'subscribe' | 'refresh' | 'apply'>;
  decider: Decider;
  serverUrl: string;
  /** "your key bob (kid …)" when approvals carry the reviewer's own token, else null (the server signs). */
  signer: string | null;
  /** Why the reviewer's key could not be used, when it could not. */
  keyWarning?: string | null;
  /** `gate review ID`: open this request's details first. */
  focusId?: string | null;
  sort?: SortOrder;
  filter?: string;
  color: boolean;
  now(): number;
  /** Terminal size; by default stdout's, following resizes. */
  size?: { columns: number; rows: number };
  /** How long a decided request stays in the list, showing who decided (ms). */
  leaveMs?: number;
  tickMs?: number;
  /** Keys arriving sooner than this after an approval prompt opens are dropped (typed ahead). */
  armDelayMs?: number;
  onQuit?(): void;
}

type Mode = 'list' | 'detail' | 'help' | 'filter' | 'confirm' | 'approve' | 'deny' | 'comment';

interface Flash {
  kind: 'ok' | 'error' | 'info';
  text: string;
  next?: string;
}

interface UiState {
  mode: Mode;
  /** The mode text entry and help return to. */
  back: 'list' | 'detail';
  selectedId: string | null;
  /** The selected row's index, to land near it when the request leaves. */
  index: number;
  filter: string;
  /** The filter before `/` started editing it (Esc restores it). */
  filterBefore: string;
  sort: SortOrder;
  typed: string;
  warning: string | null;
  flash: Flash | null;
  busy: boolean;
  scroll: number;
  /** When the open approval prompt starts taking keys (ms). */
  armedAt: number;
  /** Comments drafted with `c`, by request id. */
  drafts: Map<string, string>;
}

const shortId = (id: string): string => (id.length > 12 ? `${id.slice(0, 8)}…` : id);
const needsTyping = (r: RequestView): boolean => r.confirm !== null && (r.risk === 'high' || r.risk === 'critical');

function useTerminalSize(fixed: ReviewAppProps['size']): { columns: number; rows: number } {
  const { stdout } = useStdout();
  const read = () => fixed ?? { columns: stdout.columns || 80, rows: stdout.rows || 24 };
  const [size, setSize] = useState(read);
  useEffect(() => {
    if (fixed) return;
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => void stdout.off('resize', onResize);
  }, [stdout, fixed]);
  return fixed ?? size;
}

/** The rows the list shows: pending ones, and for a little while the ones that left. */
function visibleRows(feed: FeedState, ui: UiState, now: number, leaveMs: number): RequestView[] {
  const filter = parseFilter(ui.filter);
  const rows = [...feed.requests.values()].filter((r) => {
    if (r.status !== 'pending' && now - (feed.leftAt.get(r.id) ?? 0) > leaveMs) return false;
    return matchesFilter(r, filter);
  });
  return sortRequests(rows, ui.sort);
}

function describeError(error: unknown, request: RequestView): Flash {
  if (error instanceof GateError) {
    const code = typeof error.details.server_code === 'string' ? error.details.server_code : error.code;
    return { kind: 'error', text: `${code}: ${error.message}`, next: nextStep(code, request) };
  }
  return { kind: 'error', text: `unexpected: ${error instanceof Error ? error.message : String(error)}`, next: nextStep('unknown', request) };
}

export function ReviewApp(props: ReviewAppProps) {
  const { feed, decider, color, now, leaveMs = 8000, tickMs = 1000, armDelayMs = 300 } = props;
  const { exit } = useApp();
  const snapshot = useSyncExternalStore(feed.subscribe, feed.getSnapshot);
  const { columns, rows: termRows } = useTerminalSize(props.size);
  const [, rerender] = useState(0);
  // Keys can arrive faster than React renders (a paste, text and Enter in one read): the screen's
  // state lives in a ref each key updates synchronously.
  const ui = useRef<UiState>({
    mode: props.focusId ? 'detail' : 'list',
    back: props.focusId ? 'detail' : 'list',
    selectedId: props.focusId ?? null,
    index: 0,
    filter: props.filter ?? '',
    filterBefore: '',
    sort: props.sort ?? 'age',
    typed: '',
    warning: null,
    flash: null,
    busy: false,
    scroll: 0,
    armedAt: 0,
    drafts: new Map(),
  });
  const update = (patch: Partial<UiState>): void => {
    Object.assign(ui.current, patch);
    rerender((v) => v + 1);
  };
  const latest = useRef(snapshot);
  latest.current = snapshot;

  // Ages, countdowns and the retry timer move every second.
  useEffect(() => {
    const timer = setInterval(() => rerender((v) => v + 1), tickMs);
    return () => clearInterval(timer);
  }, [tickMs]);

  const t = now();
  const s = ui.current;
  const rows = visibleRows(snapshot, s, t, leaveMs);
  // The selection follows its request, not its position: new arrivals never move it.
  let selected = rows.find((r) => r.id === s.selectedId) ?? null;
  if (!selected && s.mode !== 'list' && s.selectedId) selected = snapshot.requests.get(s.selectedId) ?? null;
  if (!selected && rows.length > 0 && !(props.focusId && s.selectedId === props.focusId && !snapshot.requests.has(props.focusId))) {
    selected = rows[Math.min(s.index, rows.length - 1)]!;
  }
  if (selected) {
    s.selectedId = selected.id;
    const at = rows.indexOf(selected);
    if (at >= 0) s.index = at;
  }

  const quit = (): void => {
    props.onQuit?.();
    exit();
  };

  const decide = (request: RequestView, action: () => Promise<Decided>, describe: (d: Decided) => Flash): void => {
    update({ busy: true, mode: s.back, typed: '', warning: null, flash: { kind: 'info', text: `sending your decision on ${shortId(request.id)}…` } });
    action()
      .then((decided) => {
        feed.apply(decided.view);
        ui.current.drafts.delete(request.id);
        update({ busy: false, flash: describe(decided) });
      })
      .catch((error: unknown) => {
        update({ busy: false, flash: describeError(error, request) });
        // The list may be stale (decided elsewhere): re-read it.
        if (error instanceof GateError && error.exitCode !== 64) feed.refresh();
      });
  };

  const approve = (request: RequestView, confirm: string | null): void => {
    const comment = s.drafts.get(request.id) ?? null;
    decide(request, () => decider.approve(request, { comment, confirm }), ({ view, signedWith }) => {
      const by = signedWith ? `signed with your key ${signedWith.slice(0, 8)}…` : 'the server signs the token';
      return view.status === 'approved'
        ? { kind: 'ok', text: `approved ${shortId(view.id)} (${view.program}); ${by}` }
        : { kind: 'ok', text: `your approval of ${shortId(view.id)} is counted: ${quorumLine(view)}; ${by}`, next: 'it runs once the other approvals arrive' };
    });
  };

  /** a, d, c: begin a decision on the selected request (or say why it cannot be made). */
  const begin = (mode: 'approve' | 'deny' | 'comment'): void => {
    if (!selected) return update({ flash: { kind: 'info', text: 'no request selected' } });
    if (s.busy) return update({ flash: { kind: 'info', text: 'still sending the last decision…' } });
    // A decision is made looking at the details, and its result shows there.
    const back = 'detail';
    if (mode !== 'comment') {
      const why = cannotDecide(selected, snapshot.me);
      if (why) return update({ flash: { kind: 'error', text: why, ...(selected.status === 'pending' ? { next: nextStep(selected.requester === snapshot.me?.name ? 'self_approval' : 'already_voted', selected) } : {}) } });
    }
    const draft = s.drafts.get(selected.id) ?? '';
    if (mode === 'approve') {
      // The prompt shows once it takes keys, so what is on screen is what a key answers.
      if (armDelayMs > 0) setTimeout(() => rerender((v) => v + 1), armDelayMs + 10);
      return update({ mode: needsTyping(selected) ? 'confirm' : 'approve', back, typed: '', warning: null, scroll: 0, armedAt: now() + armDelayMs });
    }
    return update({ mode, back, typed: draft, warning: null, scroll: 0 });
  };

  /** Enter in a text prompt. */
  const submit = (text: string): void => {
    const r = selected;
    if (s.mode === 'filter') return update({ mode: s.back, filter: text.trim(), typed: '' });
    if (!r) return update({ mode: s.back, typed: '' });
    if (s.mode === 'comment') {
      const drafts = new Map(s.drafts);
      if (text.trim() === '') drafts.delete(r.id);
      else drafts.set(r.id, text.trim());
      return update({ mode: s.back, typed: '', drafts, flash: { kind: 'info', text: text.trim() === '' ? 'comment removed' : `comment kept: it goes with your approval of ${shortId(r.id)} (and starts a denial's text)` } });
    }
    if (s.mode === 'deny') {
      if (text.trim() === '') return update({ typed: '', warning: 'a denial needs a comment: say why (the requester sees it), or Esc' });
      return decide(r, () => decider.deny(r, text.trim()), ({ view }) => ({ kind: 'ok', text: `denied ${shortId(view.id)} (${view.program}): ${outcomeText(view)}` }));
    }
    if (s.mode === 'confirm') {
      if (text !== r.confirm) return update({ typed: '', warning: `"${text}" is not the target; type ${r.confirm} exactly, or Esc` });
      return approve(r, text);
    }
  };

  const onKey = (input: string, key: Key): void => {
    const s = ui.current;
    if (key.ctrl && input === 'c') return quit();
    if (s.mode === 'help') return update({ mode: s.back });
    // An approval answers this prompt, not keys that were already on their way.
    if ((s.mode === 'approve' || s.mode === 'confirm') && now() < s.armedAt) return;
    if ((s.mode === 'list' || s.mode === 'detail') && input.length > 1 && !key.ctrl && !key.meta && !input.startsWith('\u001B')) {
      // Several keys in one read (fast typing over ssh, a paste): one at a time, but never
      // straight into a decision: the rest of the chunk is dropped once a prompt opens.
      for (const ch of input) {
        if (['approve', 'confirm', 'deny', 'comment'].includes(ui.current.mode)) return;
        onKey(ch, { ...key, return: ch === '\r' || ch === '\n' });
      }
      return;
    }
    if (s.mode === 'approve') {
      if (input === 'y' || input === 'Y' || key.return) return selected ? approve(selected, null) : update({ mode: s.back });
      if (input === 'n' || input === 'N' || key.escape || input === 'q') return update({ mode: s.back, flash: { kind: 'info', text: 'not sent' } });
      return;
    }
    if (s.mode === 'filter' || s.mode === 'confirm' || s.mode === 'deny' || s.mode === 'comment') {
      if (key.escape) {
        if (s.mode === 'filter') return update({ mode: s.back, filter: s.filterBefore, typed: '' });
        return update({ mode: s.back, typed: '', warning: null, ...(s.mode === 'comment' ? {} : { flash: { kind: 'info', text: 'not sent' } }) });
      }
      if (key.backspace || key.delete) {
        const typed = s.typed.slice(0, -1);
        return update({ typed, ...(s.mode === 'filter' ? { filter: typed } : {}) });
      }
      let text = s.typed;
      let enter = key.return;
      if (!key.return && input && !key.ctrl && !key.meta && !key.upArrow && !key.downArrow && !key.leftArrow && !key.rightArrow) {
        const end = input.search(/[\r\n]/);
        text += end === -1 ? input : input.slice(0, end);
        enter = end !== -1;
      }
      if (enter) return submit(text);
      // The filter applies as it is typed.
      return update({ typed: text, ...(s.mode === 'filter' ? { filter: text } : {}) });
    }
    // list and detail
    if (input === 'q') return quit();
    if (input === '?') return update({ mode: 'help', back: s.mode === 'detail' ? 'detail' : 'list' });
    const move = (delta: number): void => {
      if (rows.length === 0) return;
      const at = Math.max(0, rows.findIndex((r) => r.id === s.selectedId));
      const next = Math.max(0, Math.min(rows.length - 1, at + delta));
      update({ selectedId: rows[next]!.id, index: next, scroll: 0, warning: null });
    };
    if (key.upArrow || input === 'k') return move(-1);
    if (key.downArrow || input === 'j') return move(1);
    if (input === 'g' || key.home) return move(-rows.length);
    if (input === 'G' || key.end) return move(rows.length);
    if (key.pageDown || input === ' ') return update({ scroll: s.scroll + Math.max(1, termRows - 10) });
    if (key.pageUp) return update({ scroll: Math.max(0, s.scroll - Math.max(1, termRows - 10)) });
    if (key.return) return selected || s.mode === 'detail' ? update({ mode: s.mode === 'detail' ? 'list' : 'detail', scroll: 0 }) : undefined;
    if (key.escape) {
      if (s.mode === 'detail') return update({ mode: 'list', scroll: 0 });
      if (s.filter) return update({ filter: '', flash: { kind: 'info', text: 'filter cleared' } });
      return update({ flash: null });
    }
    if (input === '/') return update({ mode: 'filter', back: s.mode === 'detail' ? 'detail' : 'list', filterBefore: s.filter, typed: s.filter });
    if (input === 's') return update({ sort: s.sort === 'age' ? 'risk' : 'age', flash: { kind: 'info', text: `sorted by ${s.sort === 'age' ? 'risk (riskiest first)' : 'age (oldest first)'}` } });
    if (input === 'r') {
      feed.refresh();
      return update({ flash: { kind: 'info', text: 'reconnecting and re-reading the list…' } });
    }
    if (input === 'a') return begin('approve');
    if (input === 'd') return begin('deny');
    if (input === 'c') return begin('comment');
  };
  useInput(onKey);

  // ---- layout ----
  const width = Math.max(40, columns);
  const height = Math.max(10, termRows - 1); // one row spare: a full screen makes ink clear it on every frame
  const me = snapshot.me;
  const conn = snapshot.connection;
  const pendingCount = [...snapshot.requests.values()].filter((r) => r.status === 'pending').length;

  const header = `gate review · ${me ? `${me.name} (${me.role}${me.groups.length ? `: ${me.groups.join(', ')}` : ''})` : '…'} @ ${props.serverUrl}`;
  const signing = props.signer ? `signed by ${props.signer}` : 'signed by the server';
  const status: Line =
    conn.state === 'live'
      ? { text: `● live · ${pendingCount} pending${s.filter ? ` (${rows.filter((r) => r.status === 'pending').length} match "${s.filter}")` : ''} · sort: ${s.sort} · ${signing}`, color: 'green' }
      : conn.state === 'connecting'
        ? { text: `… connecting to ${props.serverUrl}${conn.attempt > 1 ? ` (attempt ${conn.attempt})` : ''}`, color: 'yellow' }
        : { text: `✗ DISCONNECTED · retrying in ${formatCountdown(conn.retryAt - t)} (attempt ${conn.attempt}) · r retries now · decisions wait`, color: 'red', bold: true };
  const top: Line[] = [{ text: header, bold: true }, status];
  // Messages wrap (at most three lines each): an error cut short would hide its next step.
  const say = (text: string, style: Omit<Line, 'text'>): void => {
    for (const line of wrap(text, width, '  ').slice(0, 3)) top.push({ text: line, ...style });
  };
  if (conn.state === 'down') say(`  ${conn.error}${conn.hint ? ` · ${conn.hint}` : ''}`, { color: 'red' });
  if (props.keyWarning) say(`! ${props.keyWarning}`, { color: 'yellow' });
  if (snapshot.focusError) say(`✗ ${snapshot.focusError}`, { color: 'red' });
  if (s.flash) {
    const mark = s.flash.kind === 'ok' ? '✓' : s.flash.kind === 'error' ? '✗' : '·';
    say(`${mark} ${s.flash.text}`, { ...(s.flash.kind === 'ok' ? { color: 'green' } : s.flash.kind === 'error' ? { color: 'red' } : {}), bold: s.flash.kind !== 'info' });
    if (s.flash.next) say(`  next: ${s.flash.next}`, s.flash.kind === 'error' ? { color: 'yellow' } : {});
  }

  const bottom: Line[] = [];
  if (s.warning) bottom.push({ text: s.warning, color: 'red' });
  const target = selected ? `${selected.requester}'s ${selected.program} (${shortId(selected.id)})` : '';
  const armed = t >= s.armedAt;
  if ((s.mode === 'confirm' || s.mode === 'approve') && !armed) bottom.push({ text: `approve ${target}…`, bold: true });
  else if (s.mode === 'filter') bottom.push({ text: `filter (words, risk:high, risk:medium+, group:G; Enter keeps, Esc restores): ${s.typed}█`, bold: true });
  else if (s.mode === 'confirm') bottom.push({ text: `${selected?.risk.toUpperCase()} RISK: type ${selected?.confirm} to approve ${target} (Esc cancels): ${s.typed}█`, bold: true, color: 'red' });
  else if (s.mode === 'approve') bottom.push({ text: `approve ${target}${s.drafts.get(selected?.id ?? '') ? ' with your comment' : ''}? y sends, n or Esc cancels`, bold: true });
  else if (s.mode === 'deny') bottom.push({ text: `deny ${target}: why? (required; the requester sees it; Enter sends, Esc cancels): ${s.typed}█`, bold: true });
  else if (s.mode === 'comment') bottom.push({ text: `comment for ${target} (goes with your approval; Enter keeps, Esc cancels): ${s.typed}█`, bold: true });
  else if (s.mode === 'detail') bottom.push({ text: 'a approve  d deny  c comment  ↑↓ next  pgdn scroll  esc back  ? help  q quit', dim: true });
  else if (s.mode !== 'help') bottom.push({ text: '↑↓/jk move  enter open  a approve  d deny  c comment  / filter  ? help  q quit', dim: true });

  const prompt = bottom.flatMap((line) => wrap(line.text, width, '  ').slice(-3).map((text) => ({ ...line, text })));
  const bodyHeight = Math.max(3, height - top.length - prompt.length);
  // Wide terminals show the list and the selected request's details side by side; narrow ones
  // show one at a time (enter switches).
  const wide = width >= 120;
  const showDetail = selected !== null && (wide || (s.mode !== 'list' && s.mode !== 'filter'));
  const listWidth = wide ? Math.floor(width * 0.5) : width;
  const detailWidth = wide ? width - listWidth - 3 : width;

  let body: ReactNode;
  if (s.mode === 'help') {
    const lines: Line[] = [...HELP_LINES.map((text) => ({ text })), { text: '' }, { text: props.signer ? `Your approvals carry a token signed with ${props.signer}; requesters that trust your key use it.` : 'Approvals are signed by the server (gate keys init to sign with your own key).' }, { text: 'Press any key to close.', dim: true }];
    const wrapped = lines.flatMap((line) => wrap(line.text, width, '  ').map((text) => ({ ...line, text })));
    body = <Lines lines={wrapped.slice(0, bodyHeight)} width={width} color={color} />;
  } else {
    const listLines = (paneWidth: number): Line[] => {
      if (rows.length === 0) {
        const empty = conn.state === 'live' ? (s.filter ? `nothing matches the filter "${s.filter}" (Esc clears it)` : 'no pending requests: new ones appear here as they come in') : 'waiting for the server…';
        return [{ text: listHeader(paneWidth), dim: true }, { text: empty, dim: true }];
      }
      const room = bodyHeight - 1;
      const at = Math.max(0, rows.indexOf(selected ?? rows[0]!));
      const start = Math.max(0, Math.min(at - Math.floor(room / 2), rows.length - room));
      const shown = rows.slice(start, start + room).map((r) => listRow(r, paneWidth, t, me, r.id === selected?.id));
      const more = rows.length - (start + shown.length);
      if (more > 0 && shown.length === room) shown[shown.length - 1] = { text: fit(`  … ${more + 1} more below`, paneWidth), dim: true };
      return [{ text: listHeader(paneWidth), dim: true }, ...shown];
    };
    const detail = (paneWidth: number): Line[] => {
      if (!selected) return [];
      const all = detailLines(selected, paneWidth, { now: t, me, draft: s.drafts.get(selected.id) ?? null });
      const maxScroll = Math.max(0, all.length - bodyHeight);
      const offset = Math.min(s.scroll, maxScroll);
      const shown = all.slice(offset, offset + bodyHeight);
      if (offset + bodyHeight < all.length) shown[shown.length - 1] = { text: fit(`↓ ${all.length - offset - bodyHeight + 1} more lines: pgdn or space`, paneWidth), dim: true };
      return shown;
    };
    if (wide && showDetail) {
      body = (
        <Box flexDirection="row">
          <Lines lines={listLines(listWidth)} width={listWidth} color={color} />
          <Box width={3} flexDirection="column">
            {Array.from({ length: bodyHeight }, (_, i) => (
              <Text key={i} dimColor={color}>{' │ '}</Text>
            ))}
          </Box>
          <Lines lines={detail(detailWidth)} width={detailWidth} color={color} />
        </Box>
      );
    } else if (showDetail && !wide) {
      body = <Lines lines={detail(width)} width={width} color={color} />;
    } else {
      body = <Lines lines={listLines(width)} width={width} color={color} />;
    }
  }

  return (
    <Box flexDirection="column" width={width}>
      <Lines lines={top} width={width} color={color} />
      <Box height={bodyHeight} flexDirection="column">
        {body}
      </Box>
      <Lines lines={prompt} width={width} color={color} />
    </Box>
  );
}

/** Lines cut to `width`, colored only when color is on (NO_COLOR). */
function Lines({ lines, width, color }: { lines: Line[]; width: number; color: boolean }) {
  return (
    <Box flexDirection="column" width={width}>
      {lines.map((line, i) => (
        <Text key={i} wrap="truncate-end" bold={line.bold === true} {...(color && line.color ? { color: line.color } : {})} dimColor={color && line.dim === true}>
          {fit(line.text, width).trimEnd() || ' '}
        </Text>
      ))}
    </Box>
  );
}

// The lazily loaded parsers: libpg-query (Postgres's own parser, WASM) and tree-sitter-bash.
// Each loads on first use only, so commands that need neither never pay for them.
import { createRequire } from 'node:module';
import type { BashNode, Parsers } from './types.js';

type SqlParse = Parsers['sql'];
type BashParse = (text: string) => BashNode;

let sqlParser: Promise<SqlParse> | undefined;
let bashParser: Promise<BashParse> | undefined;

async function loadSql(): Promise<SqlParse> {
  const pg = await import('libpg-query');
  await pg.loadModule();
  return async (text: string) => pg.parseSync(text) as unknown as Awaited<ReturnType<SqlParse>>;
}

async function loadBash(): Promise<BashParse> {
  const { Parser, Language } = await import('web-tree-sitter');
  const require = createRequire(import.meta.url);
  await Parser.init();
  const language = await Language.load(require.resolve('tree-sitter-bash/tree-sitter-bash.wasm'));
  const parser = new Parser();
  parser.setLanguage(language);
  return (text: string) => {
    const tree = parser.parse(text);
    if (!tree) throw new Error('tree-sitter returned no tree');
    return tree.rootNode as unknown as BashNode;
  };
}

/** The process-wide lazy parsers. */
export const lazyParsers: Parsers = {
  async sql(text) {
    sqlParser ??= loadSql();
    return (await sqlParser)(text);
  },
  async bash(text) {
    bashParser ??= loadBash();
    return (await bashParser)(text);
  },
};

// dd and mkfs: the commands that overwrite disks. dd's `of=` names what it overwrites;
// mkfs formats its device (everything on it is gone).
import { opaqueFact } from '../opaque.js';
import { programName } from '../program.js';
import type { AnalyzeContext, Fact } from '../types.js';

const DD_OPERANDS = new Set(['if', 'of', 'bs', 'ibs', 'obs', 'cbs', 'count', 'skip', 'iseek', 'seek', 'oseek', 'conv', 'iflag', 'oflag', 'status']);
/** Device files that are not storage: writing to them destroys nothing. */
const HARMLESS_SINKS = /^\/dev\/(null|zero|stdout|stderr|tty|fd\/[12])$/;

/** Analyze `dd if=... of=... ...`. */
export function ddFacts(argv: string[], ctx: AnalyzeContext): Fact[] {
  const args = argv.slice(1);
  const operands = new Map<string, string>();
  for (const arg of args) {
    if (arg === '--help' || arg === '--version') return [{ program: 'dd', action: 'read' }];
    const eq = arg.indexOf('=');
    const key = eq === -1 ? arg : arg.slice(0, eq);
    if (eq === -1 || !DD_OPERANDS.has(key)) return [opaqueFact('dd', args, ctx.via, `unknown dd operand ${arg}`)];
    operands.set(key, arg.slice(eq + 1));
  }
  const input = operands.get('if');
  const output = operands.get('of');
  const fact: Fact = { program: 'dd', action: 'read' };
  if (input !== undefined) fact.input = input;
  if (output !== undefined && !HARMLESS_SINKS.test(output)) {
    Object.assign(fact, { action: 'write', output, path: output, target: output });
    if (output.startsWith('/dev/')) fact.device = true;
  }
  return [fact];
}

/** Analyze `mkfs [-t TYPE] [options] DEVICE` and `mkfs.TYPE [options] DEVICE`. */
export function mkfsFacts(argv: string[]): Fact[] {
  const program = programName(argv[0]!);
  const args = argv.slice(1);
  const fact: Fact = { program, action: 'delete' };
  const typeIndex = args.indexOf('-t');
  const fsType = program.includes('.') ? program.slice(program.indexOf('.') + 1) : typeIndex !== -1 ? args[typeIndex + 1] : undefined;
  if (fsType !== undefined) fact.fs_type = fsType.toLowerCase();
  // Option arities differ per filesystem; the device is the /dev path, else the last word.
  const words = args.filter((a) => !a.startsWith('-'));
  const device = words.find((w) => w.startsWith('/dev/')) ?? words.at(-1);
  if (device !== undefined) Object.assign(fact, { device, path: device, target: device });
  return [fact];
}

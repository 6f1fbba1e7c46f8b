import { Command } from 'commander';
import { RootsError } from '../errors/roots-error.ts';
import { linesForTerminal } from './terminal.ts';

type Register = (program: Command) => void;

/**
 * Every subcommand, by name, loaded only when needed: `roots measure` does not pay to load the
 * web server, the database drivers or the synthetic data generator. Help loads them all.
 */
const commands: Record<string, () => Promise<Register>> = {
  serve: async () => (await import('./commands/serve.command.ts')).registerServeCommand,
  db: async () => (await import('./commands/db.command.ts')).registerDbCommands,
  reference: async () => (await import('./commands/reference.command.ts')).registerReferenceCommands,
  import: async () => (await import('./commands/import.command.ts')).registerImportCommands,
  synth: async () => (await import('./commands/synth.command.ts')).registerSynthCommand,
  audit: async () => (await import('./commands/audit.command.ts')).registerAuditCommand,
  measure: async () => (await import('./commands/measure.command.ts')).registerMeasureCommand,
  token: async () => (await import('./commands/token.command.ts')).registerTokenCommands,
  service: async () => (await import('./commands/service.command.ts')).registerServiceCommands,
  'audit-trail': async () => (await import('./commands/audit-trail.command.ts')).registerAuditTrailCommands,
  person: async () => (await import('./commands/person.command.ts')).registerPersonCommands,
  user: async () => (await import('./commands/user.command.ts')).registerUserCommands,
  evidence: async () => (await import('./commands/evidence.command.ts')).registerEvidenceCommands,
  'business-case': async () => (await import('./commands/business-case.command.ts')).registerBusinessCaseCommands,
};

/**
 * The commands that act on records for someone: they take `--as EMAIL` (an active member of
 * staff, whose role and organisation the access policies check before any data is touched) and
 * otherwise act as the documented system actor `system:cli`. The rest (serve, db, reference,
 * synth, measure, service, token) are the operator's own tools and run as `system:cli` only.
 */
const actingCommands: ReadonlySet<string> = new Set(['import referrals', 'import fhir', 'audit', 'audit-trail export', 'person export', 'evidence list', 'evidence export', 'evidence import', 'evidence seed', 'business-case run']);

const commandPath = (command: Command): string => {
  const names: string[] = [];
  for (let at: Command | null = command; at?.parent; at = at.parent) names.unshift(at.name());
  return names.join(' ');
};

/** The `roots` command with the subcommand named in `argv` (or all of them, for help). */
export async function buildProgram(argv: readonly string[] = process.argv): Promise<Command> {
  const program = new Command('roots')
    .description('Roots: occupational therapy at the heart of health equity')
    .version('0.1.0')
    .option('--as <email>', 'act as this active member of staff (their role and organisation are checked); without it, commands act as the system actor system:cli')
    .showHelpAfterError()
    // An error can quote an argument (a file name): made terminal-safe like everything else.
    .configureOutput({ outputError: (text, write) => write(linesForTerminal(text)) })
    .exitOverride();
  const named = commandName(argv);
  const wanted = named !== undefined && named in commands ? [named] : Object.keys(commands);
  for (const name of wanted) (await commands[name]!())(program);
  program.hook('preAction', (_program, action) => {
    const path = commandPath(action);
    if (program.opts().as !== undefined && !actingCommands.has(path)) {
      throw new RootsError('BAD_REQUEST', {
        detail: `roots ${path} runs as the system actor (system:cli) and does not take --as; --as works with ${[...actingCommands].map((name) => `roots ${name}`).join(', ')}.`,
      });
    }
  });
  return program;
}

/** The subcommand's name: the first argument after `roots` that is not `--as EMAIL` (or `--as=EMAIL`). */
function commandName(argv: readonly string[]): string | undefined {
  for (let index = 2; index < argv.length; index++) {
    const arg = argv[index]!;
    if (arg === '--as') index++;
    else if (!arg.startsWith('--as=')) return arg;
  }
  return undefined;
}

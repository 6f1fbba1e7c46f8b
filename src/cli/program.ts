import { Command } from 'commander';
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
};

/** The `roots` command with the subcommand named in `argv` (or all of them, for help). */
export async function buildProgram(argv: readonly string[] = process.argv): Promise<Command> {
  const program = new Command('roots')
    .description('Roots: occupational therapy at the heart of health equity')
    .version('0.1.0')
    .showHelpAfterError()
    // An error can quote an argument (a file name): made terminal-safe like everything else.
    .configureOutput({ outputError: (text, write) => write(linesForTerminal(text)) })
    .exitOverride();
  const named = argv[2];
  const wanted = named !== undefined && named in commands ? [named] : Object.keys(commands);
  for (const name of wanted) (await commands[name]!())(program);
  return program;
}

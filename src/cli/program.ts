import { Command } from 'commander';
import { registerAuditCommand } from './commands/audit.command.ts';
import { registerDbCommands } from './commands/db.command.ts';
import { registerReferenceCommands } from './commands/reference.command.ts';
import { registerImportCommands } from './commands/import.command.ts';
import { registerMeasureCommand } from './commands/measure.command.ts';
import { registerServeCommand } from './commands/serve.command.ts';
import { registerTokenCommands } from './commands/token.command.ts';
import { registerSynthCommand } from './commands/synth.command.ts';

/** The `roots` command and every subcommand, wired in one place. */
export function buildProgram(): Command {
  const program = new Command('roots')
    .description('Roots: occupational therapy at the heart of health equity')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();
  registerDbCommands(program);
  registerReferenceCommands(program);
  registerImportCommands(program);
  registerServeCommand(program);
  registerMeasureCommand(program);
  registerAuditCommand(program);
  registerTokenCommands(program);
  registerSynthCommand(program);
  return program;
}

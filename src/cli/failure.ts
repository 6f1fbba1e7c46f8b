import { CommanderError } from 'commander';
import { errorCatalogue } from '../errors/catalogue.ts';
import { isRootsError } from '../errors/roots-error.ts';
import { forTerminal, linesForTerminal } from './terminal.ts';

/**
 * Prints a failed command's error for a person (no stack trace) and returns its exit code from
 * the error catalogue. Set ROOTS_DEBUG=1 to see the stack of an unexpected error. Details and
 * problems can quote a file (its name, header, cells): they go through `forTerminal`.
 */
export function reportFailure(error: unknown, stderr: NodeJS.WritableStream = process.stderr): number {
  // Commander has already printed the usage message; help and --version exit 0.
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : errorCatalogue.BAD_REQUEST.exitCode;
  if (isRootsError(error)) {
    stderr.write(`roots: ${error.title}${error.detail && error.detail !== error.title ? `: ${forTerminal(error.detail)}` : ''} [${error.code}]\n`);
    for (const problem of error.problems.slice(0, 20)) {
      const where = [problem.row !== undefined ? `row ${problem.row}` : '', problem.field ?? ''].filter(Boolean).join(', ');
      stderr.write(`  - ${forTerminal(`${where ? `${where}: ` : ''}${problem.reason}`)}\n`);
    }
    if (error.problems.length > 20) stderr.write(`  ... and ${error.problems.length - 20} more\n`);
    return error.exitCode;
  }
  stderr.write(`roots: ${errorCatalogue.INTERNAL.title}: ${forTerminal((error as Error)?.message ?? String(error))} [INTERNAL]\n`);
  if (process.env.ROOTS_DEBUG) stderr.write(`${linesForTerminal((error as Error)?.stack ?? '')}\n`);
  return errorCatalogue.INTERNAL.exitCode;
}

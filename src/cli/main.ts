import { buildProgram } from './program.ts';
import { reportFailure } from './failure.ts';

try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  process.exitCode = reportFailure(error);
}

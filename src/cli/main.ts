import { buildProgram } from './program.ts';
import { reportFailure } from './failure.ts';

try {
  await (await buildProgram(process.argv)).parseAsync(process.argv);
} catch (error) {
  process.exitCode = reportFailure(error);
}

import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { runBusinessCase } from '../../economics/business-case.service.ts';
import { RootsError } from '../../errors/roots-error.ts';
import { asOption, resolveCliActor } from '../actor.ts';
import { withStore } from '../context.ts';
import { openOutput } from '../output.ts';

/** `roots business-case run SCENARIO.json`: the business case of a scenario, for analysts. */
export function registerBusinessCaseCommands(program: Command): void {
  const businessCase = program.command('business-case').description('business cases from the evidence register and the service\'s own outcomes');
  businessCase
    .command('run')
    .argument('<scenario>', 'a scenario file (JSON; see docs/examples/business-case-gp-practice.json)')
    .option('--format <format>', 'json', 'json')
    .option('--out <file>', 'where to write (default: standard output)')
    .option('--today <date>', 'the day the run is made (YYYY-MM-DD; default today)')
    .description('net present value, benefit-cost ratio, payback, switching value, who pays and who gains, tornado and (when the scenario asks) the probabilistic run; every input with its source')
    .action(async (file: string, raw: { format: string; out?: string; today?: string }, command: Command) => {
      if (raw.format !== 'json') throw new RootsError('BAD_REQUEST', { detail: `--format ${raw.format}: only json is available from the command line so far.` });
      let data: unknown;
      try {
        data = JSON.parse(await readFile(file, 'utf8'));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new RootsError('FILE_NOT_FOUND', { detail: `${file} cannot be read.` });
        throw new RootsError('FORMAT_NOT_RECOGNISED', { detail: `${file} is not JSON.` });
      }
      await withStore(async (store) => {
        const actor = await resolveCliActor(store.db, asOption(command));
        const report = await runBusinessCase(store.db, actor, data, raw.today ?? new Date().toISOString().slice(0, 10));
        const output = openOutput(raw.out);
        await output.write(`${JSON.stringify(report, null, 2)}\n`).finally(() => output.close());
      });
    });
}

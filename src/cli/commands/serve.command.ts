import type { Command } from 'commander';
import { describeDatabase, loadConfig } from '../../config/config.ts';
import { startServer, stopOnSignals } from '../../http/server.ts';
import { createLogger } from '../../logging/logger.ts';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('start the Roots web application (first run: schema, reference data, demo service)')
    .action(async () => {
      const started = Date.now();
      const config = loadConfig();
      const logger = createLogger(config.logLevel);
      const server = await startServer(config, logger);
      stopOnSignals(server, config, logger);
      const lines = [
        '',
        `Roots is running at ${server.url}  (${describeDatabase(config)}, ready in ${((Date.now() - started) / 1000).toFixed(1)} s)`,
      ];
      if (server.firstRun.signIn) {
        lines.push(`Demo sign-in (password for every demo user: ${server.firstRun.signIn.password}):`);
        for (const user of server.firstRun.signIn.users) lines.push(`  ${user.role.padEnd(13)} ${user.email}${user.organisation ? ` (${user.organisation})` : ''}`);
        lines.push(`(kept in ${server.firstRun.signInFile})`);
      }
      lines.push('Press Ctrl+C to stop.', '');
      process.stderr.write(lines.join('\n'));
    });
}

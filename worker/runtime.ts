import { type LogLevel, type LogMetadata, Runtime } from '@temporalio/worker';
import type { Logger } from '../core/logger.js';

let installed = false;

/**
 * Routes the Temporal SDK's own logs (worker lifecycle, workflow `log` calls) into our pino
 * logger. The runtime is process-wide and can be installed only once.
 */
export function installTemporalRuntime(log: Logger): void {
  if (installed) return;
  installed = true;
  const temporalLog = log.child({ component: 'temporal' });
  const write = (level: LogLevel, message: string, meta?: LogMetadata) => {
    const method = ({ TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const)[
      level
    ];
    temporalLog[method](meta ?? {}, message);
  };
  Runtime.install({
    logger: {
      log: write,
      trace: (message, meta) => write('TRACE', message, meta),
      debug: (message, meta) => write('DEBUG', message, meta),
      info: (message, meta) => write('INFO', message, meta),
      warn: (message, meta) => write('WARN', message, meta),
      error: (message, meta) => write('ERROR', message, meta),
    },
  });
}

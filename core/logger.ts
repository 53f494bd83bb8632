import pino, { type Logger } from 'pino';
import type { Config } from './config.js';

export type { Logger } from 'pino';

/**
 * Structured JSON logs for machines; pino-pretty when a person is watching a terminal
 * (or LOG_FORMAT=pretty), so `npm start` stays readable.
 */
export function createLogger(
  config: Pick<Config, 'LOG_LEVEL' | 'LOG_FORMAT'>,
  name = 'grantflow',
  /** Where logs go; stderr for commands whose stdout is their answer (`temporal binary`). */
  to: 'stdout' | 'stderr' = 'stdout',
): Logger {
  const fd = to === 'stdout' ? 1 : 2;
  const pretty = config.LOG_FORMAT ? config.LOG_FORMAT === 'pretty' : process[to].isTTY === true;
  if (!pretty) return pino({ name, level: config.LOG_LEVEL }, pino.destination(fd));
  return pino({
    name,
    level: config.LOG_LEVEL,
    transport: {
      target: 'pino-pretty',
      options: { colorize: true, translateTime: 'HH:MM:ss', ignore: 'pid,hostname', destination: fd },
    },
  });
}

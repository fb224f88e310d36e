// Structured logs as JSON lines on stderr, so stdout stays free for command output.
import type { Logger } from '../api/dispatcher.ts';

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 } as const;
export type LogLevel = keyof typeof LEVELS;

export function createLogger(
  name: string,
  level: LogLevel = (process.env.HASHLOCK_LOG as LogLevel | undefined) ?? 'info',
  write: (line: string) => void = (l) => process.stderr.write(l + '\n'),
): Logger & { child(sub: string): Logger } {
  const min = LEVELS[level] ?? LEVELS.info;
  const emit = (lvl: LogLevel, msg: string, data?: Record<string, unknown>) => {
    if (LEVELS[lvl] < min) return;
    write(
      JSON.stringify({ t: new Date().toISOString(), lvl, name, msg, ...data }, (_k, v: unknown) =>
        typeof v === 'bigint' ? v.toString() : v,
      ),
    );
  };
  return {
    info: (m, d) => emit('info', m, d),
    warn: (m, d) => emit('warn', m, d),
    error: (m, d) => emit('error', m, d),
    child: (sub) => createLogger(`${name}.${sub}`, level, write),
  };
}

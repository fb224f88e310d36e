// Structured logs as JSON lines on stderr, so stdout stays free for command output. Every part
// of the node receives a Logger; none creates its own.

export interface Logger {
  info(msg: string, data?: Record<string, unknown>): void;
  warn(msg: string, data?: Record<string, unknown>): void;
  error(msg: string, data?: Record<string, unknown>): void;
}

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

/** A logger that drops everything (unit tests). */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

/** An error's words for a log line or a message. */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

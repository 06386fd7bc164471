/** A structured JSON line logger; never give it message text, cookies or secrets. */
export type Logger = Record<
  "debug" | "info" | "warn" | "error",
  (msg: string, fields?: object) => void
>;

const ranks = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 } as const;

/** Writes one JSON object per line to stdout (info and below) or stderr (warn and up). */
export function createLogger(level: keyof typeof ranks): Logger {
  const write = (name: Exclude<keyof typeof ranks, "silent">) => (msg: string, fields?: object) => {
    if (ranks[name] < ranks[level]) return;
    const line = JSON.stringify({ time: new Date().toISOString(), level: name, msg, ...fields });
    (ranks[name] >= ranks.warn ? process.stderr : process.stdout).write(`${line}\n`);
  };
  return { debug: write("debug"), info: write("info"), warn: write("warn"), error: write("error") };
}

import pino from "pino";

/** A structured JSON line logger; never give it message text, cookies or secrets. */
export type Logger = Record<
  "debug" | "info" | "warn" | "error",
  (msg: string, fields?: object) => void
>;

/**
 * pino writing one JSON object per line to stdout. Keys that could carry
 * private data are redacted as a second line of defence.
 */
export function createLogger(level: "debug" | "info" | "warn" | "error" | "silent"): Logger {
  const log = pino({
    level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: {
      paths: [
        "cookie",
        "password",
        "secret",
        "token",
        "text",
        "*.cookie",
        "*.password",
        "*.token",
        "*.text",
      ],
      censor: "[redacted]",
    },
  });
  const at =
    (name: keyof Logger) =>
    (msg: string, fields?: object): void => {
      log[name](fields ?? {}, msg);
    };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

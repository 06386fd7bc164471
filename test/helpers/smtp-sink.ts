import type { AddressInfo } from "node:net";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

/** One message the sink accepted, parsed, with when it arrived. */
export type ReceivedMail = { to: string[]; parsed: ParsedMail; receivedAt: number };

/**
 * A real SMTP server on loopback for the email tests (smtp-server): any
 * user and password are accepted, no STARTTLS (plain smtp:// as a test
 * relay would be), every accepted message parsed with mailparser.
 * `refuseNext(n)` answers the next n messages with 550.
 */
export async function startSmtpSink() {
  const received: ReceivedMail[] = [];
  const waiters = new Set<() => void>();
  let refuse = 0;
  let refused = 0;
  const server = new SMTPServer({
    disabledCommands: ["STARTTLS"],
    authOptional: true,
    logger: false,
    onAuth(_auth, _session, callback) {
      callback(null, { user: "test" });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        if (refuse > 0) {
          refuse -= 1;
          refused += 1;
          const error = Object.assign(new Error("mailbox unavailable (test refusal)"), {
            responseCode: 550,
          });
          callback(error);
          return;
        }
        const receivedAt = Date.now();
        simpleParser(Buffer.concat(chunks))
          .then((parsed) => {
            received.push({
              to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
              parsed,
              receivedAt,
            });
            for (const wake of waiters) wake();
            callback();
          })
          .catch((error: Error) => callback(error));
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;

  const to = (address: string) => received.filter((m) => m.to.includes(address.toLowerCase()));

  /** Resolves once `count` messages to the address arrived (rejects after timeoutMs). */
  function waitFor(address: string, count = 1, timeoutMs = 20_000): Promise<ReceivedMail[]> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const mails = to(address);
        if (mails.length < count) return false;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(mails);
        return true;
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no ${count} mail(s) to ${address} within ${timeoutMs} ms`));
      }, timeoutMs);
      if (!check()) waiters.add(check);
    });
  }

  return {
    port,
    url: `smtp://parley:secret@127.0.0.1:${port}`,
    received,
    to,
    waitFor,
    refuseNext(count: number) {
      refuse = count;
    },
    refusedCount: () => refused,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type SmtpSink = Awaited<ReturnType<typeof startSmtpSink>>;

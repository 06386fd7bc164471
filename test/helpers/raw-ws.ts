// A websocket client written against RFC 6455 with node:net only, so tests
// can send what no websocket library would: bad opcodes, unmasked frames,
// oversized control frames, broken UTF-8. Frames are built and parsed here.
import { createHash, randomBytes } from "node:crypto";
import { connect as netConnect, type Socket } from "node:net";

export const Opcode = {
  continuation: 0x0,
  text: 0x1,
  binary: 0x2,
  close: 0x8,
  ping: 0x9,
  pong: 0xa,
} as const;

const HANDSHAKE_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/** Sec-WebSocket-Accept for a Sec-WebSocket-Key (RFC 6455 §4.2.2). */
export function acceptFor(key: string): string {
  return createHash("sha1").update(`${key}${HANDSHAKE_GUID}`).digest("base64");
}

export type FrameOptions = {
  opcode: number;
  payload?: Buffer | string;
  /** FIN bit; false makes a non-final fragment. Default true. */
  fin?: boolean;
  rsv1?: boolean;
  rsv2?: boolean;
  rsv3?: boolean;
  /** Clients must mask (default true); false builds an unmasked frame. */
  mask?: boolean;
  /** A fixed masking key (4 bytes); random by default. */
  maskKey?: Buffer;
};

/** Builds one frame, masked as a client must unless `mask: false`. */
export function buildFrame(options: FrameOptions): Buffer {
  const { opcode, fin = true, rsv1 = false, rsv2 = false, rsv3 = false, mask = true } = options;
  const payload =
    typeof options.payload === "string"
      ? Buffer.from(options.payload, "utf8")
      : (options.payload ?? Buffer.alloc(0));
  const length = payload.length;
  const lengthBytes = length < 126 ? 0 : length <= 0xffff ? 2 : 8;
  const header = Buffer.alloc(2 + lengthBytes + (mask ? 4 : 0));
  header[0] =
    (fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | (rsv2 ? 0x20 : 0) | (rsv3 ? 0x10 : 0) | (opcode & 0xf);
  const maskBit = mask ? 0x80 : 0;
  if (lengthBytes === 0) header[1] = maskBit | length;
  else if (lengthBytes === 2) {
    header[1] = maskBit | 126;
    header.writeUInt16BE(length, 2);
  } else {
    header[1] = maskBit | 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  if (!mask) return Buffer.concat([header, payload]);
  const key = options.maskKey ?? randomBytes(4);
  key.copy(header, 2 + lengthBytes);
  const masked = Buffer.alloc(length);
  for (let i = 0; i < length; i++) masked[i] = (payload[i] ?? 0) ^ (key[i % 4] ?? 0);
  return Buffer.concat([header, masked]);
}

/** A close frame's payload: a 2-byte code, then an optional UTF-8 (or raw) reason. */
export function closePayload(code: number, reason: Buffer | string = ""): Buffer {
  const head = Buffer.alloc(2);
  head.writeUInt16BE(code);
  return Buffer.concat([head, typeof reason === "string" ? Buffer.from(reason) : reason]);
}

export type ParsedFrame = {
  fin: boolean;
  rsv1: boolean;
  rsv2: boolean;
  rsv3: boolean;
  opcode: number;
  masked: boolean;
  payload: Buffer;
};

/** Parses frames from a byte stream fed in arbitrary chunks. */
export class FrameParser {
  #buffer = Buffer.alloc(0);

  /** Adds bytes; returns every frame now complete, in order. */
  push(chunk: Buffer): ParsedFrame[] {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    const frames: ParsedFrame[] = [];
    for (;;) {
      const frame = this.#take();
      if (!frame) return frames;
      frames.push(frame);
    }
  }

  /** Bytes received that do not yet make a whole frame. */
  get pending(): number {
    return this.#buffer.length;
  }

  #take(): ParsedFrame | undefined {
    const buf = this.#buffer;
    if (buf.length < 2) return undefined;
    const b0 = buf[0] ?? 0;
    const b1 = buf[1] ?? 0;
    const masked = (b1 & 0x80) !== 0;
    let length = b1 & 0x7f;
    let offset = 2;
    if (length === 126) {
      if (buf.length < 4) return undefined;
      length = buf.readUInt16BE(2);
      offset = 4;
    } else if (length === 127) {
      if (buf.length < 10) return undefined;
      const big = buf.readBigUInt64BE(2);
      if (big > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`absurd frame length ${big}`);
      length = Number(big);
      offset = 10;
    }
    const key = masked ? buf.subarray(offset, offset + 4) : undefined;
    if (masked) offset += 4;
    if (buf.length < offset + length) return undefined;
    const payload = Buffer.from(buf.subarray(offset, offset + length));
    if (key)
      for (let i = 0; i < payload.length; i++) payload[i] = (payload[i] ?? 0) ^ (key[i % 4] ?? 0);
    this.#buffer = buf.subarray(offset + length);
    return {
      fin: (b0 & 0x80) !== 0,
      rsv1: (b0 & 0x40) !== 0,
      rsv2: (b0 & 0x20) !== 0,
      rsv3: (b0 & 0x10) !== 0,
      opcode: b0 & 0x0f,
      masked,
      payload,
    };
  }
}

export type Handshake = {
  status: number;
  /** Response headers, names in lower case. */
  headers: Record<string, string>;
  /** The Sec-WebSocket-Key sent ("" if none). */
  key: string;
  /** What followed the head of a non-101 response (as far as received). */
  body: string;
};

export type CloseInfo = { code: number | undefined; reason: string };

/**
 * One raw websocket connection: the handshake done by hand, then frames in
 * and out. Every wait is bounded and rejects with what was received.
 */
export class RawWebSocket {
  readonly frames: ParsedFrame[] = [];
  /** Frames not yet taken by next(). */
  #cursor = 0;
  #waiters: (() => void)[] = [];
  readonly errors: Error[] = [];
  /** Resolves when the server ends the TCP connection (FIN) or it closes. */
  readonly ended: Promise<void>;
  #ended = false;

  private constructor(
    readonly socket: Socket,
    readonly handshake: Handshake,
    parser: FrameParser,
    rest: Buffer,
  ) {
    const take = (chunk: Buffer) => {
      this.frames.push(...parser.push(chunk));
      this.#wake();
    };
    this.ended = new Promise((resolve) => {
      const done = () => {
        this.#ended = true;
        this.#wake();
        resolve();
      };
      socket.once("end", done);
      socket.once("close", done);
    });
    socket.on("data", take);
    socket.on("error", (error) => this.errors.push(error));
    if (rest.length > 0) take(rest);
  }

  #wake() {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }

  /**
   * Connects to `${baseUrl}/_ws`, sends the upgrade request by hand and reads
   * the response head. Resolves on any status; the caller checks it.
   * `headers` add to or replace the standard upgrade headers (matched
   * case-insensitively); `null` leaves one out. `pipelined` bytes (frames)
   * go out in the same write as the request, before any response.
   */
  static async open(
    baseUrl: string,
    headers: Record<string, string | null>,
    options: { timeoutMs?: number; pipelined?: Buffer } = {},
  ): Promise<RawWebSocket> {
    const { timeoutMs = 5_000, pipelined } = options;
    const url = new URL(baseUrl);
    const merged = new Map<string, [string, string | null]>();
    const set = (name: string, value: string | null) =>
      merged.set(name.toLowerCase(), [name, value]);
    set("Host", url.host);
    set("Upgrade", "websocket");
    set("Connection", "Upgrade");
    set("Sec-WebSocket-Key", randomBytes(16).toString("base64"));
    set("Sec-WebSocket-Version", "13");
    for (const [name, value] of Object.entries(headers)) set(name, value);
    const key = merged.get("sec-websocket-key")?.[1] ?? "";
    const socket = netConnect({ host: url.hostname, port: Number(url.port) });
    socket.setNoDelay(true);
    const requestLines = [...merged.values()].flatMap(([name, value]) =>
      value === null ? [] : [`${name}: ${value}`],
    );
    const request = ["GET /_ws HTTP/1.1", ...requestLines, "", ""].join("\r\n");
    const { head, rest } = await new Promise<{ head: string; rest: Buffer }>((resolve, reject) => {
      let received = Buffer.alloc(0);
      const timer = setTimeout(() => {
        cleanup();
        socket.destroy();
        reject(new Error(`no upgrade response within ${timeoutMs} ms: ${received}`));
      }, timeoutMs);
      const onData = (chunk: Buffer) => {
        received = Buffer.concat([received, chunk]);
        const end = received.indexOf("\r\n\r\n");
        if (end < 0) return;
        cleanup();
        resolve({
          head: received.subarray(0, end).toString("latin1"),
          rest: received.subarray(end + 4),
        });
      };
      const onError = (error: Error) => {
        cleanup();
        reject(error);
      };
      const onClose = () => {
        cleanup();
        reject(new Error(`connection closed before the upgrade response: ${received}`));
      };
      const cleanup = () => {
        clearTimeout(timer);
        socket.off("data", onData);
        socket.off("error", onError);
        socket.off("close", onClose);
      };
      socket.on("data", onData);
      socket.on("error", onError);
      socket.on("close", onClose);
      socket.write(pipelined ? Buffer.concat([Buffer.from(request), pipelined]) : request);
    });
    const [statusLine = "", ...lines] = head.split("\r\n");
    const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1] ?? 0);
    const parsedHeaders: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(":");
      if (colon > 0) {
        parsedHeaders[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
    }
    // Only a 101 is followed by frames; anything else is an HTTP body.
    const upgraded = status === 101;
    const handshake = { status, headers: parsedHeaders, key, body: upgraded ? "" : String(rest) };
    return new RawWebSocket(
      socket,
      handshake,
      new FrameParser(),
      upgraded ? rest : Buffer.alloc(0),
    );
  }

  /** Writes bytes as they are (a whole frame, part of one, or several). */
  write(bytes: Buffer): void {
    if (!this.socket.destroyed) this.socket.write(bytes);
  }

  /** Builds and writes one frame (masked unless told otherwise). */
  sendFrame(options: FrameOptions): void {
    this.write(buildFrame(options));
  }

  /** Sends a JSON value as one masked text frame. */
  sendJson(value: unknown): void {
    this.sendFrame({ opcode: Opcode.text, payload: JSON.stringify(value) });
  }

  /** The next frame not yet taken, waiting up to `timeoutMs`. */
  async next(timeoutMs = 3_000): Promise<ParsedFrame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const frame = this.frames[this.#cursor];
      if (frame) {
        this.#cursor++;
        return frame;
      }
      if (this.#ended) throw new Error(`connection ended; frames: ${describe(this.frames)}`);
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`no frame within ${timeoutMs} ms; frames: ${describe(this.frames)}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The next frame that matches, skipping others (e.g. presence broadcasts). */
  async nextWhere(match: (f: ParsedFrame) => boolean, timeoutMs = 3_000): Promise<ParsedFrame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const frame = await this.next(Math.max(1, deadline - Date.now()));
      if (match(frame)) return frame;
    }
  }

  /** The next text frame whose JSON matches, skipping other frames. */
  async nextJson(
    match: (value: { type?: string; [key: string]: unknown }) => boolean,
    timeoutMs = 3_000,
  ): Promise<{ type?: string; [key: string]: unknown }> {
    const frame = await this.nextWhere(
      (f) => f.opcode === Opcode.text && match(JSON.parse(f.payload.toString("utf8"))),
      timeoutMs,
    );
    return JSON.parse(frame.payload.toString("utf8"));
  }

  /** Waits for the server's close frame, skipping data frames before it. */
  async nextClose(timeoutMs = 3_000): Promise<CloseInfo> {
    const frame = await this.nextWhere((f) => f.opcode === Opcode.close, timeoutMs);
    return parseClose(frame.payload);
  }

  /** Resolves true once the server has ended the TCP connection, false after `timeoutMs`. */
  async endsWithin(timeoutMs = 3_000): Promise<boolean> {
    if (this.#ended) return true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const result = await Promise.race([this.ended.then(() => true), timeout]);
    clearTimeout(timer);
    return result;
  }

  get isEnded(): boolean {
    return this.#ended;
  }

  destroy(): void {
    this.socket.destroy();
  }
}

export function parseClose(payload: Buffer): CloseInfo {
  if (payload.length < 2) return { code: undefined, reason: "" };
  return { code: payload.readUInt16BE(0), reason: payload.subarray(2).toString("utf8") };
}

function describe(frames: ParsedFrame[]): string {
  return JSON.stringify(
    frames.map((f) => ({
      opcode: f.opcode,
      fin: f.fin,
      payload:
        f.opcode === Opcode.close
          ? parseClose(f.payload)
          : f.payload.toString("utf8").slice(0, 200),
    })),
  );
}

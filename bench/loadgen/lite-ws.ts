// A minimal WebSocket client for the load generator. Fan-out to a thousand
// sockets makes the client process read a thousand frames per message, and
// on a 2-core machine it shares the cores with the server under test: the
// leaner the client, the higher the rate at which the server (not the
// client) is what gives. This one parses frames straight from the TCP
// chunks and hands the payload over as bytes; it sends with a zero mask
// (a valid key: XOR with it is the identity, so nothing is copied twice).
// The `ws` package remains available as BENCH_CLIENT=ws for comparison.
import { randomBytes } from "node:crypto";
import { connect } from "node:net";

export type LiteSocket = { send(text: string): void; close(): void };
export type OnPayload = (data: Buffer, start: number, end: number) => void;

const OP_CONT = 0x0;
const OP_TEXT = 0x1;
const OP_CLOSE = 0x8;
const OP_PING = 0x9;
const OP_PONG = 0xa;

/** A masked client frame (mask key 0000) of `payload`. */
function frame(opcode: number, payload: Buffer | string): Buffer {
  const length = typeof payload === "string" ? Buffer.byteLength(payload) : payload.length;
  const head = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const out = Buffer.allocUnsafe(head + 4 + length);
  out[0] = 0x80 | opcode;
  if (head === 2) out[1] = 0x80 | length;
  else if (head === 4) {
    out[1] = 0x80 | 126;
    out.writeUInt16BE(length, 2);
  } else {
    out[1] = 0x80 | 127;
    out.writeBigUInt64BE(BigInt(length), 2);
  }
  out.writeUInt32BE(0, head);
  if (typeof payload === "string") out.write(payload, head + 4, "utf8");
  else payload.copy(out, head + 4);
  return out;
}

/** Opens `url` (ws://) with extra request headers; resolves after the 101. */
export function openLite(
  url: string,
  headers: Record<string, string>,
  onPayload: OnPayload,
): Promise<LiteSocket> {
  const { hostname, port, pathname, search } = new URL(url);
  const socket = connect({ host: hostname, port: Number(port) });
  socket.setNoDelay(true);
  const lite: LiteSocket = {
    send: (text) => void socket.write(frame(OP_TEXT, text)),
    close: () => socket.destroy(),
  };
  let pending: Buffer | undefined;
  let fragments: Buffer[] = [];

  // Frames from a server are never masked; a partial frame waits in `pending`.
  const onData = (chunk: Buffer) => {
    const buf = pending ? Buffer.concat([pending, chunk]) : chunk;
    let off = 0;
    while (buf.length - off >= 2) {
      const b0 = buf[off] as number;
      let length = (buf[off + 1] as number) & 0x7f;
      let head = 2;
      if (length === 126) {
        if (buf.length - off < 4) break;
        length = buf.readUInt16BE(off + 2);
        head = 4;
      } else if (length === 127) {
        if (buf.length - off < 10) break;
        length = Number(buf.readBigUInt64BE(off + 2));
        head = 10;
      }
      const start = off + head;
      const end = start + length;
      if (end > buf.length) break;
      const opcode = b0 & 0x0f;
      const fin = (b0 & 0x80) !== 0;
      if (opcode === OP_TEXT || opcode === OP_CONT || opcode === 0x2) {
        if (fin && fragments.length === 0) onPayload(buf, start, end);
        else {
          fragments.push(buf.subarray(start, end));
          if (fin) {
            const whole = Buffer.concat(fragments);
            fragments = [];
            onPayload(whole, 0, whole.length);
          }
        }
      } else if (opcode === OP_PING) {
        socket.write(frame(OP_PONG, buf.subarray(start, end)));
      } else if (opcode === OP_CLOSE) {
        socket.destroy();
        return;
      }
      off = end;
    }
    pending = off < buf.length ? buf.subarray(off) : undefined;
  };

  return new Promise((resolve, reject) => {
    let head = "";
    const onHandshake = (chunk: Buffer) => {
      head += chunk.toString("latin1");
      const end = head.indexOf("\r\n\r\n");
      if (end < 0) return;
      socket.off("data", onHandshake);
      const status = head.slice(9, 12);
      if (status !== "101") {
        socket.destroy();
        reject(new Error(`upgrade ${status}`));
        return;
      }
      socket.on("data", onData);
      resolve(lite);
      // Frames that came in the same chunk as the response headers.
      const rest = Buffer.from(head.slice(end + 4), "latin1");
      if (rest.length > 0) onData(rest);
    };
    socket.on("data", onHandshake);
    // After the upgrade an error (a server stopping) just ends the socket.
    socket.on("error", reject);
    const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`);
    socket.write(
      `GET ${pathname}${search} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\n` +
        `Connection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString("base64")}\r\n` +
        `Sec-WebSocket-Version: 13\r\n${extra.join("")}\r\n`,
    );
  });
}

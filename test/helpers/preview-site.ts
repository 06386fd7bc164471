import http from "node:http";
import type { AddressInfo } from "node:net";

/** What a test site answers for one path: a status, headers and a body, maybe late. */
export type Route = (request: http.IncomingMessage, response: http.ServerResponse) => void;

/**
 * A tiny HTTP site on loopback for link-preview tests that records every
 * request it gets (so a test can show a refused target saw none).
 */
export type TestSite = {
  url: string;
  port: number;
  /** Every path requested, in order. */
  hits: string[];
  /** The Host header of each request, in order. */
  hosts: string[];
  route(path: string, handler: Route): void;
  close(): Promise<void>;
};

export async function startSite(host = "127.0.0.1"): Promise<TestSite> {
  const routes = new Map<string, Route>();
  const hits: string[] = [];
  const hosts: string[] = [];
  const server = http.createServer((request, response) => {
    const path = request.url ?? "/";
    hits.push(path);
    hosts.push(request.headers.host ?? "");
    const handler = routes.get(path.split("?")[0] ?? path);
    if (handler) return handler(request, response);
    // Any unknown path is still a page worth previewing: a refused target must not be fetched at all.
    html(`<title>Secret ${path}</title><meta property="og:title" content="Secret">`)(
      request,
      response,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  const shown = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}`,
    port,
    hits,
    hosts,
    route: (path, handler) => routes.set(path, handler),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Answers an HTML page whose <head> holds `head`. */
export function html(head: string, body = "<p>The page.</p>"): Route {
  return (_request, response) => {
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    response.end(`<!doctype html><html><head>${head}</head><body>${body}</body></html>`);
  };
}

/** Answers a redirect to `location`. */
export function redirect(location: string, status = 302): Route {
  return (_request, response) => {
    response.writeHead(status, { location });
    response.end();
  };
}

/** Answers raw bytes with a content type. */
export function bytes(contentType: string, body: Buffer | string): Route {
  return (_request, response) => {
    response.writeHead(200, { "content-type": contentType });
    response.end(body);
  };
}

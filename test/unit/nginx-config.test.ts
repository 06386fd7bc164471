import { describe, expect, it } from "vitest";
import { nginxConfig } from "../../scripts/lib/cluster.ts";

// npm run cluster and the chaos test run nginx with a config derived from
// deploy/nginx.conf: the committed file stays the one source of its rules.
describe("the generated nginx config", () => {
  it("is deploy/nginx.conf with the cluster's upstreams, port and paths", () => {
    const conf = nginxConfig({ listenPort: 4100, upstreams: [4101, 4102], prefix: "/tmp/x" });
    expect(conf).toContain("listen 127.0.0.1:4100;");
    expect(conf).toContain("server 127.0.0.1:4101 max_fails=1 fail_timeout=2s;");
    expect(conf).toContain("server 127.0.0.1:4102 max_fails=1 fail_timeout=2s;");
    expect(conf).not.toContain("127.0.0.1:3001");
    expect(conf).toContain("pid /tmp/x/nginx.pid;");
    expect(conf).toContain("proxy_set_header Upgrade $http_upgrade;");
    expect(() => nginxConfig({ listenPort: 1, upstreams: [2], prefix: "/", template: "" })).toThrow(
      /upstream line/,
    );
  });
});

import { describe, expect, it } from "vitest";
import { createAdmission } from "../../src/server/ws/admission.server";

const limits = { ratePerSecond: 10, rateBurst: 20, socketsPerUser: 2, socketsPerIp: 3 };

describe("socket slots", () => {
  it("a held slot counts toward both caps until released", () => {
    const admission = createAdmission(limits);
    const a = admission.hold("u1", "1.2.3.4");
    admission.hold("u1", "1.2.3.4");
    expect(admission.refusal("u1", "1.2.3.4")).toMatch(/this user/);
    admission.hold("u2", "1.2.3.4");
    expect(admission.refusal("u3", "1.2.3.4")).toMatch(/this address/);
    a();
    expect(admission.refusal("u1", "1.2.3.4")).toBeNull();
  });

  it("releasing twice (TCP close, then the close hook) frees one slot", () => {
    const admission = createAdmission(limits);
    const a = admission.hold("u1", "ip");
    admission.hold("u1", "ip");
    a();
    a();
    expect(admission.held()).toEqual({ users: 1, ips: 1, sockets: 1 });
    expect(admission.refusal("u1", "ip")).toBeNull();
  });

  it("forgets users and addresses with no slot left", () => {
    const admission = createAdmission(limits);
    const releases = [admission.hold("u1", "a"), admission.hold("u2", "b")];
    for (const release of releases) release();
    expect(admission.held()).toEqual({ users: 0, ips: 0, sockets: 0 });
  });
});

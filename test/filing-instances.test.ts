// Several server instances, each with its own Digipoort simulator: the simulator's messages live in
// the database, so a status poll reaching another instance than the submitting one still finds them.
import {
  CreateVatReturnDocument,
  FilingDocument,
  FilingStatus,
  RequestFilingApprovalDocument,
  SubmitFilingDocument,
  UpdateAdministrationDocument,
  ApproveFilingDocument,
  unwrap,
} from "@portaldesk/sdk";
import type { FilingFieldsFragment } from "@portaldesk/sdk";
import { expect } from "chai";
import { DigipoortClient } from "../src/modules/filings/submission/digipoort-client.js";
import { GatewayError } from "../src/modules/filings/submission/gateway.js";
import { eventually, gid, TestEnv } from "./support/harness.js";

describe("filings across server instances", () => {
  let env: TestEnv;
  after(() => env?.close());

  it("one instance submits, the other polls the submission to ACCEPTED after the first has stopped", async () => {
    // Statuses 4 s apart: the run takes 12 s, so the first instance is gone long before it ends.
    env = await TestEnv.create({ FILING_POLL_INTERVAL: "1s", DIGIPOORT_SIMULATOR_STEP_MS: "4000" });
    const world = await env.createWorld({ administrations: 1 });
    const administrationId = gid("Administration", world.administrations[0]!.id);
    const admin = await env.signIn(world.admin.email);
    unwrap((await admin.request(UpdateAdministrationDocument, { input: { id: administrationId, vatNumber: "NL123456782B01" } })).updateAdministration);
    const staff = await env.signIn(world.accountant.email);
    const approver = await env.signIn(world.clients[0]!.email);
    const vat = unwrap(
      (await staff.request(CreateVatReturnDocument, { input: { administrationId, period: { year: 2026, month: 4 }, boxes: { box1a: { turnover: 1000, vat: 210 } } } }))
        .createVatReturn,
    ).vatReturn!;
    unwrap((await staff.request(RequestFilingApprovalDocument, { input: { filingId: vat.id } })).requestFilingApproval);
    unwrap((await approver.request(ApproveFilingDocument, { input: { filingId: vat.id, version: 1 } })).approveFiling);
    unwrap((await staff.request(SubmitFilingDocument, { input: { filingId: vat.id } })).submitFiling);

    const first = env.server;
    const reference = await eventually(async () => ((await staff.request(FilingDocument, { id: vat.id })).node as FilingFieldsFragment).submission?.reference, 20_000);
    expect(first.services.simulator!.received.map((m) => m.reference)).to.include(reference);

    const second = await env.startServer();
    expect(((await staff.request(FilingDocument, { id: vat.id })).node as FilingFieldsFragment).status, "still pending when the first instance stops").to.equal(
      FilingStatus.Submitted,
    );
    env.servers.splice(env.servers.indexOf(first), 1);
    await first.stop();

    const onSecond = await env.signIn(world.accountant.email, undefined, second);
    const done = await eventually(async () => {
      const f = (await onSecond.request(FilingDocument, { id: vat.id })).node as FilingFieldsFragment;
      return f.status === FilingStatus.Accepted ? f : null;
    }, 40_000);
    expect(done.submission!.statuses.map((s) => s.code)).to.deep.equal([105, 100, 110, 200, 301, 405, 400, 500]);
    expect(done.submission!.reference).to.equal(reference);
    // The second instance's simulator never received the message: it answered from the shared store.
    expect(second.services.simulator!.received).to.have.length(0);

    // A kenmerk no instance gave (or one that is not even a UUID) is still unknown.
    const client = new DigipoortClient(second.services.simulator!.clientOptions());
    for (const kenmerk of ["6f1f5a8e-2f64-4b8e-9a57-0c4e3f0f9d11", "not-a-kenmerk"]) {
      const error = await client.statuses(kenmerk).catch((e: unknown) => e);
      expect(error, kenmerk).to.be.instanceOf(GatewayError);
      expect((error as GatewayError).code, kenmerk).to.equal("STS101");
    }
  });
});

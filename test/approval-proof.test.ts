// Proof of approval through the SDK: an approver with two-step sign-in confirms with a code, the
// decision keeps how and which XBRL instance; Filing.approvalProof exports the bundle and
// `npm run verify-proof` accepts it offline, and refuses it when one byte of the XBRL, the chain or the
// content changes.
import {
  ApproveFilingDocument,
  ConfirmTotpEnrolmentDocument,
  CreateVatReturnDocument,
  FilingApprovalProofDocument,
  RejectFilingDocument,
  RequestFilingApprovalDocument,
  StartTotpEnrolmentDocument,
  UpdateAdministrationDocument,
  unwrap,
  type PortalDeskClient,
} from "@portaldesk/sdk";
import { expect } from "chai";
import { generate } from "otplib";
import { gid, TestEnv, type World } from "./support/harness.js";
import { runVerifyProof } from "./support/verify-proof.js";

const codeAt = (secret: string, offset = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + offset * 30 });

interface Proof {
  filing: { content: { entries: { pairs: Record<string, { turnover: number; vat: number }> } } };
  decision: { confirmation: string | null; xbrlSha256: string | null };
  xbrl: string;
  auditChain: Array<{ seq: number; action: string; note: string | null; details: Record<string, unknown> }>;
}

describe("proof of approval", function () {
  this.timeout(60_000);
  let env: TestEnv;
  let world: World;
  let staff: PortalDeskClient;
  let approver: PortalDeskClient;
  let secret: string;
  let recoveryCodes: string[];
  let administrationId: string;
  // The months of 2026: periods a taxonomy release covers, so that the approved XBRL can be written.
  let month = 0;

  before(async () => {
    env = await TestEnv.create();
    world = await env.createWorld({ administrations: 1 });
    administrationId = gid("Administration", world.administrations[0]!.id);
    staff = await env.signIn(world.accountant.email);
    const admin = await env.signIn(world.admin.email);
    unwrap((await admin.request(UpdateAdministrationDocument, { input: { id: administrationId, vatNumber: "NL123456782B01" } })).updateAdministration);
    approver = await env.signIn(world.clients[0]!.email);
    secret = unwrap((await approver.request(StartTotpEnrolmentDocument, {})).startTotpEnrolment).secret!;
    recoveryCodes = unwrap((await approver.request(ConfirmTotpEnrolmentDocument, { input: { code: await codeAt(secret) } })).confirmTotpEnrolment).recoveryCodes!;
  });
  after(() => env.close());

  async function awaitingApproval() {
    const created = unwrap(
      (await staff.request(CreateVatReturnDocument, { input: { administrationId, period: { year: 2026, month: ++month }, boxes: { box1a: { turnover: 1000, vat: 210 } } } }))
        .createVatReturn,
    ).vatReturn!;
    return unwrap((await staff.request(RequestFilingApprovalDocument, { input: { filingId: created.id } })).requestFilingApproval).filing!;
  }

  const verify = (proof: unknown) => runVerifyProof(typeof proof === "string" ? proof : JSON.stringify(proof));

  it("needs a code from the approver's app, records it, and exports a proof verify-proof accepts; one changed byte anywhere and it refuses", async () => {
    const filing = await awaitingApproval();
    const input = { filingId: filing.id, version: filing.version, note: "Akkoord" };
    const missing = (await approver.request(ApproveFilingDocument, { input })).approveFiling;
    expect(missing.userErrors).to.deep.equal([
      { code: "CONFIRMATION_REQUIRED", message: "Confirm with the code your authenticator app shows now", field: ["input", "confirmationCode"] },
    ]);
    const wrong = (await approver.request(ApproveFilingDocument, { input: { ...input, confirmationCode: "000000" } })).approveFiling;
    expect(wrong.userErrors[0]).to.include({ code: "INVALID_CREDENTIALS" });
    const approved = unwrap((await approver.request(ApproveFilingDocument, { input: { ...input, confirmationCode: await codeAt(secret, 1) } })).approveFiling).filing!;
    expect(approved.status).to.equal("APPROVED");
    expect(approved.approval).to.include({ confirmation: "TOTP", contentHash: filing.contentHash });
    expect(approved.approval!.xbrlSha256).to.match(/^[0-9a-f]{64}$/);

    const { node: clientView } = await approver.request(FilingApprovalProofDocument, { id: filing.id });
    expect((clientView as { approvalProof: string | null }).approvalProof, "clients never read the audit trail").to.equal(null);
    const { node } = await staff.request(FilingApprovalProofDocument, { id: filing.id });
    const text = (node as { approvalProof: string }).approvalProof;
    const proof = JSON.parse(text) as Proof;
    expect(proof.decision).to.include({ confirmation: "TOTP", xbrlSha256: approved.approval!.xbrlSha256 });
    expect(proof.xbrl).to.include("<xbrli:xbrl");
    expect(proof.auditChain.at(-1)!.action).to.equal("filing.approved");
    expect(proof.auditChain[0]!.seq).to.equal(1);

    const holds = await verify(text);
    expect(holds.code, holds.stdout).to.equal(0);
    expect(holds.stdout).to.include("The proof holds.").and.include("APPROVED by").and.include("confirmed with a code from their authenticator app");

    const xbrlChanged = structuredClone(proof);
    const at = xbrlChanged.xbrl.indexOf("1000");
    xbrlChanged.xbrl = `${xbrlChanged.xbrl.slice(0, at)}2${xbrlChanged.xbrl.slice(at + 1)}`;
    const refusedXbrl = await verify(xbrlChanged);
    expect(refusedXbrl.code).to.equal(1);
    expect(refusedXbrl.stdout).to.include("the XBRL instance is not the one decided on");

    const chainChanged = structuredClone(proof);
    chainChanged.auditChain[0]!.note = `${chainChanged.auditChain[0]!.note ?? ""}x`;
    const refusedChain = await verify(chainChanged);
    expect(refusedChain.code).to.equal(1);
    expect(refusedChain.stdout).to.include("audit event 1 was changed after it was recorded");

    const confirmationChanged = structuredClone(proof);
    confirmationChanged.auditChain.at(-1)!.details.confirmation = null;
    const refusedEvent = await verify(confirmationChanged);
    expect(refusedEvent.code).to.equal(1);
    expect(refusedEvent.stdout).to.include(`audit event ${proof.auditChain.at(-1)!.seq} was changed after it was recorded`);

    const contentChanged = structuredClone(proof);
    contentChanged.filing.content.entries.pairs["1a"]!.vat = 211;
    const refusedContent = await verify(contentChanged);
    expect(refusedContent.code).to.equal(1);
    expect(refusedContent.stdout).to.include("the filing's content does not match the hash decided on");

    const dropped = structuredClone(proof);
    dropped.auditChain.splice(1, 1);
    expect((await verify(dropped)).stdout).to.include("out of place");
    expect((await verify({ format: "something else" })).stdout).to.include("not a portaldesk.approval-proof/1 document");
    expect((await verify("not json")).code).to.equal(66);
  });

  it("records a rejection the same way (here with a recovery code), and a decision of an approver without two-step sign-in as unconfirmed", async () => {
    const rejected = await awaitingApproval();
    const decided = unwrap(
      (
        await approver.request(RejectFilingDocument, {
          input: { filingId: rejected.id, version: rejected.version, note: "Box 1a klopt niet", confirmationCode: recoveryCodes[0]! },
        })
      ).rejectFiling,
    ).filing!;
    expect(decided.approval).to.include({ decision: "REJECTED", confirmation: "RECOVERY_CODE" });
    const { node } = await staff.request(FilingApprovalProofDocument, { id: rejected.id });
    const holds = await verify((node as { approvalProof: string }).approvalProof);
    expect(holds.code, holds.stdout).to.equal(0);
    expect(holds.stdout).to.include("REJECTED by").and.include("confirmed with a recovery code");

    await env.sql("DELETE FROM totp_credentials WHERE user_id = $1", [world.clients[0]!.id]);
    const plain = await awaitingApproval();
    const approved = unwrap((await approver.request(ApproveFilingDocument, { input: { filingId: plain.id, version: plain.version } })).approveFiling).filing!;
    expect(approved.approval!.confirmation).to.equal(null);
    const { node: plainNode } = await staff.request(FilingApprovalProofDocument, { id: plain.id });
    const plainProof = await verify((plainNode as { approvalProof: string }).approvalProof);
    expect(plainProof.code, plainProof.stdout).to.equal(0);
    expect(plainProof.stdout).to.include("without a second factor");
  });
});

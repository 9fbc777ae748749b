// The server's sentences in the viewer's language: a userError in Dutch or English as the request
// names it in Accept-Language, else as the person's setting says, and English for API tokens. And
// a check over the source that every sentence has a Dutch that is not just the English again.
import fs from "node:fs";
import path from "node:path";
import WebSocket from "ws";
import {
  ArchiveRootDocument,
  CreateApiTokenDocument,
  CreateArchiveFolderDocument,
  createClient,
  Language,
  SignInDocument,
  UpdateProfileDocument,
  unwrap,
  type PortalDeskClient,
} from "@portaldesk/sdk";
import { expect } from "chai";
import { gid, PASSWORD, TestEnv, type World } from "./support/harness.js";
import { requestedLanguage } from "../src/core/language.js";

const EN = "Name is required";
const NL = "De naam is verplicht";

describe("the server's language", function () {
  this.timeout(60_000);
  let env: TestEnv;
  let world: World;
  let administrationId: string;

  before(async () => {
    env = await TestEnv.create();
    world = await env.createWorld({ administrations: 1 });
    administrationId = gid("Administration", world.administrations[0]!.id);
  });
  after(() => env?.close());

  /** The userError of a folder without a name, as `client` reads it. */
  const refusal = async (client: PortalDeskClient) => {
    const root = (await client.request(ArchiveRootDocument, { administrationId })).administration.archive!.id;
    return (await client.request(CreateArchiveFolderDocument, { input: { parentId: root, name: " " } })).createArchiveFolder.userErrors.map((e) => e.message);
  };

  it("answers in the language the request names, else in the person's setting, and English to an API token", async () => {
    const { token } = unwrap((await env.client(null).request(SignInDocument, { input: { email: world.admin.email, password: PASSWORD } })).signIn);
    const english = env.client(token, env.server, "en");
    const dutch = env.client(token, env.server, "nl");
    expect(await refusal(english)).to.deep.equal([EN]);
    expect(await refusal(dutch)).to.deep.equal([NL]);

    // Naming no language of ours ("*", German): the setting decides — NL, then EN once changed.
    const unnamed = (language?: string) =>
      createClient({ url: `${env.server.url}/graphql`, token, webSocketImpl: WebSocket, headers: language ? { "accept-language": language } : {} });
    expect(await refusal(unnamed("*"))).to.deep.equal([NL]);
    expect(await refusal(unnamed("de-DE, fr;q=0.5"))).to.deep.equal([NL]);
    unwrap((await english.request(UpdateProfileDocument, { input: { language: Language.En } })).updateProfile);
    expect(await refusal(unnamed("*"))).to.deep.equal([EN]);
    // A browser's own list: the first of ours in q order.
    expect(await refusal(unnamed("de;q=1, nl-NL;q=0.9, en;q=0.8"))).to.deep.equal([NL]);

    const { token: secret } = unwrap((await english.request(CreateApiTokenDocument, { input: { name: "Boekhouding" } })).createApiToken);
    const integration = createClient({ url: `${env.server.url}/graphql`, token: secret!, webSocketImpl: WebSocket });
    expect(await refusal(integration)).to.deep.equal([EN]);
  });

  it("reads Accept-Language as browsers write it", () => {
    expect(requestedLanguage("nl-NL,nl;q=0.9,en-US;q=0.8,en;q=0.7")).to.equal("nl");
    expect(requestedLanguage("en-GB,en;q=0.9,nl;q=0.8")).to.equal("en");
    expect(requestedLanguage("fr;q=0.9, en;q=0.5, nl;q=0.8")).to.equal("nl");
    expect(requestedLanguage("*")).to.equal(null);
    expect(requestedLanguage("de")).to.equal(null);
    expect(requestedLanguage("")).to.equal(null);
    expect(requestedLanguage(null)).to.equal(null);
  });

  it("has a Dutch sentence for every English one in the server's source, not the English copied", () => {
    const copied: string[] = [];
    let pairs = 0;
    const files = fs.readdirSync("src", { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
    // { en: "…", nl: "…" } and { en: `…`, nl: `…` }, on one line or over several.
    const pair = /\ben:\s*(["`])((?:\\.|(?!\1)[^\\])*)\1,\s*nl:\s*(["`])((?:\\.|(?!\3)[^\\])*)\3/g;
    for (const file of files) {
      const text = fs.readFileSync(path.join("src", file), "utf8");
      for (const match of text.matchAll(pair)) {
        pairs += 1;
        const [en, nl] = [match[2]!, match[4]!];
        // Only what is the same in both languages may be (a product name, a code): a sentence may not.
        const words = en.replace(/\$\{[^}]*\}/g, "").match(/[A-Za-z]{3,}/g) ?? [];
        if (words.length > 2 && en === nl) copied.push(`src/${file}:${text.slice(0, match.index).split("\n").length}`);
      }
    }
    expect(pairs, "sentences in both languages").to.be.greaterThan(150);
    expect(copied, "the Dutch is the English copied").to.deep.equal([]);
  });
});

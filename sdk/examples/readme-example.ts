// The README's example, runnable: `node --import tsx sdk/examples/readme-example.ts <url> <email> <password>`.
// The test suite runs it against a real server, so it cannot rot.
import { AdministrationsDocument, createClient, iterateConnection, SignInDocument, unwrap } from "@portaldesk/sdk";
import { WebSocket } from "ws";

export async function readmeExample(url: string, email: string, password: string): Promise<string[]> {
  const anonymous = createClient({ url });
  const { signIn } = await anonymous.request(SignInDocument, { input: { email, password } });
  const client = createClient({ url, token: unwrap(signIn).token, webSocketImpl: WebSocket });

  const names: string[] = [];
  for await (const administration of iterateConnection((after) => client.request(AdministrationsDocument, { first: 50, after }).then((d) => d.administrations))) {
    names.push(administration.name);
  }
  await client.dispose();
  return names;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [url = "http://localhost:4000/graphql", email = "client@demo.test", password = process.env.DEMO_PASSWORD ?? ""] = process.argv.slice(2);
  console.log((await readmeExample(url, email, password)).join("\n"));
}

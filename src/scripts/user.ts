// The operator's account commands:
//   npm run user:reset-password -- <email>   a one-time link (1 hour) per account of that address, printed
import { fail, withServices } from "./command-line.js";

const USAGE = "Usage: npm run user:reset-password -- <email address>";
const [command, email, ...extra] = process.argv.slice(2);

if (command !== "reset-password" || !email || extra.length) fail(USAGE);

await withServices(async (services) => {
  const links = await services.passwords.operatorReset(email);
  if (links.length === 0) fail(`No active account has the address ${email}.`, 65);
  for (const { user, firm, token, expiresAt } of links) {
    process.stdout.write(`${user.name} <${user.email}> at ${firm.name}: valid once, until ${expiresAt.toISOString()}\n${services.portalLinks.passwordReset(token, firm.id)}\n`);
  }
});

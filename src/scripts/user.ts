// The operator's account commands:
//   npm run user:reset-password -- <email>     a one-time link (1 hour) per account of that address, printed
//   npm run user:reset-two-factor -- <email>   turns off the second factor (app, recovery codes, passkeys) of
//                                              each account of that address, for someone who lost them all
import { fail, withServices } from "./command-line.js";

const USAGE = "Usage: npm run user:reset-password -- <email address>\n       npm run user:reset-two-factor -- <email address>";
const [command, email, ...extra] = process.argv.slice(2);

if ((command !== "reset-password" && command !== "reset-two-factor") || !email || extra.length) fail(USAGE);

await withServices(async (services) => {
  if (command === "reset-two-factor") {
    const reset = await services.twoFactor.operatorReset(email);
    if (reset.length === 0) fail(`No active account has the address ${email}.`, 65);
    for (const { user, firmName, sessionsEnded } of reset) {
      process.stdout.write(
        `${user.name} <${user.email}> at ${firmName}: second factor removed, ${sessionsEnded} session(s) ended; they set it up again at their next sign-in where the firm requires it\n`,
      );
    }
    return;
  }
  const links = await services.passwords.operatorReset(email);
  if (links.length === 0) fail(`No active account has the address ${email}.`, 65);
  for (const { user, firm, token, expiresAt } of links) {
    process.stdout.write(`${user.name} <${user.email}> at ${firm.name}: valid once, until ${expiresAt.toISOString()}\n${services.portalLinks.passwordReset(token, firm.id)}\n`);
  }
});

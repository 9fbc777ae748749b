// The operator's firm commands:
//   npm run firm:create -- --name "Jansen Administratie" --admin-email anna@jansen.nl [--admin-name "Anna Jansen"] [--language nl|en]
//   npm run firm:list
import { parseArgs } from "node:util";
import { Language } from "../modules/users/user.entity.js";
import { fail, withServices } from "./command-line.js";

const USAGE = `Usage:
  npm run firm:create -- --name "<firm name>" --admin-email <address> [--admin-name "<name>"] [--language nl|en]
  npm run firm:list`;

const [command, ...rest] = process.argv.slice(2);

if (command === "create") {
  let values: { name?: string; "admin-email"?: string; "admin-name"?: string; language?: string };
  try {
    ({ values } = parseArgs({
      args: rest,
      options: { name: { type: "string" }, "admin-email": { type: "string" }, "admin-name": { type: "string" }, language: { type: "string" } },
      strict: true,
    }));
  } catch (error) {
    fail(`${(error as Error).message}\n${USAGE}`);
  }
  if (!values.name || !values["admin-email"]) fail(`--name and --admin-email are needed.\n${USAGE}`);
  const language = (values.language ?? "nl").toUpperCase();
  if (language !== Language.NL && language !== Language.EN) fail(`--language is nl or en, not "${values.language}".`);
  const adminEmail = values["admin-email"];
  await withServices(async (services, config) => {
    const made = await services.firms.create({
      name: values.name!,
      adminEmail,
      // Until they accept and say otherwise, the admin is called by their address.
      adminName: values["admin-name"] ?? adminEmail.split("@")[0]!,
      adminLanguage: language as Language,
    });
    const until = made.expiresAt.toISOString();
    const lines = [`Firm "${made.firm.name}" created (id ${made.firm.id}).`, `Its admin ${made.admin.email} is invited.`];
    if (config.smtpUrl) {
      lines.push(`The invitation is mailed (by the running server or worker; else at its next start). It is valid until ${until}.`);
    } else {
      lines.push(`No SMTP server is set (SMTP_URL), so here is the invitation link, valid until ${until}:`, services.portalLinks.invitation(made.invitationToken, made.firm.id));
    }
    process.stdout.write(`${lines.join("\n")}\n`);
  });
} else if (command === "list") {
  await withServices(async (services) => {
    const firms = await services.firms.list();
    if (firms.length === 0) {
      process.stdout.write("No firms yet: npm run firm:create -- --name … --admin-email …\n");
      return;
    }
    for (const { firm, admins, staff, clients, administrations } of firms) {
      process.stdout.write(
        `${firm.id}  ${firm.name}  (created ${firm.createdAt.toISOString().slice(0, 10)}; ${admins} admin(s), ${staff} staff, ${clients} client users, ${administrations} administrations)\n`,
      );
    }
  });
} else {
  fail(USAGE);
}

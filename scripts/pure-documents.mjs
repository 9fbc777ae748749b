// graphql-codegen hook: marks each generated document as pure, so bundlers drop the ones an app
// does not import (a `new` at the top of a module otherwise counts as a side effect).
import fs from "node:fs";

for (const file of process.argv.slice(2)) {
  const text = fs.readFileSync(file, "utf8");
  fs.writeFileSync(file, text.replace(/= new TypedDocumentString\(/g, "= /* @__PURE__ */ new TypedDocumentString("));
}

// A refused file request, said in the reader's language (Accept-Language; English when it names
// neither). A browser that opened a link gets a small page with the way back to the portal, not a
// bare line of English; a program (fetch, an <img>) gets the sentence as text.
import type express from "express";
import { answerLanguage, type Localized } from "../core/language.js";
import { escapeHtml } from "../mail/layout.js";

const TITLE: Localized = { en: "This file cannot be opened", nl: "Dit bestand kan niet worden geopend" };
const BACK: Localized = { en: "Back to the portal", nl: "Terug naar het portaal" };

export function refuseFile(req: express.Request, res: express.Response, status: number, text: Localized): void {
  const language = answerLanguage(req.headers["accept-language"], null);
  res.status(status).vary("Accept").vary("Accept-Language").setHeader("Content-Language", language);
  if (req.accepts(["text/plain", "text/html"]) !== "text/html") {
    res.type("text/plain").send(`${text[language]}\n`);
    return;
  }
  res
    .type("html")
    .send(
      `<!doctype html>\n<html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
        `<title>${TITLE[language]}</title></head>\n<body><main><h1>${TITLE[language]}</h1><p>${escapeHtml(text[language])}</p>` +
        `<p><a href="/">${BACK[language]}</a></p></main></body></html>\n`,
    );
}

// The files module: receiving files (streamed, sniffed by content, named safely), what each format
// allows (file-format.ts), PDF and image tools, work files, and signed download links. It holds no
// data of its own: documents and reports keep their files through it, and contribute what their
// link kinds serve (src/modules/module.ts).
import type { PortalDeskModule } from "../module.js";

export const filesModule: PortalDeskModule = { name: "files" };

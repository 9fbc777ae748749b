// The portal's few icons, as inline SVG in the text's colour: an emoji needs a font the machine may
// not have (a server or kiosk without one shows a box). Decorative: the words beside them say it.
import type { JSX } from "preact";

const PATHS = {
  warning: "M12 3 2 21h20L12 3Zm-1 6h2v6h-2V9Zm0 8h2v2h-2v-2Z",
  folder: "M3 5h7l2 2h9v12H3V5Z",
  scissors:
    "M6 3a3 3 0 1 0 2.1 5.1L11 11l-2.9 2.9A3 3 0 1 0 9.5 15.3L12 12.8l7 7h3L8.1 5.9A3 3 0 0 0 6 3Zm0 2a1 1 0 1 1 0 2 1 1 0 0 1 0-2Zm0 12a1 1 0 1 1 0 2 1 1 0 0 1 0-2Zm9-6.2 1.4 1.4L22 4.6h-3L15 8.6v2.2Z",
} as const;

export function Icon({ name }: { name: keyof typeof PATHS }): JSX.Element {
  return (
    <svg class="icon" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
      <path d={PATHS[name]} fill="currentColor" fill-rule="evenodd" />
    </svg>
  );
}

// A wide table in a box of its own that scrolls sideways on a narrow screen, so the page itself never
// does (WCAG 1.4.10 lets a data table scroll both ways). Focusable and named, so a keyboard user can
// reach it and scroll it, and a screen reader says what it holds.
import type { ComponentChildren } from "preact";

export function Scrollable({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="scrollable" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}

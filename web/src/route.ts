// Hash routes (#/desk, #/filings/<id> …): the portal is static files, so any URL works on reload,
// and mails can link straight to a page.
import { useEffect, useState } from "preact/hooks";

export function useRoute(): string[] {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const changed = () => setHash(location.hash);
    window.addEventListener("hashchange", changed);
    return () => window.removeEventListener("hashchange", changed);
  }, []);
  return hash.replace(/^#\/?/, "").split("?")[0]!.split("/").filter(Boolean);
}

export function go(path: string): void {
  location.hash = `#/${path}`;
}

// Buttons and forms that show an action is running: disabled (and aria-busy) from the click until
// the action's promise settles, so a second click cannot send it twice and a person sees it is
// under way. A destructive action asks first (`confirm`: the question, in the person's words).
import { createContext, type ButtonHTMLAttributes, type ComponentChildren, type FormHTMLAttributes } from "preact";
import { useContext, useEffect, useRef, useState } from "preact/hooks";

/** Runs `action` at most once at a time (`run` says false when one is still running); `busy` is true while it runs. */
function useRunning(): [boolean, (action: () => unknown) => boolean] {
  const [busy, setBusy] = useState(false);
  const running = useRef(false);
  const mounted = useRef(true);
  useEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );
  const run = (action: () => unknown) => {
    if (running.current) return false;
    const result = action();
    if (!(result instanceof Promise)) return true;
    running.current = true;
    setBusy(true);
    void result
      .catch(() => undefined) // the action shows its own errors; here only the busy state ends
      .finally(() => {
        running.current = false;
        if (mounted.current) setBusy(false);
      });
    return true;
  };
  return [busy, run];
}

type ButtonProps = Omit<ButtonHTMLAttributes<HTMLButtonElement>, "onClick" | "type"> & {
  onClick: (event: MouseEvent) => unknown;
  /** Asked (OK/Cancel) before the action; cancelled, nothing happens. */
  confirm?: string;
  children: ComponentChildren;
};

export function ActionButton({ onClick, confirm: question, disabled, children, ...rest }: ButtonProps) {
  const [busy, run] = useRunning();
  return (
    <button
      {...rest}
      type="button"
      disabled={Boolean(disabled) || busy}
      aria-busy={busy || undefined}
      onClick={(event) => {
        if (question && !window.confirm(question)) return;
        run(() => onClick(event));
      }}
    >
      {children}
    </button>
  );
}

const FormBusy = createContext(false);

type FormProps = Omit<FormHTMLAttributes<HTMLFormElement>, "onSubmit"> & {
  onSubmit: (event: SubmitEvent) => unknown;
  children: ComponentChildren;
};

/** A form whose SubmitButtons are disabled while its (asynchronous) submit handler runs. */
export function BusyForm({ onSubmit, children, ...rest }: FormProps) {
  const [busy, run] = useRunning();
  return (
    <form
      {...rest}
      aria-busy={busy || undefined}
      onSubmit={(event) => {
        // While the last submit runs, this one is dropped (and the browser must not submit it either).
        if (!run(() => onSubmit(event))) event.preventDefault();
      }}
    >
      <FormBusy.Provider value={busy}>{children}</FormBusy.Provider>
    </form>
  );
}

export function SubmitButton({ disabled, children, ...rest }: Omit<ButtonHTMLAttributes<HTMLButtonElement>, "type"> & { children: ComponentChildren }) {
  const busy = useContext(FormBusy);
  return (
    <button {...rest} type="submit" disabled={Boolean(disabled) || busy} aria-busy={busy || undefined}>
      {children}
    </button>
  );
}

import {
  type AnchorHTMLAttributes,
  createContext,
  type MouseEvent,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from "react";

interface RouterState {
  /** The path inside the app, always starting with "/". */
  path: string;
  base: string;
  navigate(to: string): void;
  /**
   * Holds in-app navigation behind a question while `message` is registered (a form with unsaved
   * changes); returns the release.
   */
  hold(message: string): () => void;
}

const RouterContext = createContext<RouterState | null>(null);

function currentPath(base: string): string {
  const full = decodeURI(window.location.pathname);
  const inside = full.startsWith(base) ? full.slice(base.length) : full;
  return `/${inside.replace(/^\/+/, "")}`;
}

/**
 * History-based routing for an app served under `base` ("/" for the planner, "/admin/" for the
 * admin console). Small on purpose: each app has a handful of flat routes.
 *
 * @example <Router base="/admin/"><Routes /></Router>
 */
export function Router(props: { base: string; children: ReactNode }) {
  const base = props.base.endsWith("/") ? props.base.slice(0, -1) : props.base;
  const [path, setPath] = useState(() => currentPath(base));
  useEffect(() => {
    const onPop = () => setPath(currentPath(base));
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, [base]);
  // The questions of the forms that hold unsaved changes now; leaving asks the first.
  const holds = useRef(new Set<{ message: string }>());
  const hold = useCallback((message: string) => {
    const entry = { message };
    holds.current.add(entry);
    return () => {
      holds.current.delete(entry);
    };
  }, []);
  const navigate = useCallback(
    (to: string) => {
      const [first] = holds.current;
      if (first && !window.confirm(first.message)) return;
      holds.current.clear();
      window.history.pushState(null, "", `${base}${to}`);
      setPath(currentPath(base));
      window.scrollTo(0, 0);
    },
    [base],
  );
  const value = useMemo(() => ({ path, base, navigate, hold }), [path, base, navigate, hold]);
  return <RouterContext.Provider value={value}>{props.children}</RouterContext.Provider>;
}

/**
 * The current path and a navigate function.
 *
 * @example const { path, navigate } = useRouter();
 */
export function useRouter(): RouterState {
  const value = useContext(RouterContext);
  if (!value) throw new Error("useRouter must be used inside <Router>");
  return value;
}

/**
 * Warns before leaving while `dirty`: the browser's own prompt when the page is closed or
 * reloaded, and `message` as a question before an in-app link moves away (outside a `<Router>`,
 * only the browser's prompt). Returns a function that lets go at once, for a form that has just
 * saved and moves on before its next render.
 *
 * @example const letGo = useLeaveWarning(form.formState.isDirty, t("form.leaveUnsaved"));
 */
export function useLeaveWarning(dirty: boolean, message: string): () => void {
  const router = useContext(RouterContext);
  const hold = router?.hold;
  const release = useRef<(() => void) | null>(null);
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
    };
    window.addEventListener("beforeunload", warn);
    const releaseHold = hold?.(message);
    const letGo = () => {
      window.removeEventListener("beforeunload", warn);
      releaseHold?.();
    };
    release.current = letGo;
    return letGo;
  }, [dirty, message, hold]);
  return useCallback(() => release.current?.(), []);
}

/**
 * Matches a path against a pattern with `:name` segments; returns the decoded params or null.
 *
 * @example matchPath("/indicators/:code", "/indicators/NI%20151") // { code: "NI 151" }
 */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split("/").filter(Boolean);
  const s = path.split("/").filter(Boolean);
  if (p.length !== s.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    const part = p[i] as string;
    const seg = s[i] as string;
    if (part.startsWith(":")) params[part.slice(1)] = decodeURIComponent(seg);
    else if (part !== seg) return null;
  }
  return params;
}

/**
 * A link inside the app: a real `<a href>` (so it opens in a new tab and works without
 * JavaScript) that navigates in place on a plain click.
 *
 * @example <Link to={`/indicators/${encodeURIComponent(code)}`}>{title}</Link>
 */
export function Link(props: { to: string } & Omit<AnchorHTMLAttributes<HTMLAnchorElement>, "href">) {
  const { to, onClick, ...rest } = props;
  const router = useRouter();
  const handle = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey
    ) {
      return;
    }
    event.preventDefault();
    router.navigate(to);
  };
  const current = router.path === to ? "page" : undefined;
  return <a href={`${router.base}${to}`} aria-current={current} onClick={handle} {...rest} />;
}

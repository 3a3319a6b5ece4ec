import type { ReactNode } from "react";
import { LOCALES, type Locale, useI18n } from "./i18n.tsx";
import { Link } from "./router.tsx";

/** One navigation entry. */
export interface NavItem {
  to: string;
  label: string;
}

/**
 * The page frame: skip link, header with the product name and language switch, primary
 * navigation, and the main landmark that holds the page.
 *
 * @example
 * <AppShell title="Fivestep planner" nav={[{ to: "/", label: t("nav.indicators") }]}>{page}</AppShell>
 */
export function AppShell(props: { title: string; nav: NavItem[]; children: ReactNode; actions?: ReactNode }) {
  const { t, locale, setLocale } = useI18n();
  return (
    <div className="fs-shell">
      <a className="fs-skip" href="#main">
        {t("shell.skipToContent")}
      </a>
      <header className="fs-header">
        <div className="fs-header__inner">
          <span className="fs-header__title">{props.title}</span>
          <nav aria-label={t("shell.navigation")} className="fs-nav">
            <ul>
              {props.nav.map((item) => (
                <li key={item.to}>
                  <Link to={item.to}>{item.label}</Link>
                </li>
              ))}
            </ul>
          </nav>
          <div className="fs-header__tools">
            {props.actions}
            <label className="fs-lang">
              <span>{t("shell.language")}</span>
              <select value={locale} onChange={(e) => setLocale(e.target.value as Locale)}>
                {LOCALES.map((l) => (
                  <option key={l} value={l}>
                    {t(`language.${l}`)}
                  </option>
                ))}
              </select>
            </label>
          </div>
        </div>
      </header>
      <main id="main" className="fs-main" tabIndex={-1}>
        {props.children}
      </main>
    </div>
  );
}

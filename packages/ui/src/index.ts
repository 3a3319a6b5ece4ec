export { AppShell, type NavItem } from "./app-shell.tsx";
export { type Column, DataTable } from "./data-table.tsx";
export {
  type Catalogue,
  type I18n,
  I18nProvider,
  interpolate,
  LOCALES,
  type Locale,
  missingMessages,
  useI18n,
} from "./i18n.tsx";
export { type ChartSeries, LineChart, SERIES_STYLES } from "./line-chart.tsx";
export { Link, matchPath, Router, useRouter } from "./router.tsx";
export { niceTicks, scaleLinear } from "./scale.ts";
export { EmptyState, ErrorPanel, Skeleton } from "./states.tsx";
export { StatusTag, type Tone } from "./status-tag.tsx";

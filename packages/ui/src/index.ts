export { type FieldValues, type UseFormReturn, useFieldArray, useWatch } from "react-hook-form";
export { AppShell, type NavItem } from "./app-shell.tsx";
export { type AuditRow, AuditTable, auditSentence, changes } from "./audit-table.tsx";
export { type Column, DataTable, ScrollRegion } from "./data-table.tsx";
export {
  Button,
  CheckboxField,
  ConfirmDialog,
  ErrorSummary,
  errorTarget,
  type FieldErrors,
  fieldErrorsFrom,
  fieldId,
  SelectField,
  TextField,
  validate,
} from "./forms.tsx";
export {
  type FunnelPlace,
  FunnelPlot,
  type FunnelPlotArea,
  type FunnelPlotLimit,
  funnelValueRange,
} from "./funnel-plot.tsx";
export { Guidance, type Task, TaskList, useUnsavedChangesWarning } from "./guidance.tsx";
export { HEAT_STYLE, type HeatJudgement, HeatMap, type HeatRow } from "./heat-map.tsx";
export {
  type Catalogue,
  formatMessage,
  type I18n,
  I18nProvider,
  interpolate,
  LOCALES,
  type Locale,
  messageProblems,
  missingMessages,
  UI_MESSAGE_IDS,
  useI18n,
} from "./i18n.tsx";
export {
  type ChartSeries,
  chartPositions,
  LineChart,
  labelledCategories,
  SERIES_STYLES,
} from "./line-chart.tsx";
export { ProgressBar } from "./progress-bar.tsx";
export { Link, matchPath, Router, useLeaveWarning, useRouter } from "./router.tsx";
export { localRuleParams, type RuleFormatters, ruleTranslator } from "./rule-words.ts";
export { niceTicks, scaleLinear } from "./scale.ts";
export { SignInForm } from "./sign-in-form.tsx";
export { SpineChart, type SpineJudgement, type SpineRow, spinePosition } from "./spine-chart.tsx";
export { EmptyState, ErrorPanel, Skeleton } from "./states.tsx";
export { StatusTag, type Tone } from "./status-tag.tsx";
export {
  CheckboxGroup,
  CheckboxInput,
  Field,
  type FieldControl,
  flattenErrors,
  SelectInput,
  TextInput,
  useZodForm,
  ZodForm,
  zodFormResolver,
} from "./zod-form.tsx";

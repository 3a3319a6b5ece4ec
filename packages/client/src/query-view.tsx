import { ErrorPanel, Skeleton, useI18n } from "@fivestep/ui";
import type { UseQueryResult } from "@tanstack/react-query";
import { type ReactNode, useEffect } from "react";
import { type ErrorLike, errorMessageId } from "./messages.ts";

/** The three states of a read besides its answer, and what to show in each. */
export interface QueryViewProps<T> {
  query: UseQueryResult<T, ErrorLike>;
  /** Lines of the loading skeleton, shaped like the content to come (default 4). */
  lines?: number;
  /** The error panel's heading when the answer is NOT_FOUND (default: the generic error title). */
  notFoundTitle?: string;
  /** When the answer has nothing to show; `empty` is shown instead of `children`. */
  isEmpty?: (data: T) => boolean;
  /** The empty state: what there is not yet, and the next step (a link or a form). */
  empty?: ReactNode;
  children: (data: T) => ReactNode;
}

/**
 * A read that has no answer yet, or failed: a loading skeleton, or an error worded from its code
 * (never the server's English) with a retry. Pages return it until the answer is there.
 *
 * @example if (!query.isSuccess) return <QueryState query={query} lines={8} />;
 */
export function QueryState(props: {
  query: Pick<UseQueryResult<unknown, ErrorLike>, "isPending" | "isError" | "error" | "refetch">;
  lines?: number;
  /** The error panel's heading (default: "Something went wrong"). */
  errorTitle?: string;
  /** The heading when the answer is NOT_FOUND (default: `errorTitle`). */
  notFoundTitle?: string;
}) {
  const { t } = useI18n();
  const { query } = props;
  if (query.isPending) return <Skeleton label={t("common.loading")} lines={props.lines ?? 4} />;
  if (!query.isError || !query.error) return null;
  const error = query.error;
  const title =
    error.data?.code === "NOT_FOUND" && props.notFoundTitle
      ? props.notFoundTitle
      : (props.errorTitle ?? t("common.errorTitle"));
  return (
    <ErrorPanel
      title={title}
      message={t(errorMessageId(error))}
      retryLabel={t("common.retry")}
      onRetry={() => void query.refetch()}
    />
  );
}

/**
 * One view of a read's states: a loading skeleton, an error worded from its code with a retry, an
 * empty state with the next step, or the answer.
 *
 * @example
 * <QueryView query={users} lines={6} isEmpty={(u) => u.length === 0} empty={<EmptyState title={t("users.none")} />}>
 *   {(rows) => <DataTable … />}
 * </QueryView>
 */
export function QueryView<T>(props: QueryViewProps<T>) {
  const { query } = props;
  if (!query.isSuccess)
    return <QueryState query={query} lines={props.lines} notFoundTitle={props.notFoundTitle} />;
  if (props.isEmpty?.(query.data)) return <>{props.empty}</>;
  return <>{props.children(query.data)}</>;
}

/**
 * Sets the browser tab's title to the page's name and the app's ("Users – Fivestep admin"); while
 * the name is loading, the app's alone.
 *
 * @example usePageTitle(indicator.data?.title);
 */
export function usePageTitle(title: string | null | undefined): void {
  const { t } = useI18n();
  const app = t("app.title");
  useEffect(() => {
    document.title = title ? `${title} – ${app}` : app;
  }, [title, app]);
}

import type { ReactNode } from "react";

/**
 * A loading placeholder shaped like the content to come, announced politely to screen readers.
 *
 * @example {query.isPending ? <Skeleton label={t("common.loading")} lines={4} /> : <Table />}
 */
export function Skeleton(props: { label: string; lines?: number }) {
  return (
    <div className="fs-skeleton" role="status" aria-live="polite">
      <span className="fs-visually-hidden">{props.label}</span>
      {Array.from({ length: props.lines ?? 3 }, (_, i) => (
        <div key={i} className="fs-skeleton__bar" aria-hidden="true" />
      ))}
    </div>
  );
}

/**
 * An error panel that says what went wrong and offers a retry.
 *
 * @example <ErrorPanel title={t("common.error")} message={error.message} retryLabel={t("common.retry")} onRetry={refetch} />
 */
export function ErrorPanel(props: {
  title: string;
  message: string;
  retryLabel?: string;
  onRetry?: () => void;
}) {
  return (
    <div className="fs-error" role="alert">
      <h2>{props.title}</h2>
      <p>{props.message}</p>
      {props.onRetry ? (
        <button type="button" className="fs-button" onClick={props.onRetry}>
          {props.retryLabel ?? "Retry"}
        </button>
      ) : null}
    </div>
  );
}

/**
 * What to show when there is nothing yet, with what to do next.
 *
 * @example <EmptyState title="No indicators yet">Import a file in the admin console.</EmptyState>
 */
export function EmptyState(props: { title: string; children?: ReactNode }) {
  return (
    <div className="fs-empty">
      <p className="fs-empty__title">{props.title}</p>
      {props.children}
    </div>
  );
}

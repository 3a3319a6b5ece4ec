import { type ReactNode, useEffect, useId, useRef, useState } from "react";
import { useI18n } from "./i18n.tsx";

/** One column of a `DataTable`. */
export interface Column<Row> {
  /** Stable key for React. */
  key: string;
  header: ReactNode;
  cell(row: Row): ReactNode;
  /** Numbers align right so digits line up. */
  numeric?: boolean;
  /** The first column of a row that names it is a row header for screen readers. */
  rowHeader?: boolean;
}

/**
 * A box for something wider than the page can be (a table): it scrolls sideways inside itself
 * instead of widening the page. While its content is wider than the box, it says so above it
 * (message id `table.scrollHint`), shows a shadow on the side with more, and becomes a region
 * named by `labelledBy` that takes keyboard focus, so the arrow keys can scroll it.
 *
 * @example
 * <ScrollRegion labelledBy="returns-caption"><table><caption id="returns-caption">Returns</caption>…</table></ScrollRegion>
 */
export function ScrollRegion(props: { labelledBy: string; children: ReactNode }) {
  const { t } = useI18n();
  const hintId = useId();
  const box = useRef<HTMLDivElement>(null);
  const [overflowing, setOverflowing] = useState(false);
  useEffect(() => {
    const el = box.current;
    if (!el || typeof ResizeObserver === "undefined") return;
    const check = () => setOverflowing(el.scrollWidth > el.clientWidth + 1);
    const observer = new ResizeObserver(check);
    observer.observe(el);
    for (const child of el.children) observer.observe(child);
    check();
    return () => observer.disconnect();
  }, []);
  return (
    <div className="fs-scroll">
      {overflowing ? (
        <p className="fs-scroll__hint" id={hintId}>
          {t("table.scrollHint")}
        </p>
      ) : null}
      <div
        ref={box}
        className="fs-table-wrap"
        {...(overflowing
          ? { role: "region", tabIndex: 0, "aria-labelledby": props.labelledBy, "aria-describedby": hintId }
          : {})}
      >
        {props.children}
      </div>
    </div>
  );
}

/**
 * An accessible table: a caption, column headers with scope, row headers, numeric columns right
 * aligned, and a message when there are no rows. A table wider than the page scrolls inside a
 * `ScrollRegion` named by its caption.
 *
 * @example
 * <DataTable caption="Indicators" rows={list} rowKey={(r) => r.code}
 *   columns={[{ key: "code", header: "Code", cell: (r) => r.code, rowHeader: true }]} empty="No indicators yet" />
 */
export function DataTable<Row>(props: {
  caption: ReactNode;
  columns: Column<Row>[];
  rows: readonly Row[];
  rowKey(row: Row): string;
  empty: ReactNode;
  captionHidden?: boolean;
}) {
  const captionId = useId();
  return (
    <ScrollRegion labelledBy={captionId}>
      <table className="fs-table">
        <caption id={captionId} className={props.captionHidden ? "fs-visually-hidden" : undefined}>
          {props.caption}
        </caption>
        <thead>
          <tr>
            {props.columns.map((c) => (
              <th key={c.key} scope="col" className={c.numeric ? "fs-num" : undefined}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.length === 0 ? (
            <tr>
              <td colSpan={props.columns.length}>{props.empty}</td>
            </tr>
          ) : (
            props.rows.map((row) => (
              <tr key={props.rowKey(row)}>
                {props.columns.map((c) =>
                  c.rowHeader ? (
                    <th key={c.key} scope="row">
                      {c.cell(row)}
                    </th>
                  ) : (
                    <td key={c.key} className={c.numeric ? "fs-num" : undefined}>
                      {c.cell(row)}
                    </td>
                  ),
                )}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

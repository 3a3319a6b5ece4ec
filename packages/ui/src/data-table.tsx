import type { ReactNode } from "react";

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
 * An accessible table: a caption, column headers with scope, row headers, numeric columns right
 * aligned, and a message when there are no rows.
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
  return (
    <div className="fs-table-wrap">
      <table className="fs-table">
        <caption className={props.captionHidden ? "fs-visually-hidden" : undefined}>{props.caption}</caption>
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
    </div>
  );
}

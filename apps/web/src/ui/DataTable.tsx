import type { HTMLAttributes, Key, ReactNode, TdHTMLAttributes } from "react";

export interface Column<T> {
  header: ReactNode;
  /** The header is read to screen readers only (e.g. an actions column). */
  hideHeader?: boolean;
  /** Right-aligned tabular figures, header included. */
  numeric?: boolean;
  /** The row's header: `<th scope="row">` instead of `<td>`. */
  rowHeader?: boolean;
  /** Class of every cell of this column. */
  className?: string;
  /** Attributes of one cell (a class that depends on the row, a title). */
  cellProps?: (row: T) => TdHTMLAttributes<HTMLTableCellElement>;
  cell: (row: T) => ReactNode;
}

type RowAttributes = HTMLAttributes<HTMLTableRowElement> & { [data: `data-${string}`]: string | undefined };

/** The one data table of the dashboard: a scrolling frame, column headers, one row per item. */
export function DataTable<T>({
  label,
  className,
  columns,
  rows,
  rowKey,
  rowProps,
}: {
  /** The table's accessible name. */
  label?: string;
  className?: string;
  columns: ReadonlyArray<Column<T>>;
  rows: readonly T[];
  rowKey: (row: T) => Key;
  rowProps?: (row: T) => RowAttributes;
}) {
  return (
    <div className="table-wrap">
      <table className={className ? `table ${className}` : "table"} aria-label={label}>
        <thead>
          <tr>
            {columns.map((column, i) => (
              <th key={i} scope="col" className={column.numeric ? "num" : undefined}>
                {column.hideHeader ? <span className="visually-hidden">{column.header}</span> : column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)} {...rowProps?.(row)}>
              {columns.map((column, i) => {
                const props = column.cellProps?.(row);
                const className = [column.numeric && "num", column.className, props?.className].filter(Boolean).join(" ") || undefined;
                return column.rowHeader ? (
                  <th key={i} scope="row" {...props} className={className}>
                    {column.cell(row)}
                  </th>
                ) : (
                  <td key={i} {...props} className={className}>
                    {column.cell(row)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

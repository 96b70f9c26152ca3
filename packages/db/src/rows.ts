/**
 * The one row a query must have returned (an INSERT … RETURNING, a read of a row this
 * transaction just wrote). Its absence is a bug, not a client's mistake: a plain Error, a 500.
 */
export function one<T>(rows: readonly T[], what: string): T {
  const [row] = rows;
  if (row === undefined) throw new Error(`Expected a row: ${what}`);
  return row;
}

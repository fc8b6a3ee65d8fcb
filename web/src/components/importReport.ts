import type { Schemas } from '@/api/client'

/** One problem of a rejected row as the dialog's table shows it: a row may have several. */
export interface RejectedRow {
  /** The row number as in Excel (the header is row 1). */
  row: number
  /** The column's header as in the file; empty for a problem of the whole row. */
  column: string
  reason: string
}

/** The rejected rows of `/jobs/{id}/report` for the on-screen table: one line per problem. */
export function rejectedRows(rejected: Schemas['Rejected'][] | null | undefined): RejectedRow[] {
  return (rejected ?? []).flatMap((r) =>
    (r.errors.length ? r.errors : [{ column: '', message: '' }]).map((e) => ({ row: r.row, column: e.column, reason: e.message })),
  )
}

/** How many distinct file rows the lines cover. */
export function rowCount(rows: readonly RejectedRow[]): number {
  return new Set(rows.map((r) => r.row)).size
}

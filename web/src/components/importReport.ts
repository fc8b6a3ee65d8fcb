import type { Schemas } from '@/api/client'

/** A rejected row of an import as the dialog's table shows it. */
export interface RejectedRow {
  /** The row number as in Excel (the header is row 1). */
  row: number
  /** Each problem as "column：message" (just the message when it names the column), joined with "；". */
  reason: string
}

function problem(e: Schemas['CellError']): string {
  return !e.column || e.message.startsWith(e.column) ? e.message : `${e.column}：${e.message}`
}

/** The rejected rows of `/jobs/{id}/report` for the on-screen table. */
export function rejectedRows(rejected: Schemas['Rejected'][] | null | undefined): RejectedRow[] {
  return (rejected ?? []).map((r) => ({
    row: r.row,
    reason: r.errors.map(problem).join('；'),
  }))
}

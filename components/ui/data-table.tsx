import { getTranslations } from "next-intl/server";
import type { ReactNode } from "react";

/** A card-styled table: the column headers, the rows, and one line of text in place of rows when there are none. */
export async function DataTable({ caption, columns, empty, children }: { caption: string; columns: string[]; empty: string | null; children: ReactNode }) {
  const t = await getTranslations("dataTable");
  return (
    <div className="overflow-x-auto rounded-xl bg-white shadow-sm ring-1 ring-slate-200">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
          <tr>
            {columns.map((column, index) => (
              <th key={index} scope="col" className="px-4 py-3">
                {column || <span className="sr-only">{t("actions")}</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {children}
          {empty ? <EmptyRow columns={columns.length}>{empty}</EmptyRow> : null}
        </tbody>
      </table>
    </div>
  );
}

/** The one row of a table that has nothing to list. */
export function EmptyRow({ columns, children }: { columns: number; children: ReactNode }) {
  return (
    <tr>
      <td colSpan={columns} className="px-4 py-8 text-center text-slate-500">
        {children}
      </td>
    </tr>
  );
}

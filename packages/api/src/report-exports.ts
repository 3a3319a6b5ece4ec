import ExcelJS from "exceljs";
import type { PerformanceReport } from "./report.ts";

/**
 * Who a report is for: "full" (everything), "board" (exceptions with commentary and one line per
 * priority), "operational" (service managers: indicators, then actions with milestones and
 * progress) and "public" (a published plan's indicators, with no personal names or commentary).
 */
export const REPORT_PACKS = ["full", "board", "operational", "public"] as const;
/** @example const pack: ReportPack = "board"; */
export type ReportPack = (typeof REPORT_PACKS)[number];
/** The languages downloads are written in. */
export const EXPORT_LOCALES = ["en-GB", "hr-HR"] as const;
/** @example const locale: ExportLocale = "hr-HR"; */
export type ExportLocale = (typeof EXPORT_LOCALES)[number];

/** A number shown to a fixed number of decimal places (the indicator's), as on screen. */
export interface FixedNumber {
  value: number;
  decimals: number;
}
/** One cell of an export: text, a count, a figure with its decimals, or empty. */
export type ExportCell = string | number | FixedNumber | null;
/** One table of an export (a CSV section, an XLSX sheet). */
export interface ExportTable {
  name: string;
  header: string[];
  rows: ExportCell[][];
}

const LABELS = {
  "en-GB": {
    tables: {
      exceptions: "Exceptions",
      priorities: "Priorities",
      indicators: "Indicators",
      actions: "Actions",
      summary: "Summary",
    },
    col: {
      priority: "Priority",
      owner: "Owner",
      code: "Indicator code",
      indicator: "Indicator",
      period: "Period",
      latest: "Latest value",
      expected: "Trajectory expects",
      status: "Status",
      trend: "Trend",
      region: "Against the region",
      actions: "Actions",
      commentary: "Commentary",
      indicators: "Indicators",
      action: "Action",
      lead: "Lead",
      organisation: "Organisation",
      due: "Due",
      progress: "% complete",
      lastUpdate: "Latest progress",
      milestones: "Milestones",
      plan: "Plan",
      generated: "Generated",
      pack: "Pack",
    },
    status: { "on-track": "On track", "at-risk": "At risk", "off-track": "Off track", "no-data": "No data" },
    trend: {
      increasing: "Increasing",
      decreasing: "Decreasing",
      "no-trend": "No significant change",
      "no-significant-change": "No significant change",
      "cannot-be-calculated": "Cannot be calculated",
    },
    bench: {
      better: "Better",
      similar: "Similar",
      worse: "Worse",
      higher: "Higher",
      lower: "Lower",
      "not-compared": "Not compared",
    },
    action: { planned: "Planned", "in-progress": "In progress", done: "Done", stopped: "Stopped" },
    done: "done",
    pack: {
      full: "Full report",
      board: "Board pack",
      operational: "Service managers' pack",
      public: "Public pack",
    },
  },
  "hr-HR": {
    tables: {
      exceptions: "Iznimke",
      priorities: "Prioriteti",
      indicators: "Pokazatelji",
      actions: "Aktivnosti",
      summary: "Sažetak",
    },
    col: {
      priority: "Prioritet",
      owner: "Nositelj",
      code: "Oznaka pokazatelja",
      indicator: "Pokazatelj",
      period: "Razdoblje",
      latest: "Najnovija vrijednost",
      expected: "Putanja očekuje",
      status: "Status",
      trend: "Trend",
      region: "U odnosu na regiju",
      actions: "Aktivnosti",
      commentary: "Komentar",
      indicators: "Pokazatelji",
      action: "Aktivnost",
      lead: "Voditelj",
      organisation: "Organizacija",
      due: "Rok",
      progress: "% dovršeno",
      lastUpdate: "Najnoviji napredak",
      milestones: "Međukoraci",
      plan: "Plan",
      generated: "Izrađeno",
      pack: "Paket",
    },
    status: {
      "on-track": "Na putu",
      "at-risk": "Ugroženo",
      "off-track": "Izvan putanje",
      "no-data": "Nema podataka",
    },
    trend: {
      increasing: "Raste",
      decreasing: "Pada",
      "no-trend": "Nema značajne promjene",
      "no-significant-change": "Nema značajne promjene",
      "cannot-be-calculated": "Ne može se izračunati",
    },
    bench: {
      better: "Bolje",
      similar: "Slično",
      worse: "Lošije",
      higher: "Više",
      lower: "Niže",
      "not-compared": "Nije uspoređeno",
    },
    action: { planned: "Planirano", "in-progress": "U tijeku", done: "Završeno", stopped: "Zaustavljeno" },
    done: "završeno",
    pack: {
      full: "Cijelo izvješće",
      board: "Paket za upravu",
      operational: "Paket za voditelje službi",
      public: "Javni paket",
    },
  },
} as const;

type Labels = (typeof LABELS)[ExportLocale];
type Indicator = PerformanceReport["priorities"][number]["indicators"][number];

/** A word from a label map, or the code itself when the map has none (never silently empty). */
const word = (map: Record<string, string>, code: string | null | undefined): string | null =>
  code == null ? null : (map[code] ?? code);

const figure = (value: number | null | undefined, decimals: number): ExportCell =>
  value == null ? null : { value, decimals };

function indicatorCells(l: Labels, i: Indicator): ExportCell[] {
  return [
    i.code,
    i.title,
    i.latest?.period ?? null,
    figure(i.latest?.value, i.decimalPlaces),
    figure(i.expected, i.decimalPlaces),
    word(l.status, i.status),
    word(l.trend, i.trend.marker),
  ];
}

/**
 * The tables of a report for one audience, in plain words of `locale` ("Off track", not
 * `off-track`) with figures to each indicator's decimal places:
 * - full: indicators (with owner and commentary) and actions;
 * - board: the exceptions with their commentary, and one line per priority with its status counts;
 * - operational: indicators, and actions with lead, due date, status, progress and milestones;
 * - public: the indicators only, with no owner, commentary or names (refuse an unpublished plan first).
 *
 * @example const [exceptions, priorities] = reportTables(report, "board", "en-GB");
 */
export function reportTables(
  report: PerformanceReport,
  pack: ReportPack,
  locale: ExportLocale = "en-GB",
): ExportTable[] {
  const l = LABELS[locale];
  const c = l.col;
  const indicators: ExportTable = {
    name: l.tables.indicators,
    header: [
      c.priority,
      c.owner,
      c.code,
      c.indicator,
      c.period,
      c.latest,
      c.expected,
      c.status,
      c.trend,
      c.region,
      c.actions,
      c.commentary,
    ],
    rows: report.priorities.flatMap((p) =>
      p.indicators.map((i) => {
        const [code, title, period, latest, expected, status, trend] = indicatorCells(l, i);
        return [
          p.title,
          p.owner,
          code ?? null,
          title ?? null,
          period ?? null,
          latest ?? null,
          expected ?? null,
          status ?? null,
          trend ?? null,
          word(l.bench, i.benchmark.region),
          i.actions,
          i.commentary?.text ?? "",
        ];
      }),
    ),
  };
  const actions: ExportTable = {
    name: l.tables.actions,
    header: [
      c.priority,
      c.action,
      c.lead,
      c.organisation,
      c.due,
      c.status,
      c.progress,
      c.lastUpdate,
      c.milestones,
    ],
    rows: report.priorities.flatMap((p) =>
      p.actions.map((a) => [
        p.title,
        a.what,
        a.lead,
        a.organisation,
        a.dueDate,
        word(l.action, a.status),
        a.percentComplete,
        a.lastUpdate ? `${a.lastUpdate.date}: ${a.lastUpdate.note}` : "",
        a.milestones
          .map((m) => `${m.title}${m.dueDate ? ` (${m.dueDate})` : ""}${m.done ? ` – ${l.done}` : ""}`)
          .join("; "),
      ]),
    ),
  };
  if (pack === "full") return [indicators, actions];
  if (pack === "operational") return [indicators, actions];
  if (pack === "public") {
    return [
      {
        name: l.tables.indicators,
        header: [c.priority, c.code, c.indicator, c.period, c.latest, c.expected, c.status, c.trend],
        rows: report.priorities.flatMap((p) => p.indicators.map((i) => [p.title, ...indicatorCells(l, i)])),
      },
    ];
  }
  // The board: what needs its attention, then one line per priority.
  return [
    {
      name: l.tables.exceptions,
      header: [
        c.priority,
        c.owner,
        c.code,
        c.indicator,
        c.period,
        c.latest,
        c.expected,
        c.status,
        c.trend,
        c.commentary,
      ],
      rows: report.exceptions.map((e) => [
        e.priority,
        e.owner,
        ...indicatorCells(l, e),
        e.commentary?.text ?? "",
      ]),
    },
    {
      name: l.tables.priorities,
      header: [
        c.priority,
        c.owner,
        c.indicators,
        l.status["on-track"],
        l.status["at-risk"],
        l.status["off-track"],
        l.status["no-data"],
      ],
      rows: report.priorities.map((p) => {
        const n = (s: Indicator["status"]) => p.indicators.filter((i) => i.status === s).length;
        return [
          p.title,
          p.owner,
          p.indicators.length,
          n("on-track"),
          n("at-risk"),
          n("off-track"),
          n("no-data"),
        ];
      }),
    },
  ];
}

/**
 * RFC 4180 CSV of rows ("." as the decimal point whatever the language; quotes doubled; cells
 * beginning with = + - @ prefixed with ' so spreadsheets do not run them as formulas).
 *
 * @example toCsv([["a", 1], ["b,c", { value: 2.456, decimals: 1 }]]) // "a,1\r\n\"b,c\",2.5\r\n"
 */
export function toCsv(rows: ReadonlyArray<ReadonlyArray<ExportCell>>): string {
  const cell = (v: ExportCell) => {
    if (v === null) return "";
    if (typeof v === "object") return v.value.toFixed(v.decimals);
    let s = String(v);
    if (typeof v === "string" && /^[=+\-@]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `${rows.map((r) => r.map(cell).join(",")).join("\r\n")}\r\n`;
}

/**
 * The tables as one CSV: a single table as it is; several one after another, each under a line
 * with its name and followed by an empty line.
 *
 * @example const csv = tablesCsv(reportTables(report, "board"));
 */
export function tablesCsv(tables: readonly ExportTable[]): string {
  if (tables.length === 1) {
    const [only] = tables as [ExportTable];
    return toCsv([only.header, ...only.rows]);
  }
  return tables.map((t) => toCsv([[t.name], t.header, ...t.rows])).join("\r\n");
}

/**
 * The tables as an XLSX workbook: a summary sheet (plan, pack, generated, status counts), then one
 * sheet per table. Figures stay numeric cells, formatted to their indicator's decimal places.
 *
 * @example const bytes = await tablesXlsx(report, "operational", "en-GB");
 */
export async function tablesXlsx(
  report: PerformanceReport,
  pack: ReportPack,
  locale: ExportLocale = "en-GB",
): Promise<Buffer> {
  const l = LABELS[locale];
  const book = new ExcelJS.Workbook();
  book.creator = "Fivestep";
  book.created = new Date(report.generatedAt);
  const summary = book.addWorksheet(l.tables.summary);
  summary.addRows([
    [l.col.plan, report.plan.title],
    [l.col.period, report.plan.periodLabel],
    [l.col.pack, l.pack[pack]],
    [l.col.generated, report.generatedAt],
    ...(["on-track", "at-risk", "off-track", "no-data"] as const).map((s) => [l.status[s], report.counts[s]]),
  ]);
  summary.getColumn(1).width = 22;
  summary.getColumn(2).width = 60;
  for (const table of reportTables(report, pack, locale)) {
    const sheet = book.addWorksheet(table.name);
    sheet.addRow(table.header).font = { bold: true };
    for (const cells of table.rows) {
      const row = sheet.addRow(cells.map((v) => (v !== null && typeof v === "object" ? v.value : v)));
      cells.forEach((v, k) => {
        if (v !== null && typeof v === "object")
          row.getCell(k + 1).numFmt = v.decimals > 0 ? `0.${"0".repeat(v.decimals)}` : "0";
      });
    }
    sheet.columns.forEach((col) => {
      col.width = 20;
    });
    sheet.views = [{ state: "frozen", ySplit: 1 }];
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}

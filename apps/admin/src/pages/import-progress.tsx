import { useTRPC } from "@fivestep/client";
import { ProgressBar, useI18n } from "@fivestep/ui";
import { useQuery } from "@tanstack/react-query";

/**
 * While a preview or commit runs, asks the server every 500 ms how far it has got and shows a
 * progress bar with the rows processed and rows per second.
 */
export function ImportProgress(props: { fileId: number; label: string }) {
  const { t, formatNumber } = useI18n();
  const trpc = useTRPC();
  const status = useQuery(
    trpc.imports.status.queryOptions(
      { fileId: props.fileId },
      { refetchInterval: 500, staleTime: 0, gcTime: 0 },
    ),
  );
  const s = status.data;
  const percent = s && s.totalBytes > 0 ? Math.round((100 * s.bytesRead) / s.totalBytes) : 0;
  return (
    <ProgressBar
      label={props.label}
      value={s ? s.bytesRead : undefined}
      max={s ? s.totalBytes : undefined}
      text={
        s
          ? t("import.progressText", {
              rows: formatNumber(s.rowsProcessed),
              rate: formatNumber(Math.round(s.rowsPerSecond)),
              percent,
            })
          : t("import.starting")
      }
    />
  );
}

import { errorMessageId, usePageTitle, useTRPC } from "@fivestep/client";
import { AuditTable, Button, ErrorPanel, SelectField, Skeleton, TextField, useI18n } from "@fivestep/ui";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";

const ENTITIES = [
  "",
  "app_user",
  "membership",
  "partnership",
  "indicator",
  "area",
  "import_batch",
  "period_lock",
] as const;

/** The whole audit trail, filtered by record type, action and dates, fifty entries at a time. */
export function AuditPage() {
  const { t } = useI18n();
  const trpc = useTRPC();
  const [entity, setEntity] = useState("");
  const [action, setAction] = useState("");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const filter = {
    limit: 50,
    ...(entity ? { entity } : {}),
    ...(action.trim() ? { action: action.trim() } : {}),
    ...(from ? { from: new Date(`${from}T00:00:00`).toISOString() } : {}),
    ...(to ? { to: new Date(`${to}T23:59:59.999`).toISOString() } : {}),
  };
  const pages = useInfiniteQuery(
    trpc.audit.list.infiniteQueryOptions(filter, {
      initialCursor: undefined,
      getNextPageParam: (last) => (last.length === 50 ? last.at(-1)?.id : undefined),
    }),
  );
  usePageTitle(t("audit.title"));

  return (
    <>
      <h1>{t("audit.title")}</h1>
      <p className="fs-lead">{t("audit.lead")}</p>
      <form className="fs-inline-form" aria-label={t("audit.filters")} onSubmit={(e) => e.preventDefault()}>
        <SelectField
          name="entity"
          label={t("audit.entity")}
          value={entity}
          onChange={setEntity}
          options={ENTITIES.map((e) => ({ value: e, label: e ? t(`entity.${e}`) : t("audit.allEntities") }))}
        />
        <TextField name="action" label={t("audit.action")} value={action} onChange={setAction} width="half" />
        <TextField
          name="from"
          label={t("audit.from")}
          type="date"
          value={from}
          onChange={setFrom}
          width="half"
        />
        <TextField name="to" label={t("audit.to")} type="date" value={to} onChange={setTo} width="half" />
      </form>
      {pages.isPending ? (
        <Skeleton label={t("common.loading")} lines={6} />
      ) : pages.isError ? (
        <ErrorPanel title={t("common.errorTitle")} message={t(errorMessageId(pages.error))} />
      ) : (
        <>
          <AuditTable caption={t("audit.caption")} rows={pages.data.pages.flat()} />
          {pages.hasNextPage ? (
            <Button
              variant="secondary"
              onClick={() => void pages.fetchNextPage()}
              disabled={pages.isFetchingNextPage}
            >
              {t("audit.older")}
            </Button>
          ) : null}
        </>
      )}
    </>
  );
}

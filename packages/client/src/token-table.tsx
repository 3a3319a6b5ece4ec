import type { RouterOutputs } from "@fivestep/api";
import { Button, type Column, ConfirmDialog, DataTable, useI18n } from "@fivestep/ui";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessageId } from "./messages.ts";
import { useTRPC } from "./trpc.ts";

/** One API token as `tokens.list` answers it. */
export type ApiTokenRow = RouterOutputs["tokens"]["list"][number];

/**
 * API tokens as a table (name, prefix, scopes and sources, maker, expiry, last use, state) with a
 * revoke button per live token that asks first; used by the admin console (every token, with its
 * partnership) and by a partnership's tokens page (its own, revoked as its lead). The server
 * decides who may revoke what; its `tokens.*` words come from the app's catalogue.
 *
 * @example <TokenTable tokens={data} partnershipId={7} />
 * @example <TokenTable tokens={data} showPartnership />
 */
export function TokenTable(props: {
  tokens: readonly ApiTokenRow[];
  /** A partnership's page: revoke as its lead (the server checks the role on that partnership). */
  partnershipId?: number;
  /** Add a column naming each token's partnership (the administrator's list). */
  showPartnership?: boolean;
}) {
  const { t, formatDate } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [revoking, setRevoking] = useState<ApiTokenRow | null>(null);
  const revoke = useMutation(
    trpc.tokens.revoke.mutationOptions({
      onSuccess: () => setRevoking(null),
      onSettled: () => void queryClient.invalidateQueries({ queryKey: trpc.tokens.list.queryKey() }),
    }),
  );

  const now = Date.now();
  const stateOf = (k: ApiTokenRow) =>
    k.revokedAt
      ? t("tokens.revoked", { date: formatDate(k.revokedAt, { dateStyle: "medium" }) })
      : Date.parse(k.expiresAt) <= now
        ? t("tokens.expired")
        : t("tokens.active");
  const columns: Column<ApiTokenRow>[] = [
    { key: "name", header: t("tokens.name"), cell: (k) => k.name, rowHeader: true },
    { key: "prefix", header: t("tokens.prefix"), cell: (k) => <code>{k.prefix}…</code> },
    {
      key: "scopes",
      header: t("tokens.scopes"),
      cell: (k) =>
        [
          k.scopes.join(", "),
          k.sources.length > 0 ? t("tokens.sourcesList", { sources: k.sources.join(", ") }) : "",
        ]
          .filter(Boolean)
          .join("; "),
    },
    ...(props.showPartnership
      ? [
          {
            key: "partnership",
            header: t("tokens.partnership"),
            cell: (k: ApiTokenRow) => k.partnershipName ?? t("tokens.noPartnership"),
          },
        ]
      : []),
    { key: "by", header: t("tokens.createdBy"), cell: (k) => k.createdByName },
    {
      key: "expires",
      header: t("tokens.expires"),
      cell: (k) => formatDate(k.expiresAt, { dateStyle: "medium" }),
    },
    {
      key: "used",
      header: t("tokens.lastUsed"),
      cell: (k) =>
        k.lastUsedAt
          ? formatDate(k.lastUsedAt, { dateStyle: "medium", timeStyle: "short" })
          : t("tokens.never"),
    },
    { key: "state", header: t("tokens.state"), cell: stateOf },
    {
      key: "revoke",
      header: <span className="fs-visually-hidden">{t("tokens.actions")}</span>,
      cell: (k) =>
        k.revokedAt ? null : (
          <Button
            variant="warning"
            aria-label={t("tokens.revokeNamed", { name: k.name })}
            onClick={() => {
              revoke.reset();
              setRevoking(k);
            }}
          >
            {t("tokens.revoke")}
          </Button>
        ),
    },
  ];

  return (
    <>
      {revoke.isSuccess ? <p role="status">{t("tokens.revokedNow", { name: revoke.data.name })}</p> : null}
      <DataTable
        caption={t("tokens.caption", { count: props.tokens.length })}
        columns={columns}
        rows={props.tokens}
        rowKey={(k) => String(k.id)}
        empty={t("tokens.empty")}
      />
      <ConfirmDialog
        open={revoking !== null}
        title={t("tokens.revokeConfirm", { name: revoking?.name ?? "" })}
        confirmLabel={t("tokens.revoke")}
        cancelLabel={t("common.cancel")}
        busy={revoke.isPending}
        onConfirm={() =>
          revoking &&
          revoke.mutate({
            partnershipId: props.partnershipId ?? null,
            id: revoking.id,
            version: revoking.version,
          })
        }
        onCancel={() => setRevoking(null)}
      >
        <p>{t("tokens.revokeHint")}</p>
        {revoke.error ? (
          <p className="fs-field-error" role="alert">
            {t(errorMessageId(revoke.error))}
          </p>
        ) : null}
      </ConfirmDialog>
    </>
  );
}

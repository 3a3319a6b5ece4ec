import type { RouterOutputs } from "@fivestep/api";
import { QueryState, usePageTitle, useTRPC } from "@fivestep/client";
import { ROLES, type Role } from "@fivestep/domain";
import {
  Button,
  type Column,
  ConfirmDialog,
  DataTable,
  ErrorPanel,
  Link,
  SelectField,
  useI18n,
} from "@fivestep/ui";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { PartnershipForm } from "./partnerships-page.tsx";

type Member = RouterOutputs["partnership"]["byId"]["members"][number];

/** One partnership: edit its name and area, and manage who belongs with which role. */
export function PartnershipPage(props: { id: number }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const detail = useQuery(trpc.partnership.byId.queryOptions({ partnershipId: props.id }));
  const list = useQuery(trpc.partnership.list.queryOptions());
  const users = useQuery(trpc.user.list.queryOptions());
  const [removing, setRemoving] = useState<Member | null>(null);
  const [newUser, setNewUser] = useState("");
  const [newRole, setNewRole] = useState<Role>("viewer");
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: [["partnership"]] }),
      queryClient.invalidateQueries({ queryKey: [["user"]] }),
    ]);
  const membershipVersion = (m: Member) =>
    users.data?.flatMap((u) => u.memberships).find((x) => x.id === m.id)?.version ?? 1;
  const changeRole = useMutation(
    trpc.membership.changeRole.mutationOptions({ onSettled: () => void refresh() }),
  );
  const remove = useMutation(
    trpc.membership.remove.mutationOptions({
      onSettled: () => {
        setRemoving(null);
        void refresh();
      },
    }),
  );
  const add = useMutation(
    trpc.membership.add.mutationOptions({
      onSuccess: () => {
        setNewUser("");
        void refresh();
      },
    }),
  );
  usePageTitle(detail.data?.name ?? t("partnerships.title"));

  if (!detail.isSuccess) return <QueryState query={detail} lines={6} />;
  const p = detail.data;
  const summary = list.data?.find((x) => x.id === p.id);
  const memberIds = new Set(p.members.map((m) => m.userId));
  const candidates = (users.data ?? []).filter((u) => !memberIds.has(u.id) && u.status !== "deactivated");
  const actionError = changeRole.error ?? remove.error ?? add.error;

  const columns: Column<Member>[] = [
    {
      key: "name",
      header: t("users.name"),
      cell: (m) => <Link to={`/users/${m.userId}`}>{m.displayName}</Link>,
      rowHeader: true,
    },
    { key: "status", header: t("users.status"), cell: (m) => t(`status.${m.status}`) },
    {
      key: "role",
      header: t("invite.role"),
      cell: (m) => (
        <label>
          <span className="fs-visually-hidden">{t("members.roleOf", { name: m.displayName })}</span>
          <select
            className="fs-select"
            value={m.role}
            onChange={(e) =>
              changeRole.mutate({ id: m.id, version: membershipVersion(m), role: e.target.value as Role })
            }
          >
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </select>
        </label>
      ),
    },
    {
      key: "remove",
      header: t("members.actions"),
      cell: (m) => (
        <Button variant="secondary" onClick={() => setRemoving(m)}>
          {t("members.remove")}
          <span className="fs-visually-hidden"> {m.displayName}</span>
        </Button>
      ),
    },
  ];

  return (
    <>
      <p>
        <Link to="/partnerships">{t("partnerships.back")}</Link>
      </p>
      <h1>{p.name}</h1>
      <h2>{t("members.title")}</h2>
      {actionError ? <ErrorPanel title={t("common.errorTitle")} message={actionError.message} /> : null}
      <DataTable
        caption={t("members.caption", { name: p.name })}
        columns={columns}
        rows={p.members}
        rowKey={(m) => String(m.id)}
        empty={t("members.empty")}
      />
      <form
        className="fs-inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (newUser) add.mutate({ userId: Number(newUser), partnershipId: p.id, role: newRole });
        }}
      >
        <SelectField
          name="userId"
          label={t("members.add")}
          value={newUser}
          onChange={setNewUser}
          options={[
            { value: "", label: t("members.choosePerson") },
            ...candidates.map((u) => ({ value: String(u.id), label: `${u.displayName} (${u.email})` })),
          ]}
        />
        <SelectField
          name="role"
          label={t("invite.role")}
          value={newRole}
          onChange={(v) => setNewRole(v as Role)}
          options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
        />
        <Button type="submit" disabled={!newUser || add.isPending}>
          {t("members.addButton")}
        </Button>
      </form>
      {summary ? <PartnershipForm key={summary.version} existing={summary} /> : null}
      <ConfirmDialog
        open={removing !== null}
        title={t("members.removeConfirm", { name: removing?.displayName ?? "", partnership: p.name })}
        confirmLabel={t("members.remove")}
        cancelLabel={t("common.cancel")}
        busy={remove.isPending}
        onCancel={() => setRemoving(null)}
        onConfirm={() => removing && remove.mutate({ id: removing.id, version: membershipVersion(removing) })}
      >
        <p>{t("members.removeHint")}</p>
      </ConfirmDialog>
    </>
  );
}

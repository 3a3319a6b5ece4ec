import type { RouterOutputs } from "@fivestep/api";
import { QueryView, usePageTitle, useTRPC } from "@fivestep/client";
import { InviteUserSchema, ROLES } from "@fivestep/domain";
import {
  Button,
  CheckboxField,
  type Column,
  DataTable,
  ErrorSummary,
  type FieldErrors,
  fieldErrorsFrom,
  Link,
  SelectField,
  TextField,
  useI18n,
  validate,
} from "@fivestep/ui";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";

type User = RouterOutputs["user"]["list"][number];

/** Everyone with an account: status, administrator flag and memberships; and the invitation form. */
export function UsersPage() {
  const { t } = useI18n();
  const trpc = useTRPC();
  const users = useQuery(trpc.user.list.queryOptions());
  const [inviting, setInviting] = useState(false);
  usePageTitle(t("users.title"));

  const columns: Column<User>[] = [
    {
      key: "name",
      header: t("users.name"),
      cell: (u) => <Link to={`/users/${u.id}`}>{u.displayName}</Link>,
      rowHeader: true,
    },
    { key: "email", header: t("users.email"), cell: (u) => u.email },
    { key: "status", header: t("users.status"), cell: (u) => t(`status.${u.status}`) },
    { key: "admin", header: t("users.admin"), cell: (u) => (u.isAdmin ? t("common.yes") : t("common.no")) },
    {
      key: "memberships",
      header: t("users.memberships"),
      cell: (u) =>
        u.memberships.length === 0
          ? "–"
          : u.memberships.map((m) => `${m.partnershipName} (${t(`role.${m.role}`)})`).join("; "),
    },
  ];

  return (
    <>
      <h1>{t("users.title")}</h1>
      <p className="fs-lead">{t("users.lead")}</p>
      {inviting ? (
        <InviteForm onClose={() => setInviting(false)} />
      ) : (
        <Button onClick={() => setInviting(true)}>{t("users.invite")}</Button>
      )}
      <QueryView query={users} lines={6}>
        {(data) => (
          <DataTable
            caption={t("users.caption", { count: data.length })}
            columns={columns}
            rows={data}
            rowKey={(u) => String(u.id)}
            empty={t("users.empty")}
          />
        )}
      </QueryView>
    </>
  );
}

function InviteForm(props: { onClose(): void }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const partnerships = useQuery(trpc.partnership.list.queryOptions());
  const [email, setEmail] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [isAdmin, setIsAdmin] = useState(false);
  const [partnershipId, setPartnershipId] = useState("");
  const [role, setRole] = useState<(typeof ROLES)[number]>("viewer");
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const invite = useMutation(
    trpc.user.invite.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.user.list.queryKey() }),
    }),
  );
  const errors = Object.keys(clientErrors).length
    ? clientErrors
    : invite.error
      ? fieldErrorsFrom(invite.error)
      : {};

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const values = {
      email,
      displayName,
      isAdmin,
      membership: partnershipId ? { partnershipId: Number(partnershipId), role } : null,
    };
    const found = validate(InviteUserSchema, values);
    setClientErrors(found);
    if (Object.keys(found).length === 0) invite.mutate(values);
  };

  if (invite.isSuccess) {
    // The token goes in the fragment, which browsers never send to a server (nor to its logs).
    const link = `${window.location.origin}/accept-invite#token=${encodeURIComponent(invite.data.inviteToken)}`;
    return (
      <div className="fs-notice fs-notice--success" role="status">
        <h2>{t("invite.doneTitle", { name: invite.data.user.displayName })}</h2>
        <p>{t("invite.doneBody")}</p>
        <p>
          <label className="fs-label" htmlFor="invite-link">
            {t("invite.link")}
          </label>
          <input
            id="invite-link"
            className="fs-input"
            readOnly
            value={link}
            onFocus={(e) => e.target.select()}
          />
        </p>
        <Button variant="secondary" onClick={props.onClose}>
          {t("common.done")}
        </Button>
      </div>
    );
  }

  return (
    <section aria-labelledby="invite-title" className="fs-card fs-narrow" style={{ marginBottom: "1.5rem" }}>
      <h2 id="invite-title" style={{ marginTop: 0 }}>
        {t("users.invite")}
      </h2>
      <ErrorSummary title={t("form.errorTitle")} errors={errors} />
      <form onSubmit={submit} noValidate>
        <TextField
          name="email"
          label={t("users.email")}
          type="email"
          value={email}
          onChange={setEmail}
          error={errors.email}
        />
        <TextField
          name="displayName"
          label={t("users.name")}
          value={displayName}
          onChange={setDisplayName}
          error={errors.displayName}
        />
        <CheckboxField
          name="isAdmin"
          label={t("users.makeAdmin")}
          hint={t("users.makeAdminHint")}
          checked={isAdmin}
          onChange={setIsAdmin}
        />
        <SelectField
          name="membership.partnershipId"
          label={t("invite.partnership")}
          value={partnershipId}
          onChange={setPartnershipId}
          error={errors["membership.partnershipId"]}
          options={[
            { value: "", label: t("invite.noPartnership") },
            ...(partnerships.data ?? []).map((p) => ({ value: String(p.id), label: p.name })),
          ]}
        />
        {partnershipId ? (
          <SelectField
            name="membership.role"
            label={t("invite.role")}
            value={role}
            onChange={(v) => setRole(v as typeof role)}
            options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
          />
        ) : null}
        <div className="fs-button-group">
          <Button type="submit" disabled={invite.isPending}>
            {t("invite.send")}
          </Button>
          <Button variant="secondary" onClick={props.onClose}>
            {t("common.cancel")}
          </Button>
        </div>
      </form>
    </section>
  );
}

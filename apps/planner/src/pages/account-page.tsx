import { ChangePasswordSchema } from "@fivestep/domain";
import {
  Button,
  ErrorSummary,
  type FieldErrors,
  fieldErrorsFrom,
  TextField,
  useI18n,
  validate,
} from "@fivestep/ui";
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useEffect, useState } from "react";
import { explainPasswordRefusal } from "../password-refusal.ts";
import { useMe } from "../session.tsx";
import { useTRPC } from "../trpc.ts";

/** The signed-in person's account: who they are, their memberships, and a password change. */
export function AccountPage() {
  const { t } = useI18n();
  const trpc = useTRPC();
  const me = useMe();
  const [currentPassword, setCurrent] = useState("");
  const [newPassword, setNew] = useState("");
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const change = useMutation(trpc.auth.changePassword.mutationOptions());
  useEffect(() => {
    document.title = `${t("account.title")} – ${t("app.title")}`;
  }, [t]);
  const errors = Object.keys(clientErrors).length
    ? clientErrors
    : change.error
      ? explainPasswordRefusal(fieldErrorsFrom(change.error), change.error, t)
      : {};

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found = validate(ChangePasswordSchema, { currentPassword, newPassword });
    setClientErrors(found);
    if (Object.keys(found).length > 0) return;
    change.mutate(
      { currentPassword, newPassword },
      {
        onSuccess: () => {
          setCurrent("");
          setNew("");
        },
      },
    );
  };

  return (
    <div className="fs-narrow">
      <h1>{t("account.title")}</h1>
      {me.data ? (
        <dl className="fs-summary-list">
          <dt>{t("account.name")}</dt>
          <dd>{me.data.displayName}</dd>
          <dt>{t("account.email")}</dt>
          <dd>{me.data.email}</dd>
          <dt>{t("account.memberships")}</dt>
          <dd>
            {me.data.memberships.length === 0
              ? t("account.noMemberships")
              : me.data.memberships.map((m) => `${m.partnershipName} (${t(`role.${m.role}`)})`).join("; ")}
          </dd>
        </dl>
      ) : null}
      <h2>{t("account.changePassword")}</h2>
      {change.isSuccess ? (
        <p className="fs-notice fs-notice--success" role="status">
          {t("account.changed", { count: change.data.otherSessionsEnded })}
        </p>
      ) : null}
      <ErrorSummary title={t("form.errorTitle")} errors={errors} />
      <form onSubmit={submit} noValidate>
        <TextField
          name="currentPassword"
          label={t("account.currentPassword")}
          type="password"
          autoComplete="current-password"
          value={currentPassword}
          onChange={setCurrent}
          error={errors.currentPassword}
        />
        <TextField
          name="newPassword"
          label={t("account.newPassword")}
          hint={t("account.newPasswordHint")}
          type="password"
          autoComplete="new-password"
          value={newPassword}
          onChange={setNew}
          error={errors.newPassword}
        />
        <Button type="submit" disabled={change.isPending}>
          {t("account.save")}
        </Button>
      </form>
    </div>
  );
}

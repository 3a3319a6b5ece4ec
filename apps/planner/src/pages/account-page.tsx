import { useMe, usePageTitle, useTRPC } from "@fivestep/client";
import {
  ChangePasswordSchema,
  type EmailSettings,
  EmailSettingsSchema,
  MESSAGE_LOCALES,
} from "@fivestep/domain";
import {
  Button,
  CheckboxField,
  ErrorSummary,
  type FieldErrors,
  fieldErrorsFrom,
  SelectField,
  TextField,
  useI18n,
  validate,
} from "@fivestep/ui";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { explainPasswordRefusal } from "../password-refusal.ts";

/** The signed-in person's account: who they are, their memberships, and a password change. */
export function AccountPage() {
  const { t } = useI18n();
  const trpc = useTRPC();
  const me = useMe();
  const [currentPassword, setCurrent] = useState("");
  const [newPassword, setNew] = useState("");
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const change = useMutation(trpc.auth.changePassword.mutationOptions());
  usePageTitle(t("account.title"));
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
      <EmailSettingsForm />
    </div>
  );
}

/** The person's saved language (their notifications and emails) and which reminders are emailed. */
function EmailSettingsForm() {
  const { t } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const saved = useQuery(trpc.auth.emailSettings.queryOptions());
  const [draft, setDraft] = useState<EmailSettings | null>(null);
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const save = useMutation(
    trpc.auth.saveEmailSettings.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.auth.emailSettings.queryKey() }),
    }),
  );
  const values = draft ?? saved.data ?? null;
  const errors = Object.keys(clientErrors).length
    ? clientErrors
    : save.error
      ? fieldErrorsFrom(save.error, t)
      : {};
  const change = (patch: Partial<EmailSettings>) => {
    if (!values) return;
    save.reset();
    setDraft({ ...values, ...patch });
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!values) return;
    const found = validate(EmailSettingsSchema, values, t);
    setClientErrors(found);
    if (Object.keys(found).length > 0) return;
    save.mutate(values, { onSuccess: () => setDraft(null) });
  };
  return (
    <section aria-labelledby="email-settings-title">
      <h2 id="email-settings-title">{t("account.emailTitle")}</h2>
      <p>{t("account.emailLead")}</p>
      {save.isSuccess ? (
        <p className="fs-notice fs-notice--success" role="status">
          {t("account.emailSaved")}
        </p>
      ) : null}
      <ErrorSummary title={t("form.errorTitle")} errors={errors} />
      {values ? (
        <form onSubmit={submit} noValidate>
          <SelectField
            name="locale"
            label={t("account.locale")}
            value={values.locale}
            onChange={(v) => change({ locale: v === "hr-HR" ? "hr-HR" : "en-GB" })}
            options={MESSAGE_LOCALES.map((l) => ({ value: l, label: t(`locale.${l}`) }))}
            error={errors.locale}
          />
          <CheckboxField
            name="dataReturns"
            label={t("account.emailDataReturns")}
            checked={values.dataReturns}
            onChange={(v) => change({ dataReturns: v })}
          />
          <CheckboxField
            name="actions"
            label={t("account.emailActions")}
            checked={values.actions}
            onChange={(v) => change({ actions: v })}
          />
          <CheckboxField
            name="targets"
            label={t("account.emailTargets")}
            checked={values.targets}
            onChange={(v) => change({ targets: v })}
          />
          <CheckboxField
            name="weeklyDigest"
            label={t("account.emailWeeklyDigest")}
            hint={t("account.emailWeeklyDigestHint")}
            checked={values.weeklyDigest}
            onChange={(v) => change({ weeklyDigest: v })}
          />
          <Button type="submit" disabled={save.isPending}>
            {t("account.emailSave")}
          </Button>
        </form>
      ) : null}
    </section>
  );
}

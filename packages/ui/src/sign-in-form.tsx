import { SignInSchema } from "@fivestep/domain";
import { type FormEvent, useState } from "react";
import { Button, ErrorSummary, type FieldErrors, fieldErrorsFrom, TextField, validate } from "./forms.tsx";
import { useI18n } from "./i18n.tsx";

/**
 * The sign-in form shared by both apps: validates with the server's schema, shows an error
 * summary and messages beside fields, and reports the server's answer (wrong password, too many
 * attempts) at the top. Uses the message ids `signIn.*` and `form.errorTitle`.
 *
 * @example <SignInForm pending={m.isPending} error={m.error} onSubmit={(v) => m.mutate(v)} />
 */
export function SignInForm(props: {
  pending: boolean;
  error: unknown;
  onSubmit(values: { email: string; password: string }): void;
}) {
  const { t } = useI18n();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const errors: FieldErrors =
    Object.keys(clientErrors).length > 0 ? clientErrors : props.error ? fieldErrorsFrom(props.error) : {};

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = validate(SignInSchema, { email, password });
    setClientErrors(found);
    if (Object.keys(found).length === 0) props.onSubmit({ email, password });
  };

  return (
    <div className="fs-narrow">
      <h1>{t("signIn.title")}</h1>
      <ErrorSummary title={t("form.errorTitle")} errors={errors} />
      <form onSubmit={submit} noValidate>
        <TextField
          name="email"
          label={t("signIn.email")}
          type="email"
          autoComplete="username"
          value={email}
          onChange={setEmail}
          error={errors.email}
        />
        <TextField
          name="password"
          label={t("signIn.password")}
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={setPassword}
          error={errors.password}
        />
        <Button type="submit" disabled={props.pending}>
          {props.pending ? t("signIn.pending") : t("signIn.submit")}
        </Button>
      </form>
      <p className="fs-hint">{t("signIn.help")}</p>
    </div>
  );
}

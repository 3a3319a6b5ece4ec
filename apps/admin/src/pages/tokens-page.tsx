import { QueryView, TokenTable, usePageTitle, useTRPC } from "@fivestep/client";
import { API_TOKEN_SCOPES, type ApiTokenScope, CreateApiTokenSchema } from "@fivestep/domain";
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
import { type FormEvent, useId, useState } from "react";

/** How long a new token may last, in days: a month, a quarter, half a year, a year. */
const LIFETIMES = [30, 90, 180, 366] as const;

/**
 * API tokens for machines: make one (name, scopes, import sources, partnership, lifetime; the
 * secret is shown once), see every token (prefix, scopes, expiry, last use), and revoke one.
 */
export function TokensPage() {
  const { t } = useI18n();
  const trpc = useTRPC();
  const tokens = useQuery(trpc.tokens.list.queryOptions({ partnershipId: null }));
  const [creating, setCreating] = useState(false);
  usePageTitle(t("tokens.title"));

  return (
    <>
      <h1>{t("tokens.title")}</h1>
      <p className="fs-lead">{t("tokens.lead")}</p>
      {creating ? (
        <CreateTokenForm onClose={() => setCreating(false)} />
      ) : (
        <Button onClick={() => setCreating(true)}>{t("tokens.create")}</Button>
      )}
      <QueryView query={tokens} lines={4}>
        {(data) => <TokenTable tokens={data} showPartnership />}
      </QueryView>
    </>
  );
}

function CreateTokenForm(props: { onClose(): void }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const partnerships = useQuery(trpc.partnership.list.queryOptions());
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<ApiTokenScope[]>([]);
  const [sources, setSources] = useState("");
  const [partnershipId, setPartnershipId] = useState("");
  const [days, setDays] = useState("90");
  const [copied, setCopied] = useState(false);
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const secretId = useId();
  const create = useMutation(
    trpc.tokens.create.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.tokens.list.queryKey() }),
    }),
  );
  const errors = Object.keys(clientErrors).length
    ? clientErrors
    : create.error
      ? fieldErrorsFrom(create.error)
      : {};

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const values = {
      name,
      scopes,
      sources: scopes.includes("import:write")
        ? sources
            .split(",")
            .map((s) => s.trim())
            .filter((s) => s !== "")
        : [],
      partnershipId: partnershipId ? Number(partnershipId) : null,
      days: Number(days),
    };
    const found = validate(CreateApiTokenSchema, values, t);
    setClientErrors(found);
    if (Object.keys(found).length === 0) create.mutate(values);
  };

  if (create.isSuccess) {
    return (
      <div className="fs-notice fs-notice--success" role="status">
        <h2>{t("tokens.madeTitle", { name: create.data.token.name })}</h2>
        <p>
          <strong>{t("tokens.madeWarning")}</strong>
        </p>
        <p>
          <label className="fs-label" htmlFor={secretId}>
            {t("tokens.secret")}
          </label>
          <input
            id={secretId}
            className="fs-input"
            readOnly
            value={create.data.secret}
            onFocus={(e) => e.target.select()}
          />
        </p>
        <div className="fs-button-group">
          <Button
            onClick={() =>
              void navigator.clipboard
                ?.writeText(create.data.secret)
                .then(() => setCopied(true))
                .catch(() => setCopied(false))
            }
          >
            {t("tokens.copy")}
          </Button>
          <Button variant="secondary" onClick={props.onClose}>
            {t("common.done")}
          </Button>
        </div>
        {copied ? <p role="status">{t("tokens.copied")}</p> : null}
      </div>
    );
  }

  return (
    <section
      aria-labelledby="token-form-title"
      className="fs-card fs-narrow"
      style={{ marginBottom: "1.5rem" }}
    >
      <h2 id="token-form-title" style={{ marginTop: 0 }}>
        {t("tokens.create")}
      </h2>
      <form onSubmit={submit} noValidate>
        <ErrorSummary title={t("form.errorTitle")} errors={errors} />
        <TextField
          name="name"
          label={t("tokens.name")}
          hint={t("tokens.nameHint")}
          value={name}
          onChange={setName}
          error={errors.name}
        />
        <fieldset className="fs-field" aria-describedby="scopes-hint">
          <legend className="fs-label">{t("tokens.scopes")}</legend>
          <p id="scopes-hint" className="fs-hint">
            {t("tokens.scopesHint")}
          </p>
          {errors.scopes ? <p className="fs-field-error">{errors.scopes}</p> : null}
          {API_TOKEN_SCOPES.map((scope) => (
            <CheckboxField
              key={scope}
              name={`scope-${scope}`}
              label={`${scope}: ${t(`tokens.scope.${scope}`)}`}
              checked={scopes.includes(scope)}
              onChange={(on) => setScopes((now) => (on ? [...now, scope] : now.filter((s) => s !== scope)))}
            />
          ))}
        </fieldset>
        {scopes.includes("import:write") ? (
          <TextField
            name="sources"
            label={t("tokens.sources")}
            hint={t("tokens.sourcesHint")}
            value={sources}
            onChange={setSources}
            error={errors.sources}
          />
        ) : null}
        <SelectField
          name="partnershipId"
          label={t("tokens.partnership")}
          hint={t("tokens.partnershipHint")}
          value={partnershipId}
          onChange={setPartnershipId}
          error={errors.partnershipId}
          options={[
            { value: "", label: t("tokens.noPartnership") },
            ...(partnerships.data ?? []).map((p) => ({ value: String(p.id), label: p.name })),
          ]}
        />
        <SelectField
          name="days"
          label={t("tokens.lifetime")}
          value={days}
          onChange={setDays}
          error={errors.days}
          options={LIFETIMES.map((d) => ({ value: String(d), label: t(`tokens.days.${d}`) }))}
        />
        <div className="fs-button-group">
          <Button type="submit" disabled={create.isPending}>
            {t("tokens.make")}
          </Button>
          <Button variant="secondary" onClick={props.onClose}>
            {t("common.cancel")}
          </Button>
        </div>
      </form>
    </section>
  );
}

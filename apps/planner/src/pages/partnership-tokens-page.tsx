import { errorMessageId, TokenTable, usePageTitle, useTRPC } from "@fivestep/client";
import { ADMIN_ONLY_SCOPES, API_TOKEN_SCOPES, CreateApiTokenSchema } from "@fivestep/domain";
import {
  Button,
  CheckboxGroup,
  ErrorPanel,
  fieldErrorsFrom,
  Link,
  SelectInput,
  Skeleton,
  TextInput,
  useI18n,
  useZodForm,
  ZodForm,
} from "@fivestep/ui";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";

/** How long a new token may last, in days: a month, a quarter, half a year, a year. */
const LIFETIMES = [30, 90, 180, 366] as const;

/** The scopes a lead may grant: everything but writes to the shared catalogue data. */
const LEAD_SCOPES = API_TOKEN_SCOPES.filter((s) => !ADMIN_ONLY_SCOPES.includes(s));

/**
 * A partnership's API tokens, for its leads: make one (name, scopes a lead may grant, lifetime;
 * the secret is shown once, with a copy button), see each (prefix, scopes, expiry, last use) and
 * revoke one after a confirmation. The server decides who may: others see its refusal.
 *
 * @example <PartnershipTokensPage partnershipId={3} />
 */
export function PartnershipTokensPage(props: { partnershipId: number }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const listInput = { partnershipId: props.partnershipId };
  const tokens = useQuery(trpc.tokens.list.queryOptions(listInput, { retry: false }));
  const [creating, setCreating] = useState(false);
  const [made, setMade] = useState<{ name: string; secret: string } | null>(null);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.tokens.list.queryKey() });
  usePageTitle(t("tokens.title"));

  const back = (
    <p>
      <Link to={`/partnerships/${props.partnershipId}`}>{t("tokens.back")}</Link>
    </p>
  );
  if (tokens.isError) {
    const forbidden = tokens.error.data?.code === "FORBIDDEN";
    return (
      <>
        {back}
        <ErrorPanel
          title={forbidden ? t("tokens.noAccessTitle") : t("common.errorTitle")}
          message={t(errorMessageId(tokens.error))}
          retryLabel={t("common.retry")}
          onRetry={forbidden ? undefined : () => void tokens.refetch()}
        />
      </>
    );
  }
  return (
    <>
      {back}
      <h1>{t("tokens.title")}</h1>
      <p className="fs-lead">{t("tokens.lead")}</p>
      {made ? (
        <MadeToken {...made} onDone={() => setMade(null)} />
      ) : creating ? (
        <CreateTokenForm
          partnershipId={props.partnershipId}
          onMade={(name, secret) => {
            setCreating(false);
            setMade({ name, secret });
            refresh();
          }}
          onCancel={() => setCreating(false)}
        />
      ) : (
        <Button onClick={() => setCreating(true)}>{t("tokens.create")}</Button>
      )}
      {tokens.isPending ? (
        <Skeleton label={t("common.loading")} lines={4} />
      ) : (
        <TokenTable tokens={tokens.data} partnershipId={props.partnershipId} />
      )}
    </>
  );
}

/** The form of a new token for the partnership, over the domain's schema. */
function CreateTokenForm(props: {
  partnershipId: number;
  onMade(name: string, secret: string): void;
  onCancel(): void;
}) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const headingId = useId();
  const create = useMutation(trpc.tokens.create.mutationOptions());
  const form = useZodForm(
    CreateApiTokenSchema,
    { name: "", scopes: [], sources: [], partnershipId: props.partnershipId, days: 90 },
    t,
  );
  return (
    <ZodForm
      form={form}
      labelledBy={headingId}
      heading={
        <h2 id={headingId} style={{ marginTop: 0 }}>
          {t("tokens.formTitle")}
        </h2>
      }
      onSubmit={(values) => create.mutateAsync(values)}
      errorsFrom={(error) => fieldErrorsFrom(error)}
      reset="defaults"
      onSaved={(_values, result) => props.onMade(result.token.name, result.secret)}
    >
      <TextInput name="name" label={t("tokens.name")} hint={t("tokens.nameHint")} />
      <CheckboxGroup
        name="scopes"
        legend={t("tokens.scopes")}
        hint={t("tokens.scopesHint")}
        options={LEAD_SCOPES.map((scope) => ({
          value: scope,
          label: `${scope}: ${t(`tokens.scope.${scope}`)}`,
        }))}
      />
      <SelectInput
        name="days"
        label={t("tokens.lifetime")}
        parse="number"
        options={LIFETIMES.map((d) => ({ value: String(d), label: t(`tokens.days.${d}`) }))}
      />
      <div className="fs-button-group">
        <Button type="submit" disabled={form.formState.isSubmitting}>
          {t("tokens.make")}
        </Button>
        <Button variant="secondary" onClick={props.onCancel}>
          {t("common.cancel")}
        </Button>
      </div>
    </ZodForm>
  );
}

/** The new token's secret, shown this once, with a copy button. */
function MadeToken(props: { name: string; secret: string; onDone(): void }) {
  const { t } = useI18n();
  const secretId = useId();
  const [copied, setCopied] = useState<"yes" | "no" | null>(null);
  return (
    <div className="fs-notice fs-notice--success" role="status">
      <h2>{t("tokens.madeTitle", { name: props.name })}</h2>
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
          value={props.secret}
          onFocus={(e) => e.target.select()}
        />
      </p>
      <div className="fs-button-group">
        <Button
          onClick={() =>
            void (navigator.clipboard?.writeText(props.secret) ?? Promise.reject(new Error("no clipboard")))
              .then(() => setCopied("yes"))
              .catch(() => setCopied("no"))
          }
        >
          {t("tokens.copy")}
        </Button>
        <Button variant="secondary" onClick={props.onDone}>
          {t("tokens.done")}
        </Button>
      </div>
      {copied === "yes" ? <p role="status">{t("tokens.copied")}</p> : null}
      {copied === "no" ? <p role="alert">{t("tokens.copyFailed")}</p> : null}
    </div>
  );
}

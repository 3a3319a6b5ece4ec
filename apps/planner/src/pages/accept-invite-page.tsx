import { useTRPC } from "@fivestep/client";
import { AcceptInviteSchema } from "@fivestep/domain";
import {
  Button,
  ErrorSummary,
  type FieldErrors,
  fieldErrorsFrom,
  TextField,
  useI18n,
  useRouter,
  validate,
} from "@fivestep/ui";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useState } from "react";
import { explainPasswordRefusal } from "../password-refusal.ts";

/**
 * The invitation token in an accept-invite address: from the fragment (`#token=…`, which never
 * reaches a server), or from the query of links sent before (`?token=…`); "" when there is none.
 *
 * @example inviteTokenFrom({ search: "", hash: "#token=abc" }) // "abc"
 * @example inviteTokenFrom({ search: "?token=abc", hash: "" }) // "abc"
 */
export function inviteTokenFrom(location: { search: string; hash: string }): string {
  return (
    new URLSearchParams(location.hash.replace(/^#/, "")).get("token") ??
    new URLSearchParams(location.search).get("token") ??
    ""
  );
}

/** Where an invitation link lands: the invited person chooses their password and is signed in. */
export function AcceptInvitePage() {
  const { t } = useI18n();
  const trpc = useTRPC();
  const { navigate } = useRouter();
  const queryClient = useQueryClient();
  const [token] = useState(() => inviteTokenFrom(window.location));
  // An old link carries the token in the query: move it to the fragment at once, so the address
  // kept in the history (and sent again on reload, or as a Referer) no longer holds it.
  useEffect(() => {
    if (!new URLSearchParams(window.location.search).has("token")) return;
    const fragment = token ? `#token=${encodeURIComponent(token)}` : "";
    window.history.replaceState(window.history.state, "", `${window.location.pathname}${fragment}`);
  }, [token]);
  const [password, setPassword] = useState("");
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const accept = useMutation(
    trpc.auth.acceptInvite.mutationOptions({
      onSuccess: async () => {
        navigate("/");
        await queryClient.resetQueries();
      },
    }),
  );
  const errors = Object.keys(clientErrors).length
    ? clientErrors
    : accept.error
      ? explainPasswordRefusal(fieldErrorsFrom(accept.error), accept.error, t)
      : {};
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found = validate(AcceptInviteSchema, { token, password });
    setClientErrors(found);
    if (Object.keys(found).length === 0) accept.mutate({ token, password });
  };
  return (
    <div className="fs-narrow">
      <h1>{t("invite.title")}</h1>
      <p>{t("invite.lead")}</p>
      <ErrorSummary title={t("form.errorTitle")} errors={errors} />
      <form onSubmit={submit} noValidate>
        <TextField
          name="password"
          label={t("invite.password")}
          hint={t("account.newPasswordHint")}
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={setPassword}
          error={errors.password ?? errors.token}
        />
        <Button type="submit" disabled={accept.isPending}>
          {t("invite.submit")}
        </Button>
      </form>
    </div>
  );
}

import { QueryState, usePageTitle, useTRPC } from "@fivestep/client";
import { UpdateUserSchema } from "@fivestep/domain";
import {
  Button,
  CheckboxField,
  ConfirmDialog,
  ErrorPanel,
  ErrorSummary,
  type FieldErrors,
  fieldErrorsFrom,
  Link,
  TextField,
  useI18n,
  validate,
} from "@fivestep/ui";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useState } from "react";

type Conflict = { displayName: string; isAdmin: boolean; version: number } | null;

/** One account: edit name and administrator flag (refused if someone else saved first), deactivate or reactivate. */
export function UserPage(props: { id: number }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const users = useQuery(trpc.user.list.queryOptions());
  const user = users.data?.find((u) => u.id === props.id);
  const [displayName, setDisplayName] = useState("");
  const [isAdmin, setIsAdmin] = useState(false);
  const [version, setVersion] = useState(0);
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const [conflict, setConflict] = useState<Conflict>(null);
  const [confirming, setConfirming] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.user.list.queryKey() });

  // Load the form from the record once, and again when a newer version arrives (never an older
  // cached one after a conflict has already shown the newer values).
  useEffect(() => {
    if (user && user.version > version) {
      setDisplayName(user.displayName);
      setIsAdmin(user.isAdmin);
      setVersion(user.version);
    }
  }, [user, version]);
  usePageTitle(user?.displayName ?? t("users.title"));

  const update = useMutation(
    trpc.user.update.mutationOptions({
      onSuccess: () => {
        setConflict(null);
        void refresh();
      },
      onError: (error) => {
        const current = error.data?.current as Conflict | undefined;
        if (error.data?.code === "CONFLICT" && current) {
          setConflict(current);
          setDisplayName(current.displayName);
          setIsAdmin(current.isAdmin);
          setVersion(current.version);
          void refresh();
        }
      },
    }),
  );
  const deactivate = useMutation(
    trpc.user.deactivate.mutationOptions({
      onSettled: () => {
        setConfirming(false);
        void refresh();
      },
    }),
  );
  const reactivate = useMutation(trpc.user.reactivate.mutationOptions({ onSettled: () => void refresh() }));

  if (!users.isSuccess) return <QueryState query={users} lines={5} />;
  if (!user) return <ErrorPanel title={t("users.notFound")} message={t("users.notFoundBody")} />;

  const errors =
    Object.keys(clientErrors).length > 0
      ? clientErrors
      : update.error && update.error.data?.code !== "CONFLICT"
        ? fieldErrorsFrom(update.error)
        : {};
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const values = { id: user.id, version, displayName, isAdmin };
    const found = validate(UpdateUserSchema, values);
    setClientErrors(found);
    if (Object.keys(found).length === 0) update.mutate(values);
  };
  const statusError = deactivate.error ?? reactivate.error;

  return (
    <div className="fs-narrow">
      <p>
        <Link to="/users">{t("users.back")}</Link>
      </p>
      <h1>{user.displayName}</h1>
      <dl className="fs-summary-list">
        <dt>{t("users.email")}</dt>
        <dd>{user.email}</dd>
        <dt>{t("users.status")}</dt>
        <dd>{t(`status.${user.status}`)}</dd>
        <dt>{t("users.memberships")}</dt>
        <dd>
          {user.memberships.length === 0
            ? "–"
            : user.memberships.map((m) => `${m.partnershipName} (${t(`role.${m.role}`)})`).join("; ")}
        </dd>
      </dl>

      <h2>{t("users.edit")}</h2>
      {conflict ? (
        <div className="fs-notice" role="alert">
          <p>
            <strong>{t("conflict.title")}</strong>
          </p>
          <p>{t("conflict.body")}</p>
          <p>
            {t("conflict.values", {
              name: conflict.displayName,
              admin: conflict.isAdmin ? t("common.yes") : t("common.no"),
            })}
          </p>
        </div>
      ) : null}
      {update.isSuccess && !conflict ? (
        <p className="fs-notice fs-notice--success" role="status">
          {t("common.saved")}
        </p>
      ) : null}
      <ErrorSummary title={t("form.errorTitle")} errors={errors} />
      <form onSubmit={submit} noValidate>
        <TextField
          name="displayName"
          label={t("users.name")}
          value={displayName}
          onChange={setDisplayName}
          error={errors.displayName}
        />
        <CheckboxField name="isAdmin" label={t("users.makeAdmin")} checked={isAdmin} onChange={setIsAdmin} />
        {errors.isAdmin ? <p className="fs-field-error">{errors.isAdmin}</p> : null}
        <Button type="submit" disabled={update.isPending}>
          {t("common.save")}
        </Button>
      </form>

      <h2>{t("users.access")}</h2>
      {statusError ? <ErrorPanel title={t("common.errorTitle")} message={statusError.message} /> : null}
      {user.status === "deactivated" ? (
        <Button variant="secondary" onClick={() => reactivate.mutate({ id: user.id, version: user.version })}>
          {t("users.reactivate")}
        </Button>
      ) : (
        <>
          <p>{t("users.deactivateHint")}</p>
          <Button variant="warning" onClick={() => setConfirming(true)}>
            {t("users.deactivate")}
          </Button>
        </>
      )}
      <ConfirmDialog
        open={confirming}
        title={t("users.deactivateConfirm", { name: user.displayName })}
        confirmLabel={t("users.deactivate")}
        cancelLabel={t("common.cancel")}
        busy={deactivate.isPending}
        onCancel={() => setConfirming(false)}
        onConfirm={() => deactivate.mutate({ id: user.id, version: user.version })}
      >
        <p>{t("users.deactivateHint")}</p>
      </ConfirmDialog>
    </div>
  );
}

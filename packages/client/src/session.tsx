import { Button, SignInForm, Skeleton, useI18n } from "@fivestep/ui";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { useTRPC } from "./trpc.ts";

/**
 * The signed-in user (null when signed out), from `auth.me`.
 *
 * @example const me = useMe(); if (me.data?.isAdmin) …
 */
export function useMe() {
  const trpc = useTRPC();
  return useQuery(trpc.auth.me.queryOptions(undefined, { staleTime: 60_000 }));
}

/**
 * Shows its children to signed-in users and the sign-in form to everyone else. With `admin`, a
 * signed-in user who is not a system administrator is told so (the server refuses them anyway).
 *
 * @example <RequireSignIn><HomePage /></RequireSignIn>
 * @example <RequireSignIn admin><UsersPage /></RequireSignIn>
 */
export function RequireSignIn(props: { children: ReactNode; admin?: boolean }) {
  const { t } = useI18n();
  const me = useMe();
  if (me.isPending) return <Skeleton label={t("common.loading")} lines={4} />;
  if (!me.data) return <SignInPage />;
  if (props.admin && !me.data.isAdmin) {
    return (
      <div className="fs-narrow">
        <h1>{t("access.title")}</h1>
        <p>{t("access.body")}</p>
      </div>
    );
  }
  return <>{props.children}</>;
}

/**
 * The sign-in page: on success every cached answer is dropped, so nothing of another user lingers.
 *
 * @example if (!me.data) return <SignInPage />;
 */
export function SignInPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const signIn = useMutation(
    trpc.auth.signIn.mutationOptions({
      // Drop every answer cached for the previous visitor and fetch afresh as the new user.
      onSuccess: () => queryClient.resetQueries(),
    }),
  );
  return <SignInForm pending={signIn.isPending} error={signIn.error} onSubmit={(v) => signIn.mutate(v)} />;
}

/**
 * The header's "signed in as" and sign-out button (nothing when signed out).
 *
 * @example <AppShell title={t("app.title")} nav={nav} actions={<UserMenu />}>…</AppShell>
 */
export function UserMenu() {
  const { t } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const me = useMe();
  const signOut = useMutation(
    trpc.auth.signOut.mutationOptions({
      onSettled: () => queryClient.resetQueries(),
    }),
  );
  if (!me.data) return null;
  return (
    <span className="fs-user">
      <span>{t("user.signedInAs", { name: me.data.displayName })}</span>
      <Button variant="secondary" onClick={() => signOut.mutate()} disabled={signOut.isPending}>
        {t("user.signOut")}
      </Button>
    </span>
  );
}

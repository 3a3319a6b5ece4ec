import type { RouterOutputs } from "@fivestep/api";
import { errorMessageId, QueryState, useMe, usePageTitle, useTRPC } from "@fivestep/client";
import {
  canMovePlan,
  MAX_PRIORITIES,
  PLAN_STATUSES,
  type PlanStatus,
  PriorityFieldsSchema,
  priorityOwnerProblem,
  ReportScheduleSchema,
  roleAtLeast,
} from "@fivestep/domain";
import {
  Button,
  CheckboxField,
  ConfirmDialog,
  DataTable,
  ErrorPanel,
  ErrorSummary,
  type FieldErrors,
  fieldErrorsFrom,
  Link,
  SelectField,
  TaskList,
  TextField,
  useI18n,
  useRouter,
  validate,
} from "@fivestep/ui";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { useRuleWords } from "../steps/shared.tsx";

type PlanDetail = RouterOutputs["plan"]["byId"];
const STEP_KEYS = ["step1", "step2", "step3", "step4", "step5"] as const;

/** One plan: its vision and status, the task list of each priority's five steps, reporting, and revisions. */
export function PlanPage(props: { partnershipId: number; planId: number }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const me = useMe();
  const query = useQuery(
    trpc.plan.byId.queryOptions({ partnershipId: props.partnershipId, planId: props.planId }),
  );
  const role = me.data?.memberships.find((m) => m.partnershipId === props.partnershipId)?.role ?? null;
  usePageTitle(query.data?.plan.title ?? t("plans.plan"));
  if (!query.isSuccess) return <QueryState query={query} lines={8} />;
  const { plan, priorities, revisions } = query.data;
  const canEdit =
    role !== null && roleAtLeast(role, "editor") && (plan.status === "draft" || plan.status === "submitted");
  const base = `/partnerships/${props.partnershipId}`;
  return (
    <>
      <p>
        <Link to={base}>{t("plan.back")}</Link>
      </p>
      <p className="fs-caption">
        {plan.periodLabel} · {t("plans.revisionN", { n: plan.revision })}
      </p>
      <h1>{plan.title}</h1>
      <dl className="fs-summary-list">
        <dt>{t("plans.vision")}</dt>
        <dd>{plan.vision || "–"}</dd>
        <dt>{t("plans.status")}</dt>
        <dd data-testid="plan-status">{t(`planStatus.${plan.status}`)}</dd>
      </dl>
      <ul>
        <li>
          <Link to={`${base}/plans/${plan.id}/overview`}>{t("plan.overviewLink")}</Link>
        </li>
        <li>
          <Link to={`${base}/plans/${plan.id}/dashboard`}>{t("plan.dashboardLink")}</Link>
        </li>
        <li>
          <Link to={`${base}/plans/${plan.id}/report`}>{t("plan.reportLink")}</Link>
        </li>
      </ul>
      {plan.status === "draft" || plan.status === "submitted" ? (
        <CheckAnswers partnershipId={props.partnershipId} detail={query.data} />
      ) : null}
      {role === "lead" ? <StatusControls partnershipId={props.partnershipId} detail={query.data} /> : null}

      <h2>{t("plan.priorities", { count: priorities.length, max: MAX_PRIORITIES })}</h2>
      {priorities.length === 0 ? (
        <p>{canEdit ? t("plan.noPrioritiesEditor") : t("plan.noPriorities")}</p>
      ) : null}
      {priorities.map((p) => (
        <section key={p.id} className="fs-section" aria-labelledby={`priority-${p.id}`}>
          <p className="fs-caption">
            {p.fields.theme} · {t("plan.owner", { owner: p.fields.ownerName })}
          </p>
          <h3 id={`priority-${p.id}`}>{p.fields.title}</h3>
          <TaskList
            label={t("plan.stepsOf", { title: p.fields.title })}
            tasks={STEP_KEYS.map((key, i) => ({
              to: `${base}/priorities/${p.id}/step/${i + 1}`,
              label: t(`${key}.title`),
              status: p.fields.steps[i] ?? "not-started",
              statusLabel: t(`stepStatus.${p.fields.steps[i] ?? "not-started"}`),
            }))}
          />
          {canEdit ? <RenamePriority partnershipId={props.partnershipId} priority={p} /> : null}
          {canEdit && plan.status === "draft" ? (
            <div className="fs-button-group">
              <MovePriority
                partnershipId={props.partnershipId}
                planId={plan.id}
                order={priorities.map((x) => x.id)}
                priority={{ id: p.id, title: p.fields.title }}
              />
              <RemovePriority
                partnershipId={props.partnershipId}
                priority={{ id: p.id, version: p.version, title: p.fields.title }}
                askReason={plan.revision > 1}
              />
            </div>
          ) : null}
        </section>
      ))}
      {canEdit ? <NewPriorityForm partnershipId={props.partnershipId} planId={plan.id} /> : null}

      <ReportingSchedule
        partnershipId={props.partnershipId}
        detail={query.data}
        canEdit={role !== null && roleAtLeast(role, "editor") && plan.status !== "closed"}
      />

      <h2>{t("plan.revisions")}</h2>
      <ul>
        {revisions.map((r) => (
          <li key={r.id}>
            {r.id === plan.id ? (
              <strong>
                {t("plan.revisionLine", { n: r.revision, status: t(`planStatus.${r.status}`) })}
              </strong>
            ) : (
              <Link to={`${base}/plans/${r.id}`}>
                {t("plan.revisionLine", { n: r.revision, status: t(`planStatus.${r.status}`) })}
              </Link>
            )}
            {r.id !== plan.id ? (
              <>
                {" · "}
                <Link to={`${base}/plans/${Math.min(r.id, plan.id)}/compare/${Math.max(r.id, plan.id)}`}>
                  {t("plan.compare")}
                </Link>
              </>
            ) : null}
          </li>
        ))}
      </ul>
    </>
  );
}

/**
 * "Check your answers" before a plan goes for agreement: each priority, ready or with what its
 * steps still lack (the same rules `plan.setStatus` applies), each gap a link to its step.
 */
function CheckAnswers(props: { partnershipId: number; detail: PlanDetail }) {
  const { t } = useI18n();
  const rt = useRuleWords();
  const { priorities, missing } = props.detail;
  const base = `/partnerships/${props.partnershipId}/priorities`;
  return (
    <section className="fs-section" aria-labelledby="check-answers">
      <h2 id="check-answers">{t("plan.checkTitle")}</h2>
      <p className="fs-hint">{t("plan.checkHint")}</p>
      {priorities.length === 0 ? <p>{t("rule.plan.noPriorities")}</p> : null}
      <dl className="fs-summary-list">
        {priorities.map((p) => {
          const gaps = missing.find((m) => m.priorityId === p.id)?.missing ?? [];
          return (
            <div key={p.id} style={{ display: "contents" }}>
              <dt>{p.fields.title}</dt>
              <dd>
                {gaps.length === 0 ? (
                  <strong>{t("plan.checkReady")}</strong>
                ) : (
                  <ul>
                    {gaps.map((g) => (
                      <li key={g.code + String(g.params.step)}>
                        <Link to={`${base}/${p.id}/step/${g.params.step}`}>
                          {rt(`rule.${g.code}`, g.params)}
                        </Link>
                      </li>
                    ))}
                  </ul>
                )}
              </dd>
            </div>
          );
        })}
      </dl>
    </section>
  );
}

/**
 * Why the plan could not move: the summary, then what each priority still lacks (the server's
 * `priorities.<id>.steps.<n>` reasons, in the reader's language), each a link to its step.
 */
function StatusRefusal(props: { partnershipId: number; detail: PlanDetail; error: unknown }) {
  const { t } = useI18n();
  const rt = useRuleWords();
  const ref = useRef<HTMLDivElement>(null);
  const errors = fieldErrorsFrom(props.error, rt);
  const key = JSON.stringify(errors);
  // Focus the summary whenever the refusal changes, so a screen reader announces it.
  useEffect(() => {
    if (key) ref.current?.focus();
  }, [key]);
  const byPriority = new Map<number, Array<{ step: number; text: string }>>();
  for (const [field, text] of Object.entries(errors)) {
    const m = /^priorities\.(\d+)\.steps\.(\d+)$/.exec(field);
    if (!m) continue;
    const list = byPriority.get(Number(m[1])) ?? [];
    list.push({ step: Number(m[2]) + 1, text });
    byPriority.set(Number(m[1]), list);
  }
  const base = `/partnerships/${props.partnershipId}/priorities`;
  return (
    <div className="fs-error-summary" role="alert" tabIndex={-1} ref={ref} aria-labelledby="status-refusal">
      <h2 id="status-refusal">{t("form.errorTitle")}</h2>
      <p>{errors.status ?? errors.form ?? Object.values(errors)[0]}</p>
      {props.detail.priorities
        .filter((p) => byPriority.has(p.id))
        .map((p) => (
          <div key={p.id}>
            <h3>{p.fields.title}</h3>
            <ul>
              {(byPriority.get(p.id) ?? []).map((gap) => (
                <li key={gap.step}>
                  <Link to={`${base}/${p.id}/step/${gap.step}`}>{gap.text}</Link>
                </li>
              ))}
            </ul>
          </div>
        ))}
    </div>
  );
}

function StatusControls(props: { partnershipId: number; detail: PlanDetail }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const { navigate } = useRouter();
  const queryClient = useQueryClient();
  const { plan } = props.detail;
  const [confirm, setConfirm] = useState<PlanStatus | "refresh" | null>(null);
  const invalidate = () => queryClient.invalidateQueries({ queryKey: [["plan"]] });
  const setStatus = useMutation(
    trpc.plan.setStatus.mutationOptions({ onSuccess: invalidate, onSettled: () => setConfirm(null) }),
  );
  const refresh = useMutation(
    trpc.plan.refresh.mutationOptions({
      onSuccess: async (next) => {
        await invalidate();
        navigate(`/partnerships/${props.partnershipId}/plans/${next.id}`);
      },
      onSettled: () => setConfirm(null),
    }),
  );
  const moves = PLAN_STATUSES.filter((s) => canMovePlan(plan.status, s));
  return (
    <div className="fs-button-group">
      {setStatus.error ? (
        <StatusRefusal partnershipId={props.partnershipId} detail={props.detail} error={setStatus.error} />
      ) : null}
      {refresh.error ? (
        <ErrorPanel title={t("common.errorTitle")} message={t(errorMessageId(refresh.error))} />
      ) : null}
      {moves.map((s) => (
        <Button key={s} variant={s === "draft" ? "secondary" : "primary"} onClick={() => setConfirm(s)}>
          {t(`planMove.${s}`)}
        </Button>
      ))}
      {plan.status !== "draft" ? (
        <Button variant="secondary" onClick={() => setConfirm("refresh")}>
          {t("plan.refresh")}
        </Button>
      ) : null}
      <ConfirmDialog
        open={confirm !== null}
        title={
          confirm === "refresh"
            ? t("plan.refreshConfirm")
            : confirm
              ? t("plan.moveConfirm", { status: t(`planStatus.${confirm}`) })
              : ""
        }
        confirmLabel={confirm === "refresh" ? t("plan.refresh") : t("common.confirm")}
        cancelLabel={t("common.cancel")}
        busy={setStatus.isPending || refresh.isPending}
        onCancel={() => setConfirm(null)}
        onConfirm={() => {
          if (confirm === "refresh") refresh.mutate({ partnershipId: props.partnershipId, planId: plan.id });
          else if (confirm)
            setStatus.mutate({
              partnershipId: props.partnershipId,
              planId: plan.id,
              version: plan.version,
              status: confirm,
            });
        }}
      >
        <p>{confirm === "refresh" ? t("plan.refreshHint") : t("plan.moveHint")}</p>
      </ConfirmDialog>
    </div>
  );
}

/**
 * "Move up" and "Move down" for one priority of a draft plan: saves the whole order shown, so a
 * stale page is refused rather than scrambling the order; focus stays on the button pressed.
 */
function MovePriority(props: {
  partnershipId: number;
  planId: number;
  order: number[];
  priority: { id: number; title: string };
}) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const at = props.order.indexOf(props.priority.id);
  const reorder = useMutation(
    trpc.priority.reorder.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.plan.byId.queryKey() }),
    }),
  );
  const move = (by: -1 | 1) => {
    const next = [...props.order];
    const other = next[at + by];
    if (other === undefined) return;
    next[at + by] = props.priority.id;
    next[at] = other;
    reorder.mutate({ partnershipId: props.partnershipId, planId: props.planId, priorityIds: next });
  };
  return (
    <>
      {reorder.error ? (
        <div className="fs-error" role="alert">
          <p>{Object.values(fieldErrorsFrom(reorder.error))[0] ?? reorder.error.message}</p>
        </div>
      ) : null}
      {at > 0 ? (
        <Button variant="secondary" disabled={reorder.isPending} onClick={() => move(-1)}>
          {t("plan.moveUp")}
          <span className="fs-visually-hidden"> {props.priority.title}</span>
        </Button>
      ) : null}
      {at < props.order.length - 1 ? (
        <Button variant="secondary" disabled={reorder.isPending} onClick={() => move(1)}>
          {t("plan.moveDown")}
          <span className="fs-visually-hidden"> {props.priority.title}</span>
        </Button>
      ) : null}
    </>
  );
}

/**
 * Renames a priority (its title, theme and owner) against the version on screen; the rest of its
 * fields stay as saved. A newer version saved meanwhile is shown, not overwritten.
 */
function RenamePriority(props: { partnershipId: number; priority: PlanDetail["priorities"][number] }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const rt = useRuleWords();
  const { fields } = props.priority;
  const [open, setOpen] = useState(false);
  const [title, setTitle] = useState(fields.title);
  const [theme, setTheme] = useState(fields.theme);
  const [owner, setOwner] = useState<Owner>({ ownerUserId: fields.ownerUserId, ownerName: fields.ownerName });
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const save = useMutation(
    trpc.priority.update.mutationOptions({
      onSuccess: () => setOpen(false),
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.plan.byId.queryKey() }),
    }),
  );
  const errors = Object.keys(clientErrors).length
    ? clientErrors
    : save.error && save.error.data?.code !== "CONFLICT"
      ? fieldErrorsFrom(save.error, rt)
      : {};
  const start = () => {
    setTitle(fields.title);
    setTheme(fields.theme);
    setOwner({ ownerUserId: fields.ownerUserId, ownerName: fields.ownerName });
    setClientErrors({});
    save.reset();
    setOpen(true);
  };
  if (!open)
    return (
      <Button variant="secondary" onClick={start}>
        {t("plan.rename")}
        <span className="fs-visually-hidden"> {fields.title}</span>
      </Button>
    );
  const headingId = `rename-${props.priority.id}`;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const next = { ...fields, title, theme, ...owner };
    const found = { ...validate(PriorityFieldsSchema, next, rt), ...ownerErrors(owner, t) };
    setClientErrors(found);
    if (Object.keys(found).length === 0)
      save.mutate({
        partnershipId: props.partnershipId,
        priorityId: props.priority.id,
        version: props.priority.version,
        ...next,
      });
  };
  return (
    <form onSubmit={submit} noValidate className="fs-card fs-narrow" aria-labelledby={headingId}>
      <h4 id={headingId}>{t("plan.renameTitle", { title: fields.title })}</h4>
      {save.error?.data?.code === "CONFLICT" ? (
        <div className="fs-error" role="alert">
          <p>{t("plan.renameConflict")}</p>
        </div>
      ) : null}
      <ErrorSummary title={t("form.errorTitle")} errors={errors} />
      <TextField
        name="title"
        label={t("priority.title")}
        value={title}
        onChange={setTitle}
        error={errors.title}
      />
      <TextField
        name="theme"
        label={t("priority.theme")}
        value={theme}
        onChange={setTheme}
        error={errors.theme}
      />
      <OwnerFields partnershipId={props.partnershipId} value={owner} onChange={setOwner} errors={errors} />
      <div className="fs-button-group">
        <Button type="submit" disabled={save.isPending}>
          {t("common.save")}
        </Button>
        <Button variant="secondary" onClick={() => setOpen(false)}>
          {t("common.cancel")}
        </Button>
      </div>
    </form>
  );
}

/**
 * Removes a priority of a draft plan, with everything in its five steps, after a confirmation
 * that says so. (An agreed plan changes its priorities through the annual refresh.)
 */
function RemovePriority(props: {
  partnershipId: number;
  priority: { id: number; version: number; title: string };
  /** In a refreshed plan the dialog asks why the priority is dropped (kept with the revision). */
  askReason: boolean;
}) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState("");
  const remove = useMutation(
    trpc.priority.remove.mutationOptions({
      onSuccess: () => setConfirming(false),
      onSettled: () => void queryClient.invalidateQueries({ queryKey: trpc.plan.byId.queryKey() }),
    }),
  );
  return (
    <>
      {remove.error && !fieldErrorsFrom(remove.error).reason ? (
        <div className="fs-error" role="alert">
          <p>
            {remove.error.data?.code === "CONFLICT"
              ? t("plan.removeConflict")
              : (Object.values(fieldErrorsFrom(remove.error))[0] ?? remove.error.message)}
          </p>
        </div>
      ) : null}
      <Button variant="warning" onClick={() => setConfirming(true)}>
        {t("plan.removePriority", { title: props.priority.title })}
      </Button>
      <ConfirmDialog
        open={confirming}
        title={t("plan.removePriorityConfirm", { title: props.priority.title })}
        confirmLabel={t("plan.removePriorityYes")}
        cancelLabel={t("common.cancel")}
        busy={remove.isPending}
        onCancel={() => setConfirming(false)}
        onConfirm={() =>
          remove.mutate({
            partnershipId: props.partnershipId,
            priorityId: props.priority.id,
            version: props.priority.version,
            reason,
          })
        }
      >
        <p>{t("plan.removePriorityHint")}</p>
        {props.askReason ? (
          <TextField
            name={`removeReason-${props.priority.id}`}
            label={t("plan.removeReason")}
            hint={t("plan.removeReasonHint")}
            value={reason}
            onChange={setReason}
            error={remove.error ? fieldErrorsFrom(remove.error).reason : undefined}
            multiline
          />
        ) : null}
      </ConfirmDialog>
    </>
  );
}

/** A priority's owner as a form holds it: a member, or the name of someone outside the system. */
interface Owner {
  ownerUserId: number | null;
  ownerName: string;
}
const NO_OWNER: Owner = { ownerUserId: null, ownerName: "" };

/** The owner's error in the reader's language, when neither a member nor a name is given. */
function ownerErrors(owner: Owner, t: (id: string) => string): FieldErrors {
  const problem = priorityOwnerProblem(owner);
  return problem ? { [problem.field]: t("priority.ownerMissing") } : {};
}

/**
 * Who owns a priority: one of the partnership's members (their reminders reach them) or, for
 * someone not in the system, their name or role as free text.
 */
function OwnerFields(props: {
  partnershipId: number;
  value: Owner;
  onChange(next: Owner): void;
  errors: FieldErrors;
}) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const partnership = useQuery(trpc.partnership.byId.queryOptions({ partnershipId: props.partnershipId }));
  const members = partnership.data?.members ?? [];
  const { ownerUserId, ownerName } = props.value;
  // A member who has since left is still shown, by the name saved with the priority.
  const options = [
    { value: "", label: t("priority.ownerOutside") },
    ...(ownerUserId !== null && !members.some((m) => m.userId === ownerUserId)
      ? [{ value: String(ownerUserId), label: ownerName }]
      : []),
    ...members.map((m) => ({ value: String(m.userId), label: m.displayName })),
  ];
  return (
    <>
      <SelectField
        name="ownerUserId"
        label={t("priority.owner")}
        hint={t("priority.ownerHint")}
        value={ownerUserId === null ? "" : String(ownerUserId)}
        onChange={(v) => {
          if (v === "") return props.onChange({ ownerUserId: null, ownerName: "" });
          const id = Number(v);
          const member = members.find((m) => m.userId === id);
          props.onChange({ ownerUserId: id, ownerName: member?.displayName ?? ownerName });
        }}
        options={options}
        error={props.errors.ownerUserId}
      />
      {ownerUserId === null ? (
        <TextField
          name="ownerName"
          label={t("priority.ownerName")}
          value={ownerName}
          onChange={(v) => props.onChange({ ownerUserId: null, ownerName: v })}
          error={props.errors.ownerName}
        />
      ) : null}
    </>
  );
}

function NewPriorityForm(props: { partnershipId: number; planId: number }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [theme, setTheme] = useState("");
  const [title, setTitle] = useState("");
  const [owner, setOwner] = useState<Owner>(NO_OWNER);
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const create = useMutation(
    trpc.priority.create.mutationOptions({
      onSuccess: async () => {
        setTheme("");
        setTitle("");
        setOwner(NO_OWNER);
        await queryClient.invalidateQueries({ queryKey: trpc.plan.byId.queryKey() });
      },
    }),
  );
  const errors = Object.keys(clientErrors).length
    ? clientErrors
    : create.error
      ? fieldErrorsFrom(create.error)
      : {};
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found = {
      ...validate(PriorityFieldsSchema, { theme, title, ...owner }),
      ...ownerErrors(owner, t),
    };
    setClientErrors(found);
    if (Object.keys(found).length === 0)
      create.mutate({ partnershipId: props.partnershipId, planId: props.planId, theme, title, ...owner });
  };
  return (
    <form onSubmit={submit} noValidate className="fs-card fs-narrow" aria-labelledby="new-priority-title">
      <h3 id="new-priority-title">{t("plan.addPriority")}</h3>
      <p className="fs-hint">{t("plan.addPriorityHint")}</p>
      <ErrorSummary title={t("form.errorTitle")} errors={errors} />
      <TextField
        name="title"
        label={t("priority.title")}
        hint={t("priority.titleHint")}
        value={title}
        onChange={setTitle}
        error={errors.title}
      />
      <TextField
        name="theme"
        label={t("priority.theme")}
        value={theme}
        onChange={setTheme}
        error={errors.theme}
      />
      <OwnerFields partnershipId={props.partnershipId} value={owner} onChange={setOwner} errors={errors} />
      <Button type="submit" disabled={create.isPending}>
        {t("plan.addPriority")}
      </Button>
    </form>
  );
}

type ReportItem = Extract<PlanDetail["reports"][number], { kind: "report" }>;
type ReportFields = ReportItem["data"];
const FREQUENCIES = ["monthly", "quarterly", "six-monthly", "annual"] as const;
const PACKS = ["full", "board", "operational", "public"] as const;

/**
 * Step 5's reporting schedule: each entry (to whom, how often, the pack and who receives it by
 * email on its dates) with what it has sent, and a form to add one or change one.
 */
function ReportingSchedule(props: { partnershipId: number; detail: PlanDetail; canEdit: boolean }) {
  const { t, formatDate, formatNumber } = useI18n();
  const trpc = useTRPC();
  const partnership = useQuery(trpc.partnership.byId.queryOptions({ partnershipId: props.partnershipId }));
  const members = (partnership.data?.members ?? []).filter((m) => m.status === "active");
  const [editing, setEditing] = useState<number | null>(null);
  const { plan, reports, sendings } = props.detail;
  const schedules = reports.filter((r): r is ReportItem => r.kind === "report");
  return (
    <>
      <h2>{t("plan.reporting")}</h2>
      <p className="fs-hint">{t("plan.reportingHint")}</p>
      {schedules.map((r) => {
        const sent = sendings.filter((s) => s.itemId === r.id);
        const headingId = `schedule-${r.id}`;
        return (
          <section key={r.id} className="fs-card" aria-labelledby={headingId}>
            <h3 id={headingId}>
              {t("plan.reportLine", {
                audience: r.data.audience,
                frequency: t(`frequency.${r.data.frequency}`),
                method: r.data.method || "–",
              })}
            </h3>
            <p>
              {t("plan.reportPackLine", {
                pack: t(`report.pack.${r.data.pack}`),
                count: r.data.recipients.length,
                due: r.data.nextDue ? formatDate(r.data.nextDue, { dateStyle: "long" }) : "–",
              })}
            </p>
            {editing === r.id ? (
              <ReportForm
                partnershipId={props.partnershipId}
                planId={plan.id}
                members={members}
                item={r}
                onDone={() => setEditing(null)}
              />
            ) : props.canEdit && editing === null ? (
              <Button variant="secondary" onClick={() => setEditing(r.id)}>
                {t("plan.reportEdit")}
                <span className="fs-visually-hidden"> {r.data.audience}</span>
              </Button>
            ) : null}
            <DataTable
              caption={t("plan.reportSentCaption", { audience: r.data.audience })}
              rows={sent}
              rowKey={(s) => s.dueDate}
              empty={t("plan.reportSentNone")}
              columns={[
                {
                  key: "due",
                  header: t("plan.reportSentDue"),
                  cell: (s) => formatDate(s.dueDate, { dateStyle: "long" }),
                  rowHeader: true,
                },
                {
                  key: "sent",
                  header: t("plan.reportSentAt"),
                  cell: (s) =>
                    s.sentAt
                      ? formatDate(s.sentAt, { dateStyle: "medium", timeStyle: "short" })
                      : t("plan.reportSending"),
                },
                { key: "pack", header: t("plan.reportPack"), cell: (s) => t(`report.pack.${s.pack}`) },
                {
                  key: "count",
                  header: t("plan.reportSentCount"),
                  cell: (s) => formatNumber(s.recipientCount),
                  numeric: true,
                },
              ]}
            />
          </section>
        );
      })}
      {props.canEdit && editing === null ? (
        <ReportForm
          partnershipId={props.partnershipId}
          planId={plan.id}
          members={members}
          item={null}
          onDone={() => undefined}
        />
      ) : null}
    </>
  );
}

/**
 * Adds a reporting schedule, or changes one against the version on screen (a newer version saved
 * meanwhile is shown, not overwritten): to whom, how, how often, the next date, the pack, and the
 * members who receive it by email.
 */
function ReportForm(props: {
  partnershipId: number;
  planId: number;
  members: ReadonlyArray<{ userId: number; displayName: string }>;
  item: ReportItem | null;
  onDone(): void;
}) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const rt = useRuleWords();
  const blank: ReportFields = {
    audience: "",
    method: "",
    frequency: "quarterly",
    nextDue: null,
    pack: "board",
    recipients: [],
  };
  const [fields, setFields] = useState<ReportFields>(props.item?.data ?? blank);
  const set = <K extends keyof ReportFields>(key: K, value: ReportFields[K]) =>
    setFields((f) => ({ ...f, [key]: value }));
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const save = useMutation(
    trpc.item.save.mutationOptions({
      onSuccess: async () => {
        if (!props.item) setFields(blank);
        props.onDone();
      },
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.plan.byId.queryKey() }),
    }),
  );
  const conflict = save.error?.data?.code === "CONFLICT";
  // After a conflict the newer version arrives with the plan: the form shows it, to change again.
  const version = props.item?.version;
  useEffect(() => {
    if (conflict && props.item) setFields(props.item.data);
  }, [version]);
  const serverErrors = save.error && !conflict ? fieldErrorsFrom(save.error, rt) : {};
  const errors: FieldErrors = Object.keys(clientErrors).length
    ? clientErrors
    : Object.fromEntries(
        Object.entries(serverErrors).map(([k, v]) => [k.replace(/^(item\.)?data\./, ""), v]),
      );
  const memberIds = new Set(props.members.map((m) => m.userId));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    // People who have left the partnership since are dropped (the server accepts members only).
    const data = { ...fields, recipients: fields.recipients.filter((id) => memberIds.has(id)) };
    const found = validate(ReportScheduleSchema, data, rt);
    setClientErrors(found);
    if (Object.keys(found).length > 0) return;
    save.mutate({
      partnershipId: props.partnershipId,
      planId: props.planId,
      item: { kind: "report", data },
      ...(props.item ? { id: props.item.id, version: props.item.version } : {}),
    });
  };
  const title = props.item
    ? t("plan.reportEditTitle", { audience: props.item.data.audience })
    : t("plan.addReport");
  const headingId = props.item ? `report-form-${props.item.id}` : "report-form-new";
  return (
    <form onSubmit={submit} noValidate className="fs-card fs-narrow" aria-labelledby={headingId}>
      <h3 id={headingId}>{title}</h3>
      {conflict ? (
        <div className="fs-error" role="alert">
          <p>{t("plan.reportConflict")}</p>
        </div>
      ) : null}
      <ErrorSummary title={t("form.errorTitle")} errors={errors} />
      <TextField
        name="audience"
        label={t("plan.reportAudience")}
        value={fields.audience}
        onChange={(v) => set("audience", v)}
        error={errors.audience}
      />
      <TextField
        name="method"
        label={t("plan.reportMethod")}
        value={fields.method}
        onChange={(v) => set("method", v)}
        error={errors.method}
      />
      <SelectField
        name="frequency"
        label={t("plan.reportFrequency")}
        value={fields.frequency}
        onChange={(v) => set("frequency", v as ReportFields["frequency"])}
        options={FREQUENCIES.map((f) => ({ value: f, label: t(`frequency.${f}`) }))}
      />
      <TextField
        name="nextDue"
        type="date"
        label={t("plan.reportNextDue")}
        hint={t("plan.reportNextDueHint")}
        value={fields.nextDue ?? ""}
        onChange={(v) => set("nextDue", v === "" ? null : v)}
        error={errors.nextDue}
        width="half"
      />
      <SelectField
        name="pack"
        label={t("plan.reportPack")}
        hint={t("plan.reportPackHint")}
        value={fields.pack}
        onChange={(v) => set("pack", v as ReportFields["pack"])}
        options={PACKS.map((p) => ({ value: p, label: t(`report.pack.${p}`) }))}
      />
      <fieldset
        className={`fs-section${errors.recipients ? " fs-field--error" : ""}`}
        aria-describedby="recipients-hint"
      >
        <legend className="fs-label">{t("plan.reportRecipients")}</legend>
        <p id="recipients-hint" className="fs-hint">
          {t("plan.reportRecipientsHint")}
        </p>
        {errors.recipients ? <p className="fs-field-error">{errors.recipients}</p> : null}
        {props.members.map((m) => (
          <CheckboxField
            key={m.userId}
            name={`recipients.${m.userId}`}
            label={m.displayName}
            checked={fields.recipients.includes(m.userId)}
            onChange={(on) =>
              set(
                "recipients",
                on ? [...fields.recipients, m.userId] : fields.recipients.filter((id) => id !== m.userId),
              )
            }
          />
        ))}
      </fieldset>
      <div className="fs-button-group">
        <Button type="submit" disabled={save.isPending}>
          {props.item ? t("common.save") : t("plan.addReport")}
        </Button>
        {props.item ? (
          <Button variant="secondary" onClick={props.onDone}>
            {t("common.cancel")}
          </Button>
        ) : null}
      </div>
    </form>
  );
}

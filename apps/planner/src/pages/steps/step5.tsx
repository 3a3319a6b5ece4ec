import {
  ACTION_KINDS,
  ACTION_STATUSES,
  ActionSchema,
  ActionUpdateSchema,
  AUDIENCES,
  CommunicationSchema,
} from "@fivestep/domain";
import {
  Button,
  type Column,
  DataTable,
  ErrorSummary,
  type FieldErrors,
  fieldErrorsFrom,
  Guidance,
  Link,
  SelectField,
  TextField,
  useI18n,
  useUnsavedChangesWarning,
  validate,
} from "@fivestep/ui";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useMe } from "../../session.tsx";
import { useTRPC } from "../../trpc.ts";
import {
  AddedNotice,
  EditAndRemove,
  itemErrorsFrom,
  itemsOf,
  type StepProps,
  useAddRounds,
  useRuleWords,
  useSaveItem,
} from "./shared.tsx";

type ActionItem = ReturnType<typeof itemsOf<"action">>[number];
type CommItem = ReturnType<typeof itemsOf<"communication">>[number];

/** Step 5, "What do we need to do?": actions (who does what, when, with whom, with what, measured against what), progress, and who needs to know. */
export function Step5(props: StepProps) {
  const { t, formatNumber } = useI18n();
  const me = useMe();
  const actions = itemsOf(props.detail, "action");
  const comms = itemsOf(props.detail, "communication");
  const indicators = itemsOf(props.detail, "indicator");
  const codeOf = (id: number | null) =>
    indicators.find((i) => i.id === id)?.data.indicatorCode ?? t("step5.noIndicator");
  const latest = (id: number) => props.detail.updates.find((u) => u.itemId === id);
  const [editing, setEditing] = useState<ActionItem | null>(null);
  const actionColumns: Column<ActionItem>[] = [
    { key: "what", header: t("step5.what"), cell: (a) => a.data.what, rowHeader: true },
    { key: "kind", header: t("step5.kind"), cell: (a) => t(`actionKind.${a.data.kind}`) },
    {
      key: "lead",
      header: t("step5.lead"),
      cell: (a) => [a.data.leadPerson, a.data.leadOrganisation].filter(Boolean).join(", "),
    },
    { key: "with", header: t("step5.partners"), cell: (a) => a.data.partners || "–" },
    { key: "resources", header: t("step5.resources"), cell: (a) => a.data.resources || "–" },
    {
      key: "when",
      header: t("step5.when"),
      cell: (a) => `${a.data.startDate ?? "?"} – ${a.data.dueDate ?? "?"}`,
    },
    { key: "measure", header: t("step5.measure"), cell: (a) => codeOf(a.data.priorityIndicatorId) },
    {
      key: "milestones",
      header: t("step5.milestones"),
      cell: (a) =>
        a.data.milestones.length === 0 ? (
          "–"
        ) : (
          <ul className="fs-changes">
            {a.data.milestones.map((m) => (
              <li key={`${m.dueDate}-${m.title}`}>
                {m.done ? "✓ " : ""}
                {m.dueDate ?? ""} {m.title}
              </li>
            ))}
          </ul>
        ),
    },
    { key: "status", header: t("step5.status"), cell: (a) => t(`actionStatus.${a.data.status}`) },
    {
      key: "progress",
      header: t("step5.progress"),
      cell: (a) => {
        const u = latest(a.id);
        return u ? `${formatNumber(u.percentComplete)}% · ${u.date}: ${u.note}` : "–";
      },
    },
  ];
  const commColumns: Column<CommItem>[] = [
    {
      key: "audience",
      header: t("step5.audience"),
      cell: (c) => t(`audience.${c.data.audience}`),
      rowHeader: true,
    },
    { key: "message", header: t("step5.message"), cell: (c) => c.data.message },
    { key: "method", header: t("step5.method"), cell: (c) => c.data.method || "–" },
    { key: "timing", header: t("step5.timing"), cell: (c) => c.data.timing || "–" },
    { key: "owner", header: t("step5.owner"), cell: (c) => c.data.owner || "–" },
  ];
  const myId = me.data?.id;
  const addingAction = useAddRounds();
  const addingComm = useAddRounds();
  const updatable = actions.filter(
    (a) => props.canDeliver || (myId !== undefined && a.data.leadUserId === myId),
  );
  return (
    <>
      <Guidance summary={t("guidance.summary")}>
        <ul>
          <li>{t("step5.prompt1")}</li>
          <li>{t("step5.prompt2")}</li>
          <li>{t("step5.prompt3")}</li>
          <li>{t("step5.prompt4")}</li>
        </ul>
      </Guidance>
      <h2>{t("step5.actionsTitle")}</h2>
      <DataTable
        caption={t("step5.actionsCaption")}
        captionHidden
        columns={actionColumns}
        rows={actions}
        rowKey={(a) => String(a.id)}
        empty={t("step5.noActions")}
      />
      {props.canDeliver && actions.length > 0 ? (
        <ul className="fs-item-controls">
          {actions.map((a) => (
            <li key={a.id} className="fs-button-group">
              <EditAndRemove
                partnershipId={props.partnershipId}
                item={a}
                name={a.data.what}
                onEdit={() => setEditing(a)}
              />
            </li>
          ))}
        </ul>
      ) : null}
      {updatable.length > 0 ? <ProgressForm partnershipId={props.partnershipId} actions={updatable} /> : null}
      {props.canDeliver ? (
        <>
          <AddedNotice added={addingAction.added} round={addingAction.round} />
          <ActionForm
            key={editing ? `edit-${editing.id}` : addingAction.key}
            {...props}
            editing={editing}
            onDone={() => setEditing(null)}
            onAdded={addingAction.done}
          />
        </>
      ) : null}
      <h2>{t("step5.commsTitle")}</h2>
      <DataTable
        caption={t("step5.commsCaption")}
        captionHidden
        columns={commColumns}
        rows={comms}
        rowKey={(c) => String(c.id)}
        empty={t("step5.noComms")}
      />
      {props.canDeliver ? (
        <>
          <AddedNotice added={addingComm.added} round={addingComm.round} />
          <CommunicationForm key={addingComm.key} {...props} onAdded={addingComm.done} />
        </>
      ) : null}
      <h2>{t("step5.reportingTitle")}</h2>
      <p>
        {t("step5.reportingLead")}{" "}
        <Link to={`/partnerships/${props.partnershipId}/plans/${props.detail.plan.id}`}>
          {t("step5.reportingLink")}
        </Link>
      </p>
    </>
  );
}

/** The milestones as the form's text lines: "due date, title[, done]". @example milestoneText([{ dueDate: null, title: "Hub open", done: true }]) // ", Hub open, done" */
function milestoneText(milestones: ActionItem["data"]["milestones"]): string {
  return milestones.map((m) => [m.dueDate ?? "", m.title, ...(m.done ? ["done"] : [])].join(", ")).join("\n");
}

/**
 * Adds an action, or edits one (every field, its status and milestones). A new action's form is
 * drawn afresh (by its key) after each one, so the next starts empty; an edit closes when saved.
 */
function ActionForm(
  props: StepProps & { editing: ActionItem | null; onDone(): void; onAdded(what: string): void },
) {
  const { t } = useI18n();
  const rt = useRuleWords();
  const indicators = itemsOf(props.detail, "indicator");
  const start = props.editing?.data;
  const [kind, setKind] = useState<string>(start?.kind ?? "new-intervention");
  const [what, setWhat] = useState(start?.what ?? "");
  const [leadPerson, setLead] = useState(start?.leadPerson ?? "");
  const [leadOrganisation, setOrg] = useState(start?.leadOrganisation ?? "");
  const [partners, setPartners] = useState(start?.partners ?? "");
  const [resources, setResources] = useState(start?.resources ?? "");
  const [startDate, setStart] = useState(start?.startDate ?? "");
  const [dueDate, setDue] = useState(start?.dueDate ?? "");
  const [indicator, setIndicator] = useState(
    start?.priorityIndicatorId ? String(start.priorityIndicatorId) : "",
  );
  const [expectedEffect, setEffect] = useState(start?.expectedEffect ?? "");
  const [status, setStatus] = useState<string>(start?.status ?? "planned");
  const [milestoneLines, setMilestoneLines] = useState(start ? milestoneText(start.milestones) : "");
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const save = useSaveItem();
  useUnsavedChangesWarning(what !== (start?.what ?? "") || status !== (start?.status ?? "planned"));
  const found = Object.keys(clientErrors).length
    ? clientErrors
    : save.error
      ? itemErrorsFrom(save.error, rt)
      : {};
  // Each field's message under its input's name, so the error summary links to it; the
  // milestones' messages together at their one text box.
  const inputNames: Record<string, string> = { kind: "actionKind", status: "actionStatus" };
  const errors: FieldErrors = {};
  for (const [key, message] of Object.entries(found)) {
    const field = key.startsWith("milestones.") ? "milestones" : key.replace(/^data\./, "");
    const name = inputNames[field] ?? field;
    errors[name] = errors[name] ? `${errors[name]}; ${message}` : message;
  }
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const data = {
      kind,
      what,
      // The member who leads it (set where actions are assigned) stays as it was.
      leadUserId: start?.leadUserId ?? null,
      status,
      leadPerson,
      leadOrganisation,
      partners,
      resources,
      startDate: startDate || null,
      dueDate: dueDate || null,
      priorityIndicatorId: indicator ? Number(indicator) : null,
      expectedEffect,
      // One milestone per line: "due date, title[, done]".
      milestones: milestoneLines
        .split("\n")
        .map((l) => l.split(",").map((x) => x.trim()))
        .filter((p) => p.some(Boolean))
        .map(([dueDate, title, done]) => ({
          dueDate: dueDate || null,
          title: title ?? "",
          done: done?.toLowerCase() === "done",
        })),
    };
    const refused = validate(ActionSchema, data, rt);
    setClientErrors(refused);
    if (Object.keys(refused).length > 0) return;
    const parsed = ActionSchema.parse(data);
    save.mutate(
      {
        partnershipId: props.partnershipId,
        priorityId: props.detail.priority.id,
        id: props.editing?.id ?? null,
        version: props.editing?.version ?? null,
        item: { kind: "action", data: parsed },
      },
      { onSuccess: () => (props.editing ? props.onDone() : props.onAdded(parsed.what)) },
    );
  };
  return (
    <form onSubmit={submit} noValidate className="fs-card fs-narrow" aria-labelledby="action-form">
      <h3 id="action-form">
        {props.editing ? t("step5.editAction", { what: props.editing.data.what }) : t("step5.addAction")}
      </h3>
      <ErrorSummary title={t("form.errorTitle")} errors={errors} />
      <SelectField
        name="actionKind"
        label={t("step5.kind")}
        value={kind}
        onChange={setKind}
        error={errors.actionKind}
        options={ACTION_KINDS.map((k) => ({ value: k, label: t(`actionKind.${k}`) }))}
      />
      <TextField name="what" label={t("step5.what")} value={what} onChange={setWhat} error={errors.what} />
      <TextField
        name="leadPerson"
        label={t("step5.leadPerson")}
        value={leadPerson}
        onChange={setLead}
        error={errors.leadPerson}
      />
      <TextField
        name="leadOrganisation"
        label={t("step5.leadOrganisation")}
        value={leadOrganisation}
        onChange={setOrg}
      />
      <TextField name="partners" label={t("step5.partners")} value={partners} onChange={setPartners} />
      <TextField name="resources" label={t("step5.resources")} value={resources} onChange={setResources} />
      <div className="fs-inline-form">
        <TextField
          name="startDate"
          label={t("step5.start")}
          type="date"
          value={startDate}
          onChange={setStart}
          error={errors.startDate}
          width="half"
        />
        <TextField
          name="dueDate"
          label={t("step5.due")}
          type="date"
          value={dueDate}
          onChange={setDue}
          error={errors.dueDate}
          width="half"
        />
      </div>
      <SelectField
        name="priorityIndicatorId"
        label={t("step5.measure")}
        hint={t("step5.measureHint")}
        value={indicator}
        onChange={setIndicator}
        error={errors.priorityIndicatorId}
        options={[
          { value: "", label: t("step5.noIndicator") },
          ...indicators.map((i) => ({ value: String(i.id), label: i.data.indicatorCode })),
        ]}
      />
      <TextField
        name="milestones"
        label={t("step5.milestones")}
        hint={t("step5.milestonesHint")}
        value={milestoneLines}
        onChange={setMilestoneLines}
        error={errors.milestones}
        multiline
      />
      <TextField
        name="expectedEffect"
        label={t("step5.effect")}
        value={expectedEffect}
        onChange={setEffect}
      />
      <SelectField
        name="actionStatus"
        label={t("step5.status")}
        hint={t("step5.statusHint")}
        value={status}
        onChange={setStatus}
        error={errors.actionStatus}
        options={ACTION_STATUSES.map((s) => ({ value: s, label: t(`actionStatus.${s}`) }))}
      />
      <div className="fs-button-group">
        <Button type="submit" disabled={save.isPending}>
          {props.editing ? t("common.save") : t("step5.addAction")}
        </Button>
        {props.editing ? (
          <Button variant="secondary" onClick={props.onDone}>
            {t("common.cancel")}
          </Button>
        ) : null}
      </div>
    </form>
  );
}

function ProgressForm(props: { partnershipId: number; actions: ActionItem[] }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [actionId, setActionId] = useState(String(props.actions[0]?.id ?? ""));
  const [date, setDate] = useState(new Date().toISOString().slice(0, 10));
  const [note, setNote] = useState("");
  const [percent, setPercent] = useState("0");
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const add = useMutation(
    trpc.item.addActionUpdate.mutationOptions({
      onSuccess: async () => {
        setNote("");
        await queryClient.invalidateQueries({ queryKey: trpc.priority.byId.queryKey() });
      },
    }),
  );
  const found = Object.keys(clientErrors).length ? clientErrors : add.error ? fieldErrorsFrom(add.error) : {};
  // Messages under their inputs' names, so the error summary links to them.
  const errors: FieldErrors = Object.fromEntries(
    Object.entries(found).map(([key, message]) => [key === "date" ? "progressDate" : key, message]),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const values = { date, note, percentComplete: Number(percent) };
    const found = validate(ActionUpdateSchema, values);
    setClientErrors(found);
    if (Object.keys(found).length === 0)
      add.mutate({ partnershipId: props.partnershipId, actionId: Number(actionId), ...values });
  };
  return (
    <form onSubmit={submit} noValidate className="fs-card fs-narrow" aria-labelledby="progress-title">
      <h3 id="progress-title">{t("step5.progressTitle")}</h3>
      <ErrorSummary title={t("form.errorTitle")} errors={errors} />
      <SelectField
        name="actionId"
        label={t("step5.action")}
        value={actionId}
        onChange={setActionId}
        options={props.actions.map((a) => ({ value: String(a.id), label: a.data.what }))}
      />
      <TextField
        name="progressDate"
        label={t("step5.date")}
        type="date"
        value={date}
        onChange={setDate}
        error={errors.progressDate}
        width="half"
      />
      <TextField
        name="note"
        label={t("step5.note")}
        value={note}
        onChange={setNote}
        error={errors.note}
        multiline
      />
      <TextField
        name="percentComplete"
        label={t("step5.percent")}
        value={percent}
        onChange={setPercent}
        error={errors.percentComplete}
        width="half"
      />
      <Button type="submit" disabled={add.isPending}>
        {t("step5.addProgress")}
      </Button>
      {add.isSuccess ? <span role="status"> {t("common.saved")}</span> : null}
    </form>
  );
}

/** Adds to the communication plan; drawn afresh (by its key) after each entry, so the next starts empty. */
function CommunicationForm(props: StepProps & { onAdded(message: string): void }) {
  const { t } = useI18n();
  const rt = useRuleWords();
  const [audience, setAudience] = useState<string>("community");
  const [message, setMessage] = useState("");
  const [method, setMethod] = useState("");
  const [timing, setTiming] = useState("");
  const [owner, setOwner] = useState("");
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const save = useSaveItem();
  const errors = Object.keys(clientErrors).length
    ? clientErrors
    : save.error
      ? itemErrorsFrom(save.error, rt)
      : {};
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const data = { audience, message, method, timing, owner };
    const found = validate(CommunicationSchema, data, rt);
    setClientErrors(found);
    if (Object.keys(found).length > 0) return;
    const parsed = CommunicationSchema.parse(data);
    save.mutate(
      {
        partnershipId: props.partnershipId,
        priorityId: props.detail.priority.id,
        item: { kind: "communication", data: parsed },
      },
      { onSuccess: () => props.onAdded(parsed.message) },
    );
  };
  return (
    <form onSubmit={submit} noValidate className="fs-card fs-narrow" aria-labelledby="add-comm">
      <h3 id="add-comm">{t("step5.addComm")}</h3>
      <ErrorSummary title={t("form.errorTitle")} errors={errors} />
      <SelectField
        name="audience"
        label={t("step5.audience")}
        value={audience}
        onChange={setAudience}
        options={AUDIENCES.map((a) => ({ value: a, label: t(`audience.${a}`) }))}
      />
      <TextField
        name="message"
        label={t("step5.message")}
        value={message}
        onChange={setMessage}
        error={errors.message}
      />
      <TextField name="method" label={t("step5.method")} value={method} onChange={setMethod} />
      <TextField name="timing" label={t("step5.timing")} value={timing} onChange={setTiming} />
      <TextField name="owner" label={t("step5.owner")} value={owner} onChange={setOwner} />
      <Button type="submit" disabled={save.isPending}>
        {t("step5.addComm")}
      </Button>
    </form>
  );
}

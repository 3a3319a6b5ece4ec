import { useMe, useTRPC } from "@fivestep/client";
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
  CheckboxInput,
  type Column,
  DataTable,
  fieldErrorsFrom,
  Guidance,
  Link,
  SelectInput,
  TextInput,
  useFieldArray,
  useI18n,
  useZodForm,
  ZodForm,
} from "@fivestep/ui";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { z } from "zod";
import {
  AddedNotice,
  EditAndRemove,
  ItemForm,
  itemsOf,
  type StepProps,
  useAddRounds,
  useRuleWords,
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
            key={editing ? `edit-${editing.id}` : "new"}
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
          <CommunicationForm {...props} onAdded={addingComm.done} />
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

/** The empty action an add form starts from (and returns to after each add). */
const NO_ACTION = {
  kind: "new-intervention",
  what: "",
  leadUserId: null,
  status: "planned",
  leadPerson: "",
  leadOrganisation: "",
  partners: "",
  resources: "",
  startDate: null,
  dueDate: null,
  priorityIndicatorId: null,
  expectedEffect: "",
  milestones: [],
} as const;

/**
 * Adds an action, or edits one (every field, its status and milestones). A new action's form goes
 * back to empty after each one; an edit closes when saved.
 */
function ActionForm(
  props: StepProps & { editing: ActionItem | null; onDone(): void; onAdded(what: string): void },
) {
  const { t } = useI18n();
  const rt = useRuleWords();
  const indicators = itemsOf(props.detail, "indicator");
  // The member who leads it (set where actions are assigned) stays as it was.
  const form = useZodForm(ActionSchema, props.editing?.data ?? { ...NO_ACTION, milestones: [] }, rt);
  return (
    <ItemForm
      step={props}
      kind="action"
      form={form}
      editing={props.editing}
      heading={
        props.editing ? t("step5.editAction", { what: props.editing.data.what }) : t("step5.addAction")
      }
      add={t("step5.addAction")}
      nameOf={(a) => a.what}
      onAdded={props.onAdded}
      onDone={props.onDone}
      fieldOf={(k) => k.replace(/^data\./, "")}
    >
      <SelectInput
        name="kind"
        label={t("step5.kind")}
        options={ACTION_KINDS.map((k) => ({ value: k, label: t(`actionKind.${k}`) }))}
      />
      <TextInput name="what" label={t("step5.what")} />
      <TextInput name="leadPerson" label={t("step5.leadPerson")} />
      <TextInput name="leadOrganisation" label={t("step5.leadOrganisation")} />
      <TextInput name="partners" label={t("step5.partners")} />
      <TextInput name="resources" label={t("step5.resources")} />
      <div className="fs-inline-form">
        <TextInput name="startDate" label={t("step5.start")} type="date" parse="textOrNull" width="half" />
        <TextInput name="dueDate" label={t("step5.due")} type="date" parse="textOrNull" width="half" />
      </div>
      <SelectInput
        name="priorityIndicatorId"
        label={t("step5.measure")}
        hint={t("step5.measureHint")}
        parse="numberOrNull"
        options={[
          { value: "", label: t("step5.noIndicator") },
          ...indicators.map((i) => ({ value: String(i.id), label: i.data.indicatorCode })),
        ]}
      />
      <Milestones />
      <TextInput name="expectedEffect" label={t("step5.effect")} />
      <SelectInput
        name="status"
        label={t("step5.status")}
        hint={t("step5.statusHint")}
        options={ACTION_STATUSES.map((s) => ({ value: s, label: t(`actionStatus.${s}`) }))}
      />
    </ItemForm>
  );
}

/** An action's milestones, one row each (title, due date, done), added and removed in place. */
function Milestones() {
  const { t } = useI18n();
  const { fields, append, remove } = useFieldArray({ name: "milestones" });
  return (
    <fieldset>
      <legend>{t("step5.milestones")}</legend>
      <p className="fs-hint">{t("step5.milestonesHint")}</p>
      {fields.map((f, i) => (
        <div key={f.id} className="fs-inline-form">
          <TextInput name={`milestones.${i}.title`} label={t("step5.milestoneTitle", { n: i + 1 })} />
          <TextInput
            name={`milestones.${i}.dueDate`}
            label={t("step5.milestoneDue", { n: i + 1 })}
            type="date"
            parse="textOrNull"
            width="half"
          />
          <CheckboxInput name={`milestones.${i}.done`} label={t("step5.milestoneDone", { n: i + 1 })} />
          <Button variant="secondary" onClick={() => remove(i)}>
            {t("step5.removeMilestone", { n: i + 1 })}
          </Button>
        </div>
      ))}
      <Button variant="secondary" onClick={() => append({ title: "", dueDate: null, done: false })}>
        {t("step5.addMilestone")}
      </Button>
    </fieldset>
  );
}

/** Today as an ISO date, the progress form's first date. */
const today = () => new Date().toISOString().slice(0, 10);

/** The progress form: which action, when, what happened, how far along. */
const ProgressSchema = ActionUpdateSchema.extend({ actionId: z.int().positive() });

function ProgressForm(props: { partnershipId: number; actions: ActionItem[] }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const form = useZodForm(ProgressSchema, {
    actionId: props.actions[0]?.id ?? 0,
    date: today(),
    note: "",
    percentComplete: 0,
  });
  const add = useMutation(
    trpc.item.addActionUpdate.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.priority.byId.queryKey() }),
    }),
  );
  const headingId = useId();
  return (
    <ZodForm
      form={form}
      labelledBy={headingId}
      heading={<h3 id={headingId}>{t("step5.progressTitle")}</h3>}
      reset="none"
      errorsFrom={(e) => fieldErrorsFrom(e)}
      onSubmit={(values) => add.mutateAsync({ partnershipId: props.partnershipId, ...values })}
      // The note goes; the action, date and percentage stay for the next entry.
      onSaved={(values) => form.reset({ ...values, note: "" })}
    >
      <SelectInput
        name="actionId"
        label={t("step5.action")}
        parse="number"
        options={props.actions.map((a) => ({ value: String(a.id), label: a.data.what }))}
      />
      <TextInput name="date" label={t("step5.date")} type="date" width="half" />
      <TextInput name="note" label={t("step5.note")} multiline />
      <TextInput name="percentComplete" label={t("step5.percent")} parse="number" width="half" />
      <Button type="submit" disabled={add.isPending}>
        {t("step5.addProgress")}
      </Button>
      {add.isSuccess ? <span role="status"> {t("common.saved")}</span> : null}
    </ZodForm>
  );
}

/** Adds to the communication plan; back to empty after each entry. */
function CommunicationForm(props: StepProps & { onAdded(message: string): void }) {
  const { t } = useI18n();
  const rt = useRuleWords();
  const form = useZodForm(
    CommunicationSchema,
    { audience: "community", message: "", method: "", timing: "", owner: "" },
    rt,
  );
  return (
    <ItemForm
      step={props}
      kind="communication"
      form={form}
      editing={null}
      heading={t("step5.addComm")}
      add={t("step5.addComm")}
      nameOf={(c) => c.message}
      onAdded={props.onAdded}
    >
      <SelectInput
        name="audience"
        label={t("step5.audience")}
        options={AUDIENCES.map((a) => ({ value: a, label: t(`audience.${a}`) }))}
      />
      <TextInput name="message" label={t("step5.message")} />
      <TextInput name="method" label={t("step5.method")} />
      <TextInput name="timing" label={t("step5.timing")} />
      <TextInput name="owner" label={t("step5.owner")} />
    </ItemForm>
  );
}

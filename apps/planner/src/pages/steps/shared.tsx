import type { RouterOutputs } from "@fivestep/api";
import { useTRPC } from "@fivestep/client";
import type { PlanItem } from "@fivestep/domain";
import {
  Button,
  ConfirmDialog,
  type FieldErrors,
  type FieldValues,
  fieldErrorsFrom,
  type I18n,
  ruleTranslator,
  type UseFormReturn,
  useI18n,
  ZodForm,
} from "@fivestep/ui";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useEffect, useId, useRef, useState } from "react";

/** What every step page receives. */
export interface StepProps {
  partnershipId: number;
  detail: RouterOutputs["priority"]["byId"];
  /** Whether the signed-in person may change this step now (role and plan status). */
  canEdit: boolean;
  /** Whether delivery parts (actions, communications) may change: also true once the plan is agreed. */
  canDeliver: boolean;
}

/** The items of one kind, typed. @example const evidence = itemsOf(detail, "evidence"); */
export function itemsOf<K extends PlanItem["kind"]>(detail: StepProps["detail"], kind: K) {
  return detail.items.filter(
    (i): i is Extract<StepProps["detail"]["items"][number], { kind: K }> => i.kind === kind,
  );
}

/**
 * The save mutation for the parts of a step; refreshes the priority and overview afterwards.
 *
 * @example const save = useSaveItem(); save.mutate({ partnershipId, priorityId, item });
 */
export function useSaveItem() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useMutation(
    trpc.item.save.mutationOptions({
      onSuccess: () =>
        Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.priority.byId.queryKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.priority.analysis.queryKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.plan.overview.queryKey() }),
        ]),
    }),
  );
}

/**
 * The translator for broken rules: their numbers and dates in the reader's notation. Pass it to
 * `validate`, `fieldErrorsFrom` and `itemErrorsFrom`.
 *
 * @example const rt = useRuleWords(); const errors = validate(schema, values, rt);
 */
export function useRuleWords(): I18n["t"] {
  const { t, formatNumber, formatDate } = useI18n();
  return ruleTranslator(t, { formatNumber, formatDate });
}

/**
 * Field messages for an item's form from a refused `item.save`, in the reader's language: the
 * server's reasons at `item.data.<field>` keyed by the field within the item (as `validate` keys
 * them), other refusals as they come.
 *
 * @example const errors = save.error ? itemErrorsFrom(save.error, t) : {}; errors["milestones.0.value"]
 */
export function itemErrorsFrom(error: unknown, t: I18n["t"]): FieldErrors {
  const all = fieldErrorsFrom(error, t);
  const fields = Object.keys(all).filter((k) => k.startsWith("item.data."));
  const errors: FieldErrors = {};
  for (const [key, message] of Object.entries(all)) {
    if (key.startsWith("item.data.")) errors[key.slice("item.data.".length)] = message;
    // The English summary of the same refusals, when they are worded field by field.
    else if (!(key === "item" && fields.length > 0)) errors[key] = message;
  }
  return errors;
}

/** A remove button that asks first. @example <RemoveItem partnershipId={1} id={4} version={2} name="Business survey" /> */
export function RemoveItem(props: { partnershipId: number; id: number; version: number; name: string }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const remove = useMutation(
    trpc.item.remove.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.priority.byId.queryKey() }),
      onSettled: () => setOpen(false),
    }),
  );
  return (
    <>
      <Button variant="secondary" onClick={() => setOpen(true)}>
        {t("common.remove")}
        <span className="fs-visually-hidden"> {props.name}</span>
      </Button>
      {remove.error ? <p className="fs-field-error">{remove.error.message}</p> : null}
      <ConfirmDialog
        open={open}
        title={t("common.removeConfirm", { name: props.name })}
        confirmLabel={t("common.remove")}
        cancelLabel={t("common.cancel")}
        busy={remove.isPending}
        onCancel={() => setOpen(false)}
        onConfirm={() =>
          remove.mutate({ partnershipId: props.partnershipId, id: props.id, version: props.version })
        }
      />
    </>
  );
}

/**
 * "Edit" and "Remove" for one part of a step, each naming it for screen readers.
 *
 * @example <EditAndRemove partnershipId={1} item={{ id: 4, version: 2 }} name="Start-up grants" onEdit={() => setEditing(o)} />
 */
export function EditAndRemove(props: {
  partnershipId: number;
  item: { id: number; version: number };
  name: string;
  onEdit(): void;
}) {
  const { t } = useI18n();
  return (
    <>
      <Button variant="secondary" onClick={props.onEdit}>
        {t("common.edit")}
        <span className="fs-visually-hidden"> {props.name}</span>
      </Button>{" "}
      <RemoveItem
        partnershipId={props.partnershipId}
        id={props.item.id}
        version={props.item.version}
        name={props.name}
      />
    </>
  );
}

/** Lines of text as paragraphs. @example <Paragraphs text={evidence.summary} /> */
export function Paragraphs(props: { text: string }) {
  if (!props.text.trim()) return <p>–</p>;
  return (
    <>
      {props.text.split(/\n{2,}/).map((p) => (
        <p key={p}>{p}</p>
      ))}
    </>
  );
}

/**
 * An add form's round: `added` names what was added for `AddedNotice`. Forms on the form layer go
 * back to empty themselves (`ZodForm`'s reset); one still holding its own state is drawn afresh
 * with `key`, so the next entry starts empty instead of carrying the last one's values.
 *
 * @example const adding = useAddRounds(); <OptionForm key={adding.key} onAdded={adding.done} />; <AddedNotice {...adding} />
 */
export function useAddRounds() {
  const [round, setRound] = useState(0);
  const [added, setAdded] = useState<string | null>(null);
  return {
    key: `new-${round}`,
    round,
    added,
    done(name: string) {
      setAdded(name);
      setRound((r) => r + 1);
    },
  };
}

/**
 * Says what an add form has just added, and takes the focus so a keyboard or screen-reader user
 * hears it and continues from there (the form below starts empty). The live region is always
 * there, so its new text is announced.
 *
 * @example <AddedNotice added={adding.added} round={adding.round} />
 */
export function AddedNotice(props: { added: string | null; round: number }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (props.round > 0) ref.current?.focus();
  }, [props.round]);
  return (
    <div
      ref={ref}
      role="status"
      tabIndex={-1}
      className={props.added ? "fs-notice fs-notice--success" : undefined}
    >
      {props.added ? t("common.added", { name: props.added }) : null}
    </div>
  );
}

/**
 * An add-or-edit form's buttons: "add" (or "Save changes" when editing) and, when editing, "Cancel".
 *
 * @example <FormButtons editing={editing !== null} busy={save.isPending} add={t("step4.addOption")} onCancel={close} />
 */
export function FormButtons(props: { editing: boolean; busy: boolean; add: string; onCancel(): void }) {
  const { t } = useI18n();
  return (
    <div className="fs-button-group">
      <Button type="submit" disabled={props.busy}>
        {props.editing ? t("common.save") : props.add}
      </Button>
      {props.editing ? (
        <Button variant="secondary" onClick={props.onCancel}>
          {t("common.cancel")}
        </Button>
      ) : null}
    </div>
  );
}

/** The data of one kind of part of a step. */
type DataOf<K extends PlanItem["kind"]> = Extract<PlanItem, { kind: K }>["data"];

/**
 * The form that adds a part of a step (evidence, an option, an action…) or changes one: saved
 * with `item.save` against the version on screen, the server's refusals shown at their fields (a
 * stale version among them), back to empty after an add (then `onAdded` names what was added),
 * closed after an edit (`onDone`).
 *
 * @example <ItemForm step={props} kind="option" form={form} editing={editing} heading={t("step4.addOption")} nameOf={(o) => o.title} onAdded={adding.done} onDone={close}>…</ItemForm>
 */
export function ItemForm<K extends PlanItem["kind"], In extends FieldValues>(props: {
  step: StepProps;
  kind: K;
  form: UseFormReturn<In, unknown, DataOf<K>>;
  editing: { id: number; version: number } | null;
  heading: string;
  add: string;
  nameOf(data: DataOf<K>): string;
  onAdded(name: string): void;
  onDone?(): void;
  /** Field messages keyed as the server keys them, moved to the form's names. */
  fieldOf?(key: string): string;
  children: ReactNode;
}) {
  const rt = useRuleWords();
  const save = useSaveItem();
  const headingId = useId();
  const { step, editing } = props;
  return (
    <ZodForm
      form={props.form}
      labelledBy={headingId}
      heading={<h3 id={headingId}>{props.heading}</h3>}
      reset={editing ? "saved" : "defaults"}
      errorsFrom={(e) =>
        Object.fromEntries(
          Object.entries(itemErrorsFrom(e, rt)).map(([k, m]) => [props.fieldOf?.(k) ?? k, m]),
        )
      }
      onSubmit={(data) =>
        save.mutateAsync({
          partnershipId: step.partnershipId,
          priorityId: step.detail.priority.id,
          id: editing?.id ?? null,
          version: editing?.version ?? null,
          // One kind's data, as the union of all kinds the procedure takes.
          item: { kind: props.kind, data } as PlanItem,
        })
      }
      onSaved={(data) => (editing ? props.onDone?.() : props.onAdded(props.nameOf(data)))}
    >
      {props.children}
      <FormButtons
        editing={editing !== null}
        busy={save.isPending}
        add={props.add}
        onCancel={() => props.onDone?.()}
      />
    </ZodForm>
  );
}

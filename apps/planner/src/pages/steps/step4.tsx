import { OPTION_DECISIONS, OptionSchema } from "@fivestep/domain";
import {
  Button,
  CheckboxField,
  ErrorSummary,
  type FieldErrors,
  Guidance,
  SelectField,
  TextField,
  useI18n,
  useUnsavedChangesWarning,
  validate,
} from "@fivestep/ui";
import { useMutation, useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
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

type OptionItem = ReturnType<typeof itemsOf<"option">>[number];

/** Step 4, "How will we get there?": options with their evidence, compared side by side, chosen or rejected with a reason; and the good-practice library. */
export function Step4(props: StepProps) {
  const { t } = useI18n();
  const options = itemsOf(props.detail, "option");
  const evidence = itemsOf(props.detail, "evidence");
  const [editing, setEditing] = useState<OptionItem | null>(null);
  const adding = useAddRounds();
  const rows: Array<[string, (o: OptionItem) => React.ReactNode]> = [
    ["step4.description", (o) => o.data.description || "–"],
    [
      "step4.evidence",
      (o) =>
        evidence
          .filter((e) => o.data.evidenceIds.includes(e.id))
          .map((e) => e.data.title)
          .join("; ") || "–",
    ],
    ["step4.practice", (o) => o.data.practice || "–"],
    ["step4.strengths", (o) => o.data.strengths || "–"],
    ["step4.weaknesses", (o) => o.data.weaknesses || "–"],
    ["step4.cost", (o) => o.data.cost || "–"],
    ["step4.effect", (o) => o.data.expectedEffect || "–"],
    ["step4.score", (o) => t("step4.scoreOf", { score: o.data.score })],
    [
      "step4.decision",
      (o) =>
        `${t(`decision.${o.data.decision}`)}${o.data.decisionReason ? `: ${o.data.decisionReason}` : ""}`,
    ],
  ];
  return (
    <>
      <Guidance summary={t("guidance.summary")}>
        <ul>
          <li>{t("step4.prompt1")}</li>
          <li>{t("step4.prompt2")}</li>
          <li>{t("step4.prompt3")}</li>
          <li>{t("step4.prompt4")}</li>
        </ul>
      </Guidance>
      <h2>{t("step4.compareTitle")}</h2>
      {options.length === 0 ? (
        <p>{t("step4.noOptions")}</p>
      ) : (
        <div className="fs-table-wrap">
          <table className="fs-table fs-compare">
            <caption>{t("step4.compareCaption")}</caption>
            <thead>
              <tr>
                <td />
                {options.map((o) => (
                  <th key={o.id} scope="col">
                    {o.data.title}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map(([label, cell]) => (
                <tr key={label}>
                  <th scope="row">{t(label)}</th>
                  {options.map((o) => (
                    <td key={o.id}>{cell(o)}</td>
                  ))}
                </tr>
              ))}
              {props.canEdit ? (
                <tr>
                  <th scope="row">{t("step4.actions")}</th>
                  {options.map((o) => (
                    <td key={o.id}>
                      <EditAndRemove
                        partnershipId={props.partnershipId}
                        item={o}
                        name={o.data.title}
                        onEdit={() => setEditing(o)}
                      />
                    </td>
                  ))}
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
      )}
      {props.canEdit ? (
        <>
          <AddedNotice added={adding.added} round={adding.round} />
          <OptionForm
            key={editing ? `edit-${editing.id}` : adding.key}
            {...props}
            editing={editing}
            onDone={() => setEditing(null)}
            onAdded={adding.done}
          />
        </>
      ) : null}
      <GoodPractice {...props} />
    </>
  );
}

function OptionForm(
  props: StepProps & { editing: OptionItem | null; onDone(): void; onAdded(title: string): void },
) {
  const { t } = useI18n();
  const rt = useRuleWords();
  const evidence = itemsOf(props.detail, "evidence");
  const start = props.editing?.data;
  const [title, setTitle] = useState(start?.title ?? "");
  const [description, setDescription] = useState(start?.description ?? "");
  const [practice, setPractice] = useState(start?.practice ?? "");
  const [strengths, setStrengths] = useState(start?.strengths ?? "");
  const [weaknesses, setWeaknesses] = useState(start?.weaknesses ?? "");
  const [cost, setCost] = useState(start?.cost ?? "");
  const [expectedEffect, setEffect] = useState(start?.expectedEffect ?? "");
  const [score, setScore] = useState(String(start?.score ?? 0));
  const [decision, setDecision] = useState<string>(start?.decision ?? "undecided");
  const [decisionReason, setReason] = useState(start?.decisionReason ?? "");
  const [evidenceIds, setEvidenceIds] = useState<number[]>(start?.evidenceIds ?? []);
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const save = useSaveItem();
  useUnsavedChangesWarning(title !== (start?.title ?? ""));
  const errors = Object.keys(clientErrors).length
    ? clientErrors
    : save.error
      ? itemErrorsFrom(save.error, rt)
      : {};
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const data = {
      title,
      description,
      practice,
      strengths,
      weaknesses,
      cost,
      expectedEffect,
      score: Number(score),
      decision,
      decisionReason,
      evidenceIds,
    };
    const found = validate(OptionSchema, data, rt);
    setClientErrors(found);
    if (Object.keys(found).length > 0) return;
    const parsed = OptionSchema.parse(data);
    save.mutate(
      {
        partnershipId: props.partnershipId,
        priorityId: props.detail.priority.id,
        id: props.editing?.id ?? null,
        version: props.editing?.version ?? null,
        item: { kind: "option", data: parsed },
      },
      // A new option's form starts again empty (drawn afresh by its key); an edit closes.
      { onSuccess: () => (props.editing ? props.onDone() : props.onAdded(parsed.title)) },
    );
  };
  return (
    <form onSubmit={submit} noValidate className="fs-card fs-narrow" aria-labelledby="option-form">
      <h3 id="option-form">
        {props.editing ? t("step4.editOption", { title: props.editing.data.title }) : t("step4.addOption")}
      </h3>
      <ErrorSummary title={t("form.errorTitle")} errors={errors} />
      <TextField
        name="title"
        label={t("step4.option")}
        value={title}
        onChange={setTitle}
        error={errors.title}
      />
      <TextField
        name="description"
        label={t("step4.description")}
        value={description}
        onChange={setDescription}
        multiline
      />
      <fieldset>
        <legend>{t("step4.evidence")}</legend>
        {evidence.length === 0 ? <p className="fs-hint">{t("step4.noEvidence")}</p> : null}
        {errors.evidenceIds ? <p className="fs-field-error">{errors.evidenceIds}</p> : null}
        {evidence.map((ev) => (
          <CheckboxField
            key={ev.id}
            name={`evidenceIds.${ev.id}`}
            label={ev.data.title}
            checked={evidenceIds.includes(ev.id)}
            onChange={(on) =>
              setEvidenceIds(on ? [...evidenceIds, ev.id] : evidenceIds.filter((x) => x !== ev.id))
            }
          />
        ))}
      </fieldset>
      <TextField
        name="practice"
        label={t("step4.practice")}
        hint={t("step4.practiceHint")}
        value={practice}
        onChange={setPractice}
        multiline
      />
      <TextField
        name="strengths"
        label={t("step4.strengths")}
        value={strengths}
        onChange={setStrengths}
        multiline
      />
      <TextField
        name="weaknesses"
        label={t("step4.weaknesses")}
        value={weaknesses}
        onChange={setWeaknesses}
        multiline
      />
      <TextField name="cost" label={t("step4.cost")} value={cost} onChange={setCost} />
      <TextField
        name="expectedEffect"
        label={t("step4.effect")}
        value={expectedEffect}
        onChange={setEffect}
      />
      <SelectField
        name="score"
        label={t("step4.score")}
        value={score}
        onChange={setScore}
        error={errors.score}
        options={[0, 1, 2, 3, 4, 5].map((n) => ({ value: String(n), label: String(n) }))}
      />
      <SelectField
        name="decision"
        label={t("step4.decision")}
        value={decision}
        onChange={setDecision}
        options={OPTION_DECISIONS.map((d) => ({ value: d, label: t(`decision.${d}`) }))}
      />
      <TextField
        name="decisionReason"
        label={t("step4.reason")}
        value={decisionReason}
        onChange={setReason}
        multiline
      />
      <div className="fs-button-group">
        <Button type="submit" disabled={save.isPending}>
          {props.editing ? t("common.save") : t("step4.addOption")}
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

function GoodPractice(props: StepProps) {
  const { t, formatDate } = useI18n();
  const trpc = useTRPC();
  const codes = itemsOf(props.detail, "indicator").map((i) => i.data.indicatorCode);
  const [code, setCode] = useState(codes[0] ?? "");
  const [text, setText] = useState("");
  const found = useQuery(
    trpc.item.searchPractice.queryOptions({ indicatorCode: code || undefined, text: text || undefined }),
  );
  const options = itemsOf(props.detail, "option").filter((o) => o.data.decision === "selected");
  const [optionId, setOptionId] = useState("");
  const [outcome, setOutcome] = useState("");
  const publish = useMutation(
    trpc.item.publishPractice.mutationOptions({ onSuccess: () => void found.refetch() }),
  );
  return (
    <section className="fs-section" aria-labelledby="practice-title">
      <h2 id="practice-title">{t("practice.title")}</h2>
      <p>{t("practice.lead")}</p>
      <form className="fs-inline-form" onSubmit={(e) => e.preventDefault()} aria-label={t("practice.search")}>
        <SelectField
          name="practiceCode"
          label={t("practice.indicator")}
          value={code}
          onChange={setCode}
          options={[{ value: "", label: t("practice.any") }, ...codes.map((c) => ({ value: c, label: c }))]}
        />
        <TextField
          name="practiceText"
          label={t("practice.words")}
          type="search"
          value={text}
          onChange={setText}
        />
      </form>
      {(found.data ?? []).length === 0 ? (
        <p>{t("practice.none")}</p>
      ) : (
        <ul>
          {(found.data ?? []).map((g) => (
            <li key={g.id} className="fs-card" style={{ listStyle: "none", marginBottom: "0.75rem" }}>
              <h3>{g.title}</h3>
              <p className="fs-caption">
                {g.partnershipName} · {g.theme} · {g.indicatorCodes.join(", ")} · {formatDate(g.publishedAt)}
              </p>
              <p>{g.summary}</p>
              <p>
                <strong>{t("practice.outcome")}</strong> {g.outcome}
              </p>
            </li>
          ))}
        </ul>
      )}
      {props.canEdit && options.length > 0 ? (
        <form
          className="fs-card fs-narrow"
          aria-labelledby="publish-title"
          onSubmit={(e) => {
            e.preventDefault();
            if (optionId)
              publish.mutate({ partnershipId: props.partnershipId, optionId: Number(optionId), outcome });
          }}
        >
          <h3 id="publish-title">{t("practice.publish")}</h3>
          <SelectField
            name="publishOption"
            label={t("step4.option")}
            value={optionId}
            onChange={setOptionId}
            options={[
              { value: "", label: t("practice.chooseOption") },
              ...options.map((o) => ({ value: String(o.id), label: o.data.title })),
            ]}
          />
          <TextField
            name="outcome"
            label={t("practice.outcome")}
            hint={t("practice.outcomeHint")}
            value={outcome}
            onChange={setOutcome}
            error={publish.error?.message}
            multiline
          />
          <Button type="submit" disabled={!optionId || publish.isPending}>
            {t("practice.publish")}
          </Button>
          {publish.isSuccess ? <span role="status"> {t("practice.published")}</span> : null}
        </form>
      ) : null}
    </section>
  );
}

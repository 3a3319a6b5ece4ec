import { useTRPC } from "@fivestep/client";
import { OPTION_DECISIONS, OptionSchema } from "@fivestep/domain";
import {
  Button,
  CheckboxGroup,
  Guidance,
  SelectField,
  SelectInput,
  TextField,
  TextInput,
  useI18n,
  useZodForm,
} from "@fivestep/ui";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import {
  AddedNotice,
  EditAndRemove,
  ItemForm,
  itemsOf,
  type StepProps,
  useAddRounds,
  useRuleWords,
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
            key={editing ? `edit-${editing.id}` : "new"}
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

/** The empty option an add form starts from (and returns to after each add). */
const NO_OPTION = {
  title: "",
  description: "",
  practice: "",
  strengths: "",
  weaknesses: "",
  cost: "",
  expectedEffect: "",
  score: 0,
  decision: "undecided",
  decisionReason: "",
  evidenceIds: [],
} as const;

function OptionForm(
  props: StepProps & { editing: OptionItem | null; onDone(): void; onAdded(title: string): void },
) {
  const { t } = useI18n();
  const rt = useRuleWords();
  const evidence = itemsOf(props.detail, "evidence");
  const form = useZodForm(OptionSchema, props.editing?.data ?? { ...NO_OPTION, evidenceIds: [] }, rt);
  return (
    <ItemForm
      step={props}
      kind="option"
      form={form}
      editing={props.editing}
      heading={
        props.editing ? t("step4.editOption", { title: props.editing.data.title }) : t("step4.addOption")
      }
      add={t("step4.addOption")}
      nameOf={(o) => o.title}
      onAdded={props.onAdded}
      onDone={props.onDone}
    >
      <TextInput name="title" label={t("step4.option")} />
      <TextInput name="description" label={t("step4.description")} multiline />
      <CheckboxGroup
        name="evidenceIds"
        legend={t("step4.evidence")}
        empty={t("step4.noEvidence")}
        options={evidence.map((ev) => ({ value: ev.id, label: ev.data.title }))}
      />
      <TextInput name="practice" label={t("step4.practice")} hint={t("step4.practiceHint")} multiline />
      <TextInput name="strengths" label={t("step4.strengths")} multiline />
      <TextInput name="weaknesses" label={t("step4.weaknesses")} multiline />
      <TextInput name="cost" label={t("step4.cost")} />
      <TextInput name="expectedEffect" label={t("step4.effect")} />
      <SelectInput
        name="score"
        label={t("step4.score")}
        parse="number"
        options={[0, 1, 2, 3, 4, 5].map((n) => ({ value: String(n), label: String(n) }))}
      />
      <SelectInput
        name="decision"
        label={t("step4.decision")}
        options={OPTION_DECISIONS.map((d) => ({ value: d, label: t(`decision.${d}`) }))}
      />
      <TextInput name="decisionReason" label={t("step4.reason")} multiline />
    </ItemForm>
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

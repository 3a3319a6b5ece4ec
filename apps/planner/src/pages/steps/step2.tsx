import { useTRPC } from "@fivestep/client";
import {
  EVIDENCE_KINDS,
  EVIDENCE_STRENGTHS,
  EvidenceSchema,
  PriorityFieldsSchema,
  WHERE_SCOPES,
} from "@fivestep/domain";
import {
  Button,
  fieldErrorsFrom,
  Guidance,
  SelectInput,
  TextInput,
  useI18n,
  useZodForm,
  ZodForm,
} from "@fivestep/ui";
import { useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { useSavePriority } from "./priority-form.tsx";
import {
  AddedNotice,
  ItemForm,
  itemsOf,
  Paragraphs,
  RemoveItem,
  type StepProps,
  useAddRounds,
  useRuleWords,
} from "./shared.tsx";

/** Step 2, "What evidence do we have?": where the problem is, what causes it, what is done now and why it is not working, and the evidence. */
export function Step2(props: StepProps) {
  const { t } = useI18n();
  const evidence = itemsOf(props.detail, "evidence");
  const adding = useAddRounds();
  return (
    <>
      <Guidance summary={t("guidance.summary")}>
        <ul>
          <li>{t("step2.prompt1")}</li>
          <li>{t("step2.prompt2")}</li>
          <li>{t("step2.prompt3")}</li>
          <li>{t("step2.prompt4")}</li>
        </ul>
      </Guidance>
      <Findings {...props} />
      <h2>{t("step2.evidenceTitle")}</h2>
      {evidence.length === 0 ? <p>{t("step2.noEvidence")}</p> : null}
      {evidence.map((e) => (
        <article key={e.id} className="fs-card" style={{ marginBottom: "1rem" }}>
          <p className="fs-caption">
            {t(`evidenceKind.${e.data.kind}`)} · {t(`strength.${e.data.strength}`)}
            {e.data.date ? ` · ${e.data.date}` : ""}
          </p>
          <h3>{e.data.title}</h3>
          <p>{e.data.source}</p>
          <Paragraphs text={e.data.summary} />
          <p>
            {t("step2.scope")}: {t(`scope.${e.data.scope}`)}
            {e.data.targetGroup ? ` – ${e.data.targetGroup}` : ""}
            {e.data.scopeAreaCode ? ` – ${e.data.scopeAreaCode}` : ""}
          </p>
          {e.data.link ? (
            <p>
              <a href={e.data.link} rel="noreferrer noopener" target="_blank">
                {t("step2.openLink")}
              </a>
            </p>
          ) : null}
          {props.canEdit ? (
            <RemoveItem
              partnershipId={props.partnershipId}
              id={e.id}
              version={e.version}
              name={e.data.title}
            />
          ) : null}
        </article>
      ))}
      {props.canEdit ? (
        <>
          <AddedNotice added={adding.added} round={adding.round} />
          <EvidenceForm {...props} onAdded={adding.done} />
        </>
      ) : null}
    </>
  );
}

/** The findings of step 2: a part of the priority's own fields. */
const FindingsSchema = PriorityFieldsSchema.pick({
  whereScope: true,
  whereAreaCode: true,
  whereGroup: true,
  causes: true,
  currentActivity: true,
  whyNotWorking: true,
});

function Findings(props: StepProps) {
  const { t } = useI18n();
  const f = props.detail.priority.fields;
  const save = useSavePriority(props);
  if (!props.canEdit) {
    return (
      <dl className="fs-summary-list">
        <dt>{t("step2.where")}</dt>
        <dd>
          {t(`scope.${f.whereScope}`)} {f.whereGroup} {f.whereAreaCode ?? ""}
        </dd>
        <dt>{t("step2.causes")}</dt>
        <dd>
          <Paragraphs text={f.causes} />
        </dd>
        <dt>{t("step2.current")}</dt>
        <dd>
          <Paragraphs text={f.currentActivity} />
        </dd>
        <dt>{t("step2.why")}</dt>
        <dd>
          <Paragraphs text={f.whyNotWorking} />
        </dd>
      </dl>
    );
  }
  // Drawn afresh for each version read, so after a refused (stale) save it shows the newer values.
  return <FindingsForm key={props.detail.priority.version} {...props} save={save} />;
}

function FindingsForm(props: StepProps & { save: ReturnType<typeof useSavePriority> }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const areas = useQuery(trpc.area.list.queryOptions());
  const { save } = props;
  const form = useZodForm(FindingsSchema, props.detail.priority.fields);
  const whereScope = form.watch("whereScope");
  const headingId = useId();
  const conflict = save.error?.data?.code === "CONFLICT";
  return (
    <ZodForm
      form={form}
      className=""
      labelledBy={headingId}
      heading={
        <>
          <h2 id={headingId}>{t("step2.findingsTitle")}</h2>
          {conflict ? (
            <div className="fs-notice" role="alert">
              {t("conflict.step")}
            </div>
          ) : null}
        </>
      }
      errorsFrom={(e) => ((e as typeof save.error)?.data?.code === "CONFLICT" ? {} : fieldErrorsFrom(e))}
      onSubmit={(values) =>
        save.saveAsync({
          ...values,
          whereAreaCode: values.whereScope === "area" ? values.whereAreaCode : null,
        })
      }
    >
      <SelectInput
        name="whereScope"
        label={t("step2.where")}
        options={WHERE_SCOPES.map((s) => ({ value: s, label: t(`scope.${s}`) }))}
      />
      {whereScope === "area" ? (
        <SelectInput
          name="whereAreaCode"
          label={t("step2.area")}
          parse="textOrNull"
          options={[
            { value: "", label: t("step2.chooseArea") },
            ...(areas.data ?? []).map((a) => ({ value: a.code, label: `${a.name} (${a.type})` })),
          ]}
        />
      ) : null}
      {whereScope === "target-group" ? <TextInput name="whereGroup" label={t("step2.group")} /> : null}
      <TextInput name="causes" label={t("step2.causes")} hint={t("step2.causesHint")} multiline />
      <TextInput name="currentActivity" label={t("step2.current")} multiline />
      <TextInput name="whyNotWorking" label={t("step2.why")} hint={t("step2.whyHint")} multiline />
      <Button type="submit" disabled={save.isPending}>
        {t("step2.saveFindings")}
      </Button>
      {save.isSuccess && !form.formState.isDirty ? <span role="status"> {t("common.saved")}</span> : null}
    </ZodForm>
  );
}

/** Adds evidence; back to empty after each piece. */
function EvidenceForm(props: StepProps & { onAdded(title: string): void }) {
  const { t } = useI18n();
  const rt = useRuleWords();
  const form = useZodForm(
    EvidenceSchema,
    {
      kind: "survey",
      title: "",
      source: "",
      date: null,
      summary: "",
      strength: "moderate",
      link: "",
      scope: "area-wide",
      scopeAreaCode: null,
      targetGroup: "",
    },
    rt,
  );
  const scope = form.watch("scope");
  return (
    <ItemForm
      step={props}
      kind="evidence"
      form={form}
      editing={null}
      heading={t("step2.addEvidence")}
      add={t("step2.addEvidence")}
      nameOf={(e) => e.title}
      onAdded={props.onAdded}
    >
      <SelectInput
        name="kind"
        label={t("step2.kind")}
        options={EVIDENCE_KINDS.map((k) => ({ value: k, label: t(`evidenceKind.${k}`) }))}
      />
      <TextInput name="title" label={t("step2.evidenceName")} />
      <TextInput name="source" label={t("step2.source")} />
      <TextInput name="date" label={t("step2.date")} type="date" parse="textOrNull" width="half" />
      <TextInput name="summary" label={t("step2.summary")} multiline />
      <SelectInput
        name="strength"
        label={t("step2.strength")}
        options={EVIDENCE_STRENGTHS.map((s) => ({ value: s, label: t(`strength.${s}`) }))}
      />
      <TextInput name="link" label={t("step2.link")} hint={t("step2.linkHint")} />
      <SelectInput
        name="scope"
        label={t("step2.scope")}
        options={WHERE_SCOPES.map((s) => ({ value: s, label: t(`scope.${s}`) }))}
      />
      {scope === "target-group" ? <TextInput name="targetGroup" label={t("step2.group")} /> : null}
    </ItemForm>
  );
}

import { EVIDENCE_KINDS, EVIDENCE_STRENGTHS, EvidenceSchema, WHERE_SCOPES } from "@fivestep/domain";
import {
  Button,
  ErrorSummary,
  type FieldErrors,
  fieldErrorsFrom,
  Guidance,
  SelectField,
  TextField,
  useI18n,
  useUnsavedChangesWarning,
  validate,
} from "@fivestep/ui";
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTRPC } from "../../trpc.ts";
import { useSavePriority } from "./priority-form.tsx";
import {
  AddedNotice,
  itemErrorsFrom,
  itemsOf,
  Paragraphs,
  RemoveItem,
  type StepProps,
  useAddRounds,
  useRuleWords,
  useSaveItem,
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
          <EvidenceForm key={adding.key} {...props} onAdded={adding.done} />
        </>
      ) : null}
    </>
  );
}

function Findings(props: StepProps) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const areas = useQuery(trpc.area.list.queryOptions());
  const f = props.detail.priority.fields;
  const [whereScope, setScope] = useState<string>(f.whereScope);
  const [whereAreaCode, setArea] = useState(f.whereAreaCode ?? "");
  const [whereGroup, setGroup] = useState(f.whereGroup);
  const [causes, setCauses] = useState(f.causes);
  const [currentActivity, setCurrent] = useState(f.currentActivity);
  const [whyNotWorking, setWhy] = useState(f.whyNotWorking);
  const save = useSavePriority(props);
  const dirty =
    whereScope !== f.whereScope ||
    whereAreaCode !== (f.whereAreaCode ?? "") ||
    whereGroup !== f.whereGroup ||
    causes !== f.causes ||
    currentActivity !== f.currentActivity ||
    whyNotWorking !== f.whyNotWorking;
  useUnsavedChangesWarning(dirty && props.canEdit);
  const conflict = save.error?.data?.code === "CONFLICT";
  const errors = save.error && !conflict ? fieldErrorsFrom(save.error) : {};
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
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.save({
      whereScope: whereScope as (typeof WHERE_SCOPES)[number],
      whereAreaCode: whereScope === "area" && whereAreaCode ? whereAreaCode : null,
      whereGroup,
      causes,
      currentActivity,
      whyNotWorking,
    });
  };
  return (
    <form onSubmit={submit} noValidate aria-labelledby="findings-title">
      <h2 id="findings-title">{t("step2.findingsTitle")}</h2>
      {conflict ? (
        <div className="fs-notice" role="alert">
          {t("conflict.step")}
        </div>
      ) : null}
      <ErrorSummary title={t("form.errorTitle")} errors={errors} />
      <SelectField
        name="whereScope"
        label={t("step2.where")}
        value={whereScope}
        onChange={setScope}
        options={WHERE_SCOPES.map((s) => ({ value: s, label: t(`scope.${s}`) }))}
      />
      {whereScope === "area" ? (
        <SelectField
          name="whereAreaCode"
          label={t("step2.area")}
          value={whereAreaCode}
          onChange={setArea}
          options={[
            { value: "", label: t("step2.chooseArea") },
            ...(areas.data ?? []).map((a) => ({ value: a.code, label: `${a.name} (${a.type})` })),
          ]}
        />
      ) : null}
      {whereScope === "target-group" ? (
        <TextField
          name="whereGroup"
          label={t("step2.group")}
          value={whereGroup}
          onChange={setGroup}
          error={errors.whereGroup}
        />
      ) : null}
      <TextField
        name="causes"
        label={t("step2.causes")}
        hint={t("step2.causesHint")}
        value={causes}
        onChange={setCauses}
        error={errors.causes}
        multiline
      />
      <TextField
        name="currentActivity"
        label={t("step2.current")}
        value={currentActivity}
        onChange={setCurrent}
        error={errors.currentActivity}
        multiline
      />
      <TextField
        name="whyNotWorking"
        label={t("step2.why")}
        hint={t("step2.whyHint")}
        value={whyNotWorking}
        onChange={setWhy}
        error={errors.whyNotWorking}
        multiline
      />
      <Button type="submit" disabled={save.isPending}>
        {t("step2.saveFindings")}
      </Button>
      {save.isSuccess && !dirty ? <span role="status"> {t("common.saved")}</span> : null}
    </form>
  );
}

/** Adds evidence; drawn afresh (by its key) after each piece, so the next starts empty. */
function EvidenceForm(props: StepProps & { onAdded(title: string): void }) {
  const { t } = useI18n();
  const rt = useRuleWords();
  const [kind, setKind] = useState<string>("survey");
  const [title, setTitle] = useState("");
  const [source, setSource] = useState("");
  const [date, setDate] = useState("");
  const [summary, setSummary] = useState("");
  const [strength, setStrength] = useState<string>("moderate");
  const [link, setLink] = useState("");
  const [scope, setScope] = useState<string>("area-wide");
  const [targetGroup, setGroup] = useState("");
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const save = useSaveItem();
  useUnsavedChangesWarning(title !== "" || summary !== "");
  const serverErrors = save.error ? itemErrorsFrom(save.error, rt) : {};
  const errors = Object.keys(clientErrors).length ? clientErrors : serverErrors;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const data = {
      kind,
      title,
      source,
      date: date || null,
      summary,
      strength,
      link,
      scope,
      scopeAreaCode: null,
      targetGroup,
    };
    const found = validate(EvidenceSchema, data, rt);
    setClientErrors(found);
    if (Object.keys(found).length > 0) return;
    const parsed = EvidenceSchema.parse(data);
    save.mutate(
      {
        partnershipId: props.partnershipId,
        priorityId: props.detail.priority.id,
        item: { kind: "evidence", data: parsed },
      },
      { onSuccess: () => props.onAdded(parsed.title) },
    );
  };
  return (
    <form onSubmit={submit} noValidate className="fs-card fs-narrow" aria-labelledby="add-evidence">
      <h3 id="add-evidence">{t("step2.addEvidence")}</h3>
      <ErrorSummary title={t("form.errorTitle")} errors={errors} />
      <SelectField
        name="kind"
        label={t("step2.kind")}
        value={kind}
        onChange={setKind}
        options={EVIDENCE_KINDS.map((k) => ({ value: k, label: t(`evidenceKind.${k}`) }))}
      />
      <TextField
        name="title"
        label={t("step2.evidenceName")}
        value={title}
        onChange={setTitle}
        error={errors.title}
      />
      <TextField
        name="source"
        label={t("step2.source")}
        value={source}
        onChange={setSource}
        error={errors.source}
      />
      <TextField
        name="date"
        label={t("step2.date")}
        type="date"
        value={date}
        onChange={setDate}
        error={errors.date}
        width="half"
      />
      <TextField
        name="summary"
        label={t("step2.summary")}
        value={summary}
        onChange={setSummary}
        error={errors.summary}
        multiline
      />
      <SelectField
        name="strength"
        label={t("step2.strength")}
        value={strength}
        onChange={setStrength}
        options={EVIDENCE_STRENGTHS.map((s) => ({ value: s, label: t(`strength.${s}`) }))}
      />
      <TextField
        name="link"
        label={t("step2.link")}
        hint={t("step2.linkHint")}
        value={link}
        onChange={setLink}
        error={errors.link}
      />
      <SelectField
        name="scope"
        label={t("step2.scope")}
        value={scope}
        onChange={setScope}
        options={WHERE_SCOPES.map((s) => ({ value: s, label: t(`scope.${s}`) }))}
      />
      {scope === "target-group" ? (
        <TextField name="targetGroup" label={t("step2.group")} value={targetGroup} onChange={setGroup} />
      ) : null}
      <Button type="submit" disabled={save.isPending}>
        {t("step2.addEvidence")}
      </Button>
    </form>
  );
}

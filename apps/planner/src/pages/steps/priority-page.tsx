import { QueryState, usePageTitle, useTRPC } from "@fivestep/client";
import { roleAtLeast, STEP_STATUSES, type StepStatus } from "@fivestep/domain";
import { fieldErrorsFrom, Link, SelectField, TaskList, useI18n } from "@fivestep/ui";
import { useQuery } from "@tanstack/react-query";
import { useSavePriority } from "./priority-form.tsx";
import { type StepProps, useRuleWords } from "./shared.tsx";
import { Step1 } from "./step1.tsx";
import { Step2 } from "./step2.tsx";
import { Step3 } from "./step3.tsx";
import { Step4 } from "./step4.tsx";
import { Step5 } from "./step5.tsx";

const STEPS = [Step1, Step2, Step3, Step4, Step5];

/** One step of one priority, with the five steps as a task list beside it. */
export function PriorityStepPage(props: { partnershipId: number; priorityId: number; step: number }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const query = useQuery(
    trpc.priority.byId.queryOptions({ partnershipId: props.partnershipId, priorityId: props.priorityId }),
  );
  const title = query.data?.priority.fields.title;
  usePageTitle(title ? `${t(`step${props.step}.title`)} – ${title}` : t(`step${props.step}.title`));
  if (!query.isSuccess) return <QueryState query={query} lines={8} />;
  const detail = query.data;
  const { plan, priority, role } = detail;
  const editor = roleAtLeast(role, "editor");
  const stepProps: StepProps = {
    partnershipId: props.partnershipId,
    detail,
    canEdit: editor && (plan.status === "draft" || plan.status === "submitted"),
    canDeliver: editor && plan.status !== "closed",
  };
  const Step = STEPS[props.step - 1] ?? Step1;
  const base = `/partnerships/${props.partnershipId}/priorities/${priority.id}/step`;
  return (
    <>
      <p>
        <Link to={`/partnerships/${props.partnershipId}/plans/${plan.id}`}>
          {t("priority.back", { plan: plan.title })}
        </Link>
      </p>
      <p className="fs-caption">
        {priority.fields.theme} · {t("plan.owner", { owner: priority.fields.ownerName })} ·{" "}
        {t(`planStatus.${plan.status}`)}
      </p>
      <h1>
        <span className="fs-caption" style={{ display: "block", fontSize: "1.1rem" }}>
          {priority.fields.title}
        </span>
        {t(`step${props.step}.title`)}
      </h1>
      {!stepProps.canEdit ? (
        <p className="fs-notice">
          {editor
            ? t("priority.lockedNotice", { status: t(`planStatus.${plan.status}`) })
            : t("priority.readOnly")}
        </p>
      ) : null}
      <div className="fs-layout">
        <nav aria-label={t("priority.stepsNav")}>
          <TaskList
            label={t("plan.stepsOf", { title: priority.fields.title })}
            tasks={[1, 2, 3, 4, 5].map((n) => ({
              to: `${base}/${n}`,
              label: t(`step${n}.title`),
              status: priority.fields.steps[n - 1] ?? "not-started",
              statusLabel: t(`stepStatus.${priority.fields.steps[n - 1] ?? "not-started"}`),
              current: n === props.step,
            }))}
          />
          {stepProps.canEdit || (stepProps.canDeliver && props.step === 5) ? (
            <StepStatusControl {...stepProps} step={props.step} />
          ) : null}
        </nav>
        <div>
          <Step {...stepProps} />
          <p style={{ marginTop: "2rem" }}>
            {props.step < 5 ? (
              <Link to={`${base}/${props.step + 1}`}>
                {t("priority.next", { step: t(`step${props.step + 1}.title`) })}
              </Link>
            ) : null}
          </p>
        </div>
      </div>
    </>
  );
}

function StepStatusControl(props: StepProps & { step: number }) {
  const { t } = useI18n();
  const save = useSavePriority(props);
  const rt = useRuleWords();
  const steps = props.detail.priority.fields.steps;
  const current = steps[props.step - 1] ?? "not-started";
  // A step is completed only when it holds what it needs; the server says what is missing.
  const errors = save.error ? fieldErrorsFrom(save.error, rt) : {};
  const refusal = save.error ? (errors[`steps.${props.step - 1}`] ?? save.error.message) : undefined;
  return (
    <SelectField
      name="stepStatus"
      label={t("priority.markStep")}
      value={current}
      onChange={(v) => {
        const next = [...steps] as typeof steps;
        next[props.step - 1] = v as StepStatus;
        save.save({ steps: next });
      }}
      options={STEP_STATUSES.map((s) => ({ value: s, label: t(`stepStatus.${s}`) }))}
      error={refusal}
    />
  );
}

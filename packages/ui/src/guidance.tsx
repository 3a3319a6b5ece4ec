import type { StepStatus } from "@fivestep/domain";
import { type ReactNode, useEffect } from "react";
import { Link } from "./router.tsx";

/**
 * Collapsible hint text (GOV.UK "details"): the talk's prompts for a step, open by default for
 * people who have not seen them.
 *
 * @example <Guidance summary="Help with this step"><ul><li>What has caused the problems?</li></ul></Guidance>
 */
export function Guidance(props: { summary: string; children: ReactNode; open?: boolean }) {
  return (
    <details className="fs-details" open={props.open ?? true}>
      <summary>{props.summary}</summary>
      <div className="fs-details__text">{props.children}</div>
    </details>
  );
}

/** One row of a task list. */
export interface Task {
  to: string;
  label: string;
  status: StepStatus;
  statusLabel: string;
  current?: boolean;
}

/**
 * The GOV.UK task-list pattern: each step a row with its status in words, so what is left is
 * clear at a glance.
 *
 * @example <TaskList label="The five steps" tasks={tasks} />
 */
export function TaskList(props: { label: string; tasks: readonly Task[] }) {
  return (
    <ol className="fs-task-list" aria-label={props.label}>
      {props.tasks.map((t) => (
        <li key={t.to} className={t.current ? "fs-task fs-task--current" : "fs-task"}>
          <Link to={t.to} aria-current={t.current ? "step" : undefined}>
            {t.label}
          </Link>
          <span className={`fs-task__status fs-task__status--${t.status}`}>{t.statusLabel}</span>
        </li>
      ))}
    </ol>
  );
}

/**
 * Warns before leaving the page while a form holds unsaved changes (the browser's own prompt).
 *
 * @example useUnsavedChangesWarning(dirty);
 */
export function useUnsavedChangesWarning(dirty: boolean): void {
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);
}

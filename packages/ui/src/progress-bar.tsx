import { useId } from "react";

/**
 * A labelled progress bar with its counts in words beside it ("3.2 MB of 4.1 MB, 78%"), for
 * uploads and imports. Without `max` it shows an indeterminate bar (work whose size is unknown).
 * Screen readers hear the label and the text; the text updates politely.
 *
 * @example <ProgressBar label="Uploading" value={bytes} max={total} text="1.2 MB of 4 MB (30%)" />
 */
export function ProgressBar(props: { label: string; value?: number; max?: number; text?: string }) {
  const id = useId();
  const determinate = props.max !== undefined && props.max > 0 && props.value !== undefined;
  return (
    <div className="fs-progress">
      <label className="fs-label" htmlFor={id}>
        {props.label}
      </label>
      <progress
        id={id}
        className="fs-progress__bar"
        value={determinate ? Math.min(props.value ?? 0, props.max ?? 0) : undefined}
        max={determinate ? props.max : undefined}
        aria-describedby={props.text ? `${id}-text` : undefined}
      />
      {props.text ? (
        <p id={`${id}-text`} className="fs-progress__text" aria-live="polite">
          {props.text}
        </p>
      ) : null}
    </div>
  );
}

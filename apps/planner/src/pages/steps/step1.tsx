import { useTRPC } from "@fivestep/client";
import { Button, Guidance, SelectField, TextField, useI18n } from "@fivestep/ui";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Breakdowns } from "./breakdowns.tsx";
import { FunnelSection } from "./funnel-section.tsx";
import { IndicatorSeries, WithAnalysis } from "./indicator-analysis.tsx";
import { AddedNotice, itemsOf, RemoveItem, type StepProps, useAddRounds, useSaveItem } from "./shared.tsx";
import { Step1HeatMap } from "./step1-heat-map.tsx";

/** Step 1, "Where are we now?": the chosen indicators against region, nation and comparators, with change points explained. */
export function Step1(props: StepProps) {
  const { t } = useI18n();
  const indicators = itemsOf(props.detail, "indicator");
  const adding = useAddRounds();
  return (
    <>
      <Guidance summary={t("guidance.summary")}>
        <ul>
          <li>{t("step1.prompt1")}</li>
          <li>{t("step1.prompt2")}</li>
          <li>{t("step1.prompt3")}</li>
        </ul>
      </Guidance>
      {indicators.length === 0 ? <p>{props.canEdit ? t("step1.emptyEditor") : t("step1.empty")}</p> : null}
      {indicators.map((item) => (
        <section key={item.id} className="fs-section" aria-labelledby={`ind-${item.id}`}>
          <WithAnalysis partnershipId={props.partnershipId} itemId={item.id}>
            {(a) => (
              <>
                <h2 id={`ind-${item.id}`}>
                  {a.indicator.code} {a.indicator.title}
                </h2>
                <IndicatorSeries analysis={a} />
                <Breakdowns partnershipId={props.partnershipId} itemId={item.id} area={a.context.area.name} />
                <FunnelSection analysis={a} />
                <h3>{t("step1.changesTitle")}</h3>
                {a.changes.length === 0 ? (
                  <p>{t("step1.noChanges")}</p>
                ) : (
                  a.changes.map((c) => (
                    <ChangeNote
                      key={c.period}
                      partnershipId={props.partnershipId}
                      itemId={item.id}
                      period={c.period}
                      from={c.from}
                      note={c.note}
                      canEdit={props.canEdit}
                    />
                  ))
                )}
              </>
            )}
          </WithAnalysis>
          {props.canEdit ? (
            <RemoveItem
              partnershipId={props.partnershipId}
              id={item.id}
              version={item.version}
              name={item.data.indicatorCode}
            />
          ) : null}
        </section>
      ))}
      {indicators.length > 0 ? (
        <Step1HeatMap partnershipId={props.partnershipId} priorityId={props.detail.priority.id} />
      ) : null}
      {props.canEdit ? (
        <>
          <AddedNotice added={adding.added} round={adding.round} />
          <AddIndicator key={adding.key} {...props} onAdded={adding.done} />
        </>
      ) : null}
    </>
  );
}

function ChangeNote(props: {
  partnershipId: number;
  itemId: number;
  period: string;
  from: string | null;
  note: string;
  canEdit: boolean;
}) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [note, setNote] = useState(props.note);
  const save = useMutation(
    trpc.item.saveChangePointNote.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.priority.analysis.queryKey() }),
    }),
  );
  const label = t("step1.changeAt", { from: props.from ?? "–", period: props.period });
  if (!props.canEdit) {
    return (
      <p>
        <strong>{label}</strong> {props.note || t("step1.noNote")}
      </p>
    );
  }
  return (
    <form
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        save.mutate({ partnershipId: props.partnershipId, itemId: props.itemId, period: props.period, note });
      }}
    >
      <TextField
        name={`note-${props.period}`}
        label={label}
        hint={t("step1.noteHint")}
        value={note}
        onChange={setNote}
        multiline
      />
      <Button type="submit" variant="secondary" disabled={save.isPending}>
        {t("step1.saveNote")}
      </Button>
      {save.isSuccess ? <span role="status"> {t("common.saved")}</span> : null}
    </form>
  );
}

/** Adds an indicator; drawn afresh (by its key) after each one, so the next starts without the last one's group. */
function AddIndicator(props: StepProps & { onAdded(code: string): void }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const catalogue = useQuery(trpc.indicator.list.queryOptions());
  const groups = useQuery(trpc.comparatorGroup.list.queryOptions());
  const [code, setCode] = useState("");
  const [group, setGroup] = useState("");
  const save = useSaveItem();
  const chosen = new Set(itemsOf(props.detail, "indicator").map((i) => i.data.indicatorCode));
  return (
    <form
      className="fs-card fs-narrow"
      aria-labelledby="add-indicator"
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        if (!code) return;
        save.mutate(
          {
            partnershipId: props.partnershipId,
            priorityId: props.detail.priority.id,
            item: {
              kind: "indicator",
              data: { indicatorCode: code, comparatorGroupId: group ? Number(group) : null },
            },
          },
          { onSuccess: () => props.onAdded(code) },
        );
      }}
    >
      <h3 id="add-indicator">{t("step1.add")}</h3>
      <SelectField
        name="indicatorCode"
        label={t("step1.indicator")}
        value={code}
        onChange={setCode}
        error={save.error?.message}
        options={[
          { value: "", label: t("step1.chooseIndicator") },
          ...(catalogue.data ?? [])
            .filter((i) => !chosen.has(i.code))
            .map((i) => ({ value: i.code, label: `${i.code} ${i.title}` })),
        ]}
      />
      <SelectField
        name="comparatorGroupId"
        label={t("step1.group")}
        hint={t("step1.groupHint")}
        value={group}
        onChange={setGroup}
        options={[
          { value: "", label: t("step1.noGroup") },
          ...(groups.data ?? []).map((g) => ({ value: String(g.id), label: g.name })),
        ]}
      />
      <Button type="submit" disabled={!code || save.isPending}>
        {t("step1.add")}
      </Button>
    </form>
  );
}

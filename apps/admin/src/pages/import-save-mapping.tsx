import { useTRPC } from "@fivestep/client";
import { type ImportMappingInput, ImportMappingSchema } from "@fivestep/domain";
import {
  Button,
  ErrorSummary,
  type FieldErrors,
  fieldErrorsFrom,
  TextField,
  useI18n,
  validate,
} from "@fivestep/ui";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";

/**
 * "Save mapping as…": saves the mapping on the form under a name (the source's by default), so the
 * next file from that source starts from it. Only this saves a mapping; previews never do.
 */
export function SaveMapping(props: {
  mapping: ImportMappingInput;
  clean(m: ImportMappingInput): ImportMappingInput;
}) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState<string | null>(null);
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const save = useMutation(
    trpc.imports.saveMapping.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries(trpc.imports.file.pathFilter()),
    }),
  );
  const value = name ?? props.mapping.source;
  const errors =
    Object.keys(clientErrors).length > 0 ? clientErrors : save.error ? fieldErrorsFrom(save.error, t) : {};
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const mapping = props.clean(props.mapping);
    const found = validate(ImportMappingSchema, mapping, t);
    if (value.trim() === "") found.name = t("saveMapping.nameNeeded");
    setClientErrors(found);
    if (Object.keys(found).length === 0) save.mutate({ name: value.trim(), mapping });
  };
  return (
    <form onSubmit={submit} noValidate className="fs-section" aria-labelledby="save-mapping-title">
      <h3 id="save-mapping-title">{t("saveMapping.title")}</h3>
      <ErrorSummary title={t("form.errorTitle")} errors={errors} />
      <TextField
        name="name"
        label={t("saveMapping.name")}
        hint={t("saveMapping.hint")}
        value={value}
        onChange={(v) => {
          setName(v);
          save.reset();
        }}
        error={errors.name}
        width="half"
      />
      <Button type="submit" variant="secondary" disabled={save.isPending}>
        {t("saveMapping.submit")}
      </Button>
      {save.data ? (
        <p role="status">
          {save.data.action === "unchanged"
            ? t("saveMapping.unchanged", { name: save.data.name })
            : t("saveMapping.saved", { name: save.data.name })}
        </p>
      ) : null}
    </form>
  );
}

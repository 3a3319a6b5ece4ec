import { useTRPC } from "@fivestep/client";
import { PriorityFieldsSchema } from "@fivestep/domain";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import type { StepProps } from "./shared.tsx";

type Fields = z.infer<typeof PriorityFieldsSchema>;

/**
 * Saves a priority's fields against the version on screen; CONFLICT comes back with the newer
 * values in `error.data.current`.
 *
 * @example const save = useSavePriority(props); save.save({ causes: "…" }); await save.saveAsync({ causes: "…" });
 */
export function useSavePriority(props: Pick<StepProps, "partnershipId" | "detail">) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const mutation = useMutation(
    trpc.priority.update.mutationOptions({
      onSettled: () =>
        Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.priority.byId.queryKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.plan.byId.queryKey() }),
        ]),
    }),
  );
  const { priority } = props.detail;
  const input = (patch: Partial<Fields>) => ({
    partnershipId: props.partnershipId,
    priorityId: priority.id,
    version: priority.version,
    ...priority.fields,
    ...patch,
  });
  return {
    ...mutation,
    save(patch: Partial<Fields>) {
      mutation.mutate(input(patch));
    },
    /** As `save`, for a form that waits for the answer (and shows a refusal at its fields). */
    saveAsync(patch: Partial<Fields>) {
      return mutation.mutateAsync(input(patch));
    },
  };
}

/** Validates a priority's fields with the server's schema. @example checkPriority(fields) */
export function checkPriority(fields: Fields) {
  return PriorityFieldsSchema.safeParse(fields);
}

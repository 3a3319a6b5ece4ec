import { describe, expect, it } from "vitest";
import {
  assigneeViolation,
  canSubmitReturns,
  dueDateViolation,
  lockViolation,
  ruleText,
  scheduleReturnsSchemaFor,
  submitReturnSchemaFor,
} from "./index.ts";

const percentage = { code: "NI 151", valueType: "percentage", validMin: null, validMax: null } as const;

describe("scheduling data returns", () => {
  it("refuses a due date in the past, naming both dates", () => {
    const v = dueDateViolation("2024-03-31", "2024-04-01");
    expect(v).toEqual({ code: "return.dueInPast", params: { dueDate: "2024-03-31", today: "2024-04-01" } });
    expect(v && ruleText(v)).toBe("The due date 2024-03-31 has passed: choose 2024-04-01 or later");
    expect(dueDateViolation("2024-04-01", "2024-04-01")).toBeNull();
    expect(dueDateViolation("2099-01-01", "2024-04-01")).toBeNull();
  });

  it("assigns returns only to people who may submit them", () => {
    expect(canSubmitReturns("viewer")).toBe(false);
    expect(canSubmitReturns("contributor")).toBe(true);
    expect(canSubmitReturns("lead")).toBe(true);
    expect(canSubmitReturns(null)).toBe(false);
    const v = assigneeViolation({ name: "Vi Viewer", role: "viewer" });
    expect(v?.code).toBe("return.assigneeCannotSubmit");
    expect(v && ruleText(v)).toBe(
      "Vi Viewer can only read this partnership's work, so cannot make data returns: choose a contributor, editor or lead",
    );
    expect(assigneeViolation({ name: "Cory", role: "contributor" })).toBeNull();
  });

  it("gives the form one schema that checks every due date against today", () => {
    const schema = scheduleReturnsSchemaFor("2024-04-01");
    const result = schema.safeParse({
      indicatorCode: "NI 151",
      assigneeUserId: 4,
      returns: [
        { period: "2024 Q1", dueDate: "2024-04-30" },
        { period: "2023 Q4", dueDate: "2024-01-31" },
      ],
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({
      path: ["returns", 1, "dueDate"],
      params: { rule: "return.dueInPast", dueDate: "2024-01-31", today: "2024-04-01" },
    });
  });
});

describe("submitting a data return", () => {
  it("checks the value against its indicator's range", () => {
    const result = submitReturnSchemaFor(percentage).safeParse({ value: 150, note: "" });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({
      path: ["value"],
      message: "150 is above the largest value NI 151 can take (0 to 100)",
    });
    expect(submitReturnSchemaFor(percentage).safeParse({ value: 72.4 }).success).toBe(true);
  });

  it("asks for a reason before a locked value is revised", () => {
    const locked = { indicator: "NI 151", period: "2007 Q2", current: 72.4, locked: true };
    const v = lockViolation({ ...locked, value: 73, reason: "" });
    expect(v?.code).toBe("lock.reasonRequired");
    expect(v && ruleText(v)).toBe("NI 151 2007 Q2 is locked at 72.4: give a reason for revising it to 73");
    expect(lockViolation({ ...locked, value: 73, reason: "The ONS revised the survey" })).toBeNull();
    // The same value changes nothing; an unlocked period or one without a value needs no reason.
    expect(lockViolation({ ...locked, value: 72.4, reason: "" })).toBeNull();
    expect(lockViolation({ ...locked, locked: false, value: 73, reason: "" })).toBeNull();
    expect(lockViolation({ ...locked, current: null, value: 73, reason: "" })).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import {
  ChangePasswordSchema,
  EmailSchema,
  NewPasswordSchema,
  roleAtLeast,
  SignInSchema,
} from "./account.ts";

describe("accounts", () => {
  it("orders roles from viewer to lead", () => {
    expect(roleAtLeast("lead", "editor")).toBe(true);
    expect(roleAtLeast("contributor", "editor")).toBe(false);
    expect(roleAtLeast("viewer", "viewer")).toBe(true);
  });

  it("normalises email addresses and explains a bad one", () => {
    expect(EmailSchema.parse("  Ana@Example.ORG ")).toBe("ana@example.org");
    const r = SignInSchema.safeParse({ email: "not-an-email", password: "x" });
    expect(r.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["email", "Enter an email address in the right format, like name@example.org"],
    ]);
    expect(SignInSchema.safeParse({ email: "", password: "" }).error?.issues.map((i) => i.message)).toEqual([
      "Enter an email address",
      "Enter your password",
    ]);
  });

  it("asks for long passwords and a real change", () => {
    expect(NewPasswordSchema.safeParse("short").success).toBe(false);
    expect(NewPasswordSchema.safeParse("            a").success).toBe(false);
    expect(NewPasswordSchema.safeParse("correct horse battery").success).toBe(true);
    const same = ChangePasswordSchema.safeParse({
      currentPassword: "the same long one",
      newPassword: "the same long one",
    });
    expect(same.error?.issues[0]?.path).toEqual(["newPassword"]);
  });
});

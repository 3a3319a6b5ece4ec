import { describe, expect, it } from "vitest";
import {
  checkPasswordStrength,
  PASSWORD_MIN_SCORE,
  PASSWORD_SUGGESTIONS,
  PASSWORD_WARNINGS,
} from "./password-strength.ts";

const ana = ["ana.horvat@grad-zagreb.example", "Ana Horvat"];

describe("password strength", () => {
  it("refuses a repeated character, and says why", () => {
    const r = checkPasswordStrength("aaaaaaaaaaaa", ana);
    expect(r).toMatchObject({ ok: false, warning: "simpleRepeat" });
    expect(r.score).toBeLessThan(PASSWORD_MIN_SCORE);
    expect(r.suggestions).toContain("repeated");
  });

  it("refuses a run of digits", () => {
    const r = checkPasswordStrength("123456789012", ana);
    expect(r.ok).toBe(false);
    expect(r.score).toBeLessThan(PASSWORD_MIN_SCORE);
    expect(r.warning).not.toBeNull();
  });

  it("refuses common passwords and keyboard rows however long", () => {
    for (const p of ["passwordpassword", "Password123456", "qwertyuiopasdf", "1qaz2wsx3edc4rfv"]) {
      expect(checkPasswordStrength(p, []), p).toMatchObject({ ok: false });
    }
  });

  it("refuses a password made of the person's email address or name", () => {
    for (const p of [
      "ana.horvat@grad-zagreb.example",
      "anahorvatgradzagreb",
      "Ana Horvat Ana Horvat",
      "horvat.ana.zagreb!",
      "HorvatZagrebAna",
    ]) {
      expect(checkPasswordStrength(p, ana), p).toMatchObject({ ok: false, warning: "userInputs" });
    }
  });

  it("counts the service's own name as a word anyone would try", () => {
    expect(checkPasswordStrength("fivestep fivestep", [])).toMatchObject({
      ok: false,
      warning: "userInputs",
    });
  });

  it("accepts a passphrase of unrelated words, even one that mentions the person", () => {
    for (const p of [
      "violet tractor mango lantern",
      "correct horse battery staple",
      "Ana keeps bees by the quarry",
    ]) {
      const r = checkPasswordStrength(p, ana);
      expect(r, p).toEqual({ ok: true, score: expect.any(Number), warning: null, suggestions: [] });
      expect(r.score).toBeGreaterThanOrEqual(PASSWORD_MIN_SCORE);
    }
  });

  it("only ever answers with codes from its published lists", () => {
    for (const p of [
      "aaaaaaaaaaaa",
      "123456789012",
      "2024-01-01 2023",
      "zxcvbnmasdfgh",
      "ana horvat 1999",
      "Michael1",
    ]) {
      const r = checkPasswordStrength(p, ana);
      if (r.warning) expect(PASSWORD_WARNINGS).toContain(r.warning);
      for (const s of r.suggestions) expect(PASSWORD_SUGGESTIONS).toContain(s);
      expect(r.ok).toBe(r.score >= PASSWORD_MIN_SCORE);
    }
  });

  it("judges only the first characters, so the longest password the forms accept stays quick", () => {
    // Timing is not asserted (shared machines are noisy): the judged text is bounded instead.
    const long = "1234567890".repeat(20);
    const result = checkPasswordStrength(long, ana);
    expect(result.ok).toBe(false);
    expect(result).toEqual(checkPasswordStrength(long.slice(0, 64), ana));
    expect(checkPasswordStrength(`${"x".repeat(64)}${"correct horse battery"}`, ana)).toEqual(
      checkPasswordStrength("x".repeat(64), ana),
    );
  });
});

import { interpolate } from "@fivestep/ui";
import { describe, expect, it } from "vitest";
import { catalogues } from "./i18n/index.ts";
import { explainPasswordRefusal } from "./password-refusal.ts";

const translator = (locale: "en-GB" | "hr-HR") => (id: string, values?: Record<string, string | number>) =>
  interpolate(catalogues[locale][id] ?? id, values);

const refusal = {
  message: "This password would be too easy to guess.",
  data: {
    fieldReasons: {
      newPassword: {
        code: "password-too-guessable",
        warning: "simpleRepeat",
        suggestions: ["anotherWord", "repeated", "somethingNewer"],
      },
    },
  },
};

describe("a refused password, explained", () => {
  it("says why in plain words, in English", () => {
    const errors = explainPasswordRefusal(
      { newPassword: "server text", currentPassword: "kept" },
      refusal,
      translator("en-GB"),
    );
    expect(errors).toEqual({
      currentPassword: "kept",
      newPassword:
        "This password would be too easy to guess. Repeated characters, like “aaa”, are easy to guess. " +
        "Add another word or two. Uncommon words are better. Avoid repeated words and characters.",
    });
  });

  it("and in Croatian", () => {
    const errors = explainPasswordRefusal({ newPassword: "server text" }, refusal, translator("hr-HR"));
    expect(errors.newPassword).toBe(
      "Ovu bi lozinku bilo prelako pogoditi. Ponovljene znakove, poput „aaa”, lako je pogoditi. " +
        "Dodajte još jednu ili dvije riječi. Neobične su riječi bolje. Izbjegavajte ponavljanje riječi i znakova.",
    );
  });

  it("leaves other errors alone", () => {
    const errors = { currentPassword: "Your current password is not right" };
    expect(explainPasswordRefusal(errors, { data: { fieldReasons: null } }, translator("en-GB"))).toEqual(
      errors,
    );
    expect(explainPasswordRefusal(errors, new Error("network"), translator("en-GB"))).toEqual(errors);
    expect(explainPasswordRefusal(errors, null, translator("en-GB"))).toEqual(errors);
  });
});

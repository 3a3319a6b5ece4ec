import { describe, expect, it } from "vitest";
import { EvidenceSchema, WebLinkSchema } from "./index.ts";

// Regression: `item.save` stored "javascript:alert(1)" as an evidence link, which the planner
// then rendered as a clickable link.
describe("web links", () => {
  it.each([
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "ftp://files.example.org/a.csv",
    "http://www.coventry.gov.uk/survey",
    "//evil.example/x",
    "https://",
    "https:evil.example",
    "not a link",
  ])("refuses %j", (link) => {
    expect(WebLinkSchema.safeParse(link).success).toBe(false);
    const evidence = EvidenceSchema.safeParse({ kind: "survey", title: "Survey", link });
    expect(evidence.success).toBe(false);
    expect(evidence.error?.issues[0]).toMatchObject({
      path: ["link"],
      message: "Enter a web address starting with https://",
    });
  });

  it.each([
    "https://www.coventry.gov.uk/survey",
    "https://data.gov.uk/dataset/abc?x=1#y",
    "HTTPS://EXAMPLE.ORG/",
  ])("accepts %j", (link) => {
    expect(WebLinkSchema.safeParse(link).success).toBe(true);
  });

  it("leaves an empty link empty", () => {
    expect(EvidenceSchema.parse({ kind: "survey", title: "Survey", link: "" }).link).toBe("");
    expect(EvidenceSchema.parse({ kind: "survey", title: "Survey" }).link).toBe("");
  });
});

import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  axeViolations,
  freshPage,
  launchBrowser,
  type RunningServer,
  screenshot,
  signIn,
  startServer,
} from "./harness.ts";

// The Trafford demo on real national data: step 1 reads Trafford against the North West, England
// and its CIPFA nearest neighbours, shows Fingertips' own judgement labelled as the publisher's,
// and says why Fivestep's own comparison is not made (the files have no limits or counts); its
// breakdowns by sex with the gap, the heat map of the priority's indicators and, one link away,
// the spine chart.
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("the Trafford demo's step 1", () => {
  it("shows the publisher's judgement, why Fivestep did not compare, and a rank among the CIPFA neighbours", async () => {
    const email = "viewer@trafford.example";
    const { page, errors } = await freshPage(browser);
    await signIn(page, `${server.url}/`, email, server.passwords.get(email) ?? "");
    await page.getByRole("link", { name: "Trafford Partnership" }).click();
    await page.getByRole("heading", { level: 1, name: "Trafford Partnership" }).waitFor();
    const partnershipPath = new URL(page.url()).pathname;
    await page.getByRole("link", { name: "Trafford Partnership Plan 2024/25–2026/27" }).click();
    await page
      .getByRole("list", { name: "The five steps of “Healthier, longer lives”" })
      .getByRole("link", { name: "Where are we now?" })
      .click();
    await page.getByRole("heading", { level: 1, name: /Where are we now\?/ }).waitFor();
    await page
      .getByRole("heading", { level: 2, name: "LE-FEMALE Life expectancy at birth (female)" })
      .waitFor();
    await page.waitForLoadState("networkidle");

    const female = page.getByRole("region", { name: "LE-FEMALE Life expectancy at birth (female)" });
    await expect
      .poll(() => female.getByText("Better than England, as judged by the publisher").count())
      .toBeGreaterThan(0);
    expect(await female.getByText(/OHID Fingertips: life expectancy at birth/).count()).toBeGreaterThan(0);
    // England: no interval around Trafford's value; the North West: the file has no region rows.
    expect(
      await female.getByText("Not compared: the value has no confidence interval", { exact: false }).count(),
    ).toBe(1);
    expect(
      await female
        .getByText("Not compared: there is no value for the comparison area in the same period.")
        .count(),
    ).toBe(1);
    expect(
      await female.getByText(/of 16 in Trafford CIPFA nearest neighbours \(quintile [1-5];/).count(),
    ).toBe(1);
    // And among every English district and unitary authority in the file.
    expect(await female.getByText("Rank among England's districts and unitary authorities").count()).toBe(1);
    expect(await female.getByText(/^\d+ of \d{3} \(quintile [1-5]\)$/).count()).toBe(1);

    // Breakdowns: the catalogue keeps life expectancy as one indicator per sex; step 1 shows each
    // sex's latest value and the gap between them (the files have no limits, so no interval).
    const breakdowns = female.locator(".fs-breakdowns");
    await breakdowns
      .getByText(
        /^The gap: Life expectancy at birth \(female\) is [\d.]+ years higher than Life expectancy at birth \(male\) in 2023-2025; no interval/,
      )
      .waitFor();
    const byBreakdown = breakdowns.getByRole("table", { name: /Trafford's latest value by breakdown/ });
    expect(await byBreakdown.getByRole("rowheader").allTextContents()).toEqual([
      "Life expectancy at birth (female)",
      "Life expectancy at birth (male)",
    ]);
    expect(
      await breakdowns
        .getByRole("img", { name: /Life expectancy at birth \(male\) 80\.1 \(2023-2025\)/ })
        .count(),
    ).toBe(1);

    // The heat map of the priority's indicators × Trafford, its CIPFA neighbours and England, each
    // cell a symbol and colour, with the same values and words in the table beside it.
    const heat = page.locator("section").filter({
      has: page.getByRole("heading", { level: 2, name: "Trafford and its comparators against England" }),
    });
    const heatImage = heat.getByRole("img", { name: /^3 indicators for 16 areas compared with England: / });
    expect(await heatImage.getAttribute("aria-label")).toMatch(
      /Life expectancy at birth \(female\): Trafford Better \(publisher\)/,
    );
    expect(
      await heat
        .locator('.fs-heatmap__row[data-indicator="LE-MALE"] .fs-heatmap__cell[data-judgement]')
        .count(),
    ).toBe(16);
    const heatTable = heat.getByRole("table", {
      name: "Latest values of Trafford and its comparators, compared with England",
    });
    expect(await heatTable.getByRole("columnheader").allTextContents()).toContain("Stockport");
    expect(await heatTable.getByRole("row", { name: /LE-FEMALE/ }).textContent()).toMatch(
      /Better \(publisher\)/,
    );
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "planner-trafford-step1");
    await page.setViewportSize({ width: 390, height: 800 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "planner-trafford-step1-390");

    // One trend vocabulary: the indicator page (below) words Trafford's series exactly as step 1 does.
    const stepTrend = (await female.locator(".fs-trend").textContent())?.trim() ?? "";
    expect(stepTrend).toMatch(/test over \d+ values, p [=<] /);
    expect(stepTrend).not.toMatch(/Cannot be calculated/);

    // The area profile's spine chart, one link from step 1: Trafford against England's range, with
    // the same numbers as a table (at a phone's width).
    await page.getByRole("link", { name: /^Trafford against the range in England: the spine chart/ }).click();
    await page.getByRole("heading", { level: 2, name: "Trafford against the range in England" }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`${partnershipPath}/profile`);
    expect(await page.locator('.fs-spine__row[data-indicator="LE-MALE"]').count()).toBe(1);
    const spineImage = page.getByRole("img", { name: /Trafford against the range in England\. / });
    expect(await spineImage.getAttribute("aria-label")).toMatch(
      /Life expectancy at birth \(male\): Trafford 80\.1, England 79\.7, range [\d.]+ to [\d.]+, /,
    );
    const spineTable = page.getByRole("table", { name: /against the range among England's districts/ });
    expect(await spineTable.getByRole("columnheader").allTextContents()).toContain("25th percentile");
    expect(await spineTable.getByRole("row", { name: /LE-FEMALE/ }).textContent()).toContain(
      "Better than England, as judged by the publisher",
    );
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "planner-trafford-spine-390");

    // The indicator page, at a phone's width: the same trend words as step 1.
    await page.goto(`${server.url}/indicators/LE-FEMALE`);
    const card = page.locator('[data-area="E08000009"]');
    await card.locator(".fs-trend").waitFor();
    expect((await card.locator(".fs-trend").textContent())?.trim()).toBe(stepTrend);
    expect(await card.textContent()).toMatch(/(Up|Down) [\d.]+ on the previous period: from /);
    // The chart's time axis is drawn to scale from the periods' start dates, inside a phone's width.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    expect(errors).toEqual([]);
  }, 120_000);
});

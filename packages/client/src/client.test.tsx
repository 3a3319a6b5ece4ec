import { I18nProvider, messageProblems, missingMessages } from "@fivestep/ui";
import type { UseQueryResult } from "@tanstack/react-query";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { CLIENT_MESSAGES, type ErrorLike, errorMessageId } from "./messages.ts";
import { QueryState, QueryView } from "./query-view.tsx";

const catalogues = {
  "en-GB": {
    ...CLIENT_MESSAGES["en-GB"],
    "common.loading": "Loading…",
    "common.errorTitle": "Something went wrong",
    "common.retry": "Try again",
  },
  "hr-HR": CLIENT_MESSAGES["hr-HR"],
};

/** A query's result in one state, as TanStack Query reports it (only the fields the views read). */
function result<T>(
  state: { status: "pending" } | { status: "error"; error: ErrorLike } | { status: "success"; data: T },
) {
  return {
    isPending: state.status === "pending",
    isError: state.status === "error",
    isSuccess: state.status === "success",
    error: state.status === "error" ? state.error : null,
    data: state.status === "success" ? state.data : undefined,
    refetch: async () => ({}) as never,
  } as unknown as UseQueryResult<T, ErrorLike>;
}

const render = (node: React.ReactNode) =>
  renderToStaticMarkup(<I18nProvider catalogues={catalogues}>{node}</I18nProvider>);

describe("client messages", () => {
  it("has every message in both languages, parsing, with Croatian's plural forms", () => {
    expect(missingMessages(CLIENT_MESSAGES["en-GB"], CLIENT_MESSAGES["hr-HR"])).toEqual([]);
    expect(missingMessages(CLIENT_MESSAGES["hr-HR"], CLIENT_MESSAGES["en-GB"])).toEqual([]);
    expect(messageProblems(CLIENT_MESSAGES["en-GB"], CLIENT_MESSAGES["hr-HR"], "hr-HR")).toEqual([]);
  });

  it("words an error by its tRPC code, a missing answer as the network, and any other code generically", () => {
    expect(errorMessageId({ data: { code: "NOT_FOUND" } })).toBe("client.error.NOT_FOUND");
    expect(errorMessageId({ data: { code: "FORBIDDEN" } })).toBe("client.error.FORBIDDEN");
    expect(errorMessageId({ data: { code: "INTERNAL_SERVER_ERROR" } })).toBe("client.error.other");
    expect(errorMessageId({ data: null })).toBe("client.error.network");
    expect(errorMessageId({})).toBe("client.error.network");
    for (const id of [
      "NOT_FOUND",
      "FORBIDDEN",
      "UNAUTHORIZED",
      "TOO_MANY_REQUESTS",
      "BAD_REQUEST",
      "CONFLICT",
    ]) {
      expect(CLIENT_MESSAGES["en-GB"][errorMessageId({ data: { code: id } })]).toBeTruthy();
    }
  });
});

describe("QueryState and QueryView", () => {
  const serverSentence = "No indicator with code NI 999 exists";
  const failed = result<string[]>({
    status: "error",
    error: Object.assign(new Error(serverSentence), { data: { code: "NOT_FOUND" } }),
  });

  it("shows a skeleton while loading", () => {
    const html = render(<QueryState query={result({ status: "pending" })} lines={3} />);
    expect(html).toContain("Loading…");
    expect(html.match(/fs-skeleton__bar/g)).toHaveLength(3);
  });

  it("words a failure from the catalogue, never the server's sentence, with a retry", () => {
    const html = render(<QueryState query={failed} notFoundTitle="Indicator not found" />);
    expect(html).toContain("Indicator not found");
    expect(html).toContain(CLIENT_MESSAGES["en-GB"]["client.error.NOT_FOUND"]);
    expect(html).toContain("Try again");
    expect(html).not.toContain(serverSentence);
  });

  it("renders nothing else once the answer is there, and QueryView hands it to its children", () => {
    expect(render(<QueryState query={result({ status: "success", data: 1 })} />)).toBe("");
    const html = render(
      <QueryView query={result({ status: "success", data: ["Coventry", "Trafford"] })}>
        {(names) => (
          <ul>
            {names.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        )}
      </QueryView>,
    );
    expect(html).toBe("<ul><li>Coventry</li><li>Trafford</li></ul>");
  });

  it("shows the empty state, not the children, when the answer has nothing", () => {
    const html = render(
      <QueryView
        query={result<string[]>({ status: "success", data: [] })}
        isEmpty={(l) => l.length === 0}
        empty={<p>No partnerships yet</p>}
      >
        {() => <p>list</p>}
      </QueryView>,
    );
    expect(html).toBe("<p>No partnerships yet</p>");
  });

  it("shows the failure through QueryView too", () => {
    const html = render(<QueryView query={failed}>{() => <p>list</p>}</QueryView>);
    expect(html).toContain("Something went wrong");
    expect(html).not.toContain("list");
  });
});

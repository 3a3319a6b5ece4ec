import type { OpenApiDocument, OpenApiOperation } from "./openapi.ts";

const html = (text: string) =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

/** `code` spans of a description, as <code>; everything else escaped. */
const prose = (text: string) =>
  text
    .split("\n\n")
    .map((p) => `<p>${html(p).replace(/`([^`]+)`/g, "<code>$1</code>")}</p>`)
    .join("");

/** A schema's type in a word or two ("integer", "array of string"). */
function typeOf(schema: Record<string, unknown>): string {
  if (schema.type === "array" && schema.items && typeof schema.items === "object")
    return `array of ${typeOf(schema.items as Record<string, unknown>)}`;
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  return typeof schema.type === "string" ? schema.type : "object";
}

/** The curl command of an operation, with placeholders for its path parameters. */
function curlOf(path: string, method: string, op: OpenApiOperation): string {
  const url = `$FIVESTEP_URL${path}`;
  const auth = '-H "Authorization: Bearer $FIVESTEP_TOKEN"';
  if (op.requestBody?.content["text/csv"])
    return `curl -X POST ${auth} -H "Content-Type: text/csv" \\\n  --data-binary @claimants.csv \\\n  "${url}?mapping=Nomis%20claimant%20count&name=claimants.csv"`;
  if (method === "post")
    return `curl -X POST ${auth} -H "Content-Type: application/json" \\\n  --data @observations.json "${url}"`;
  return `curl ${auth} "${url}"`;
}

function operationHtml(path: string, method: string, op: OpenApiOperation): string {
  const params =
    op.parameters.length === 0
      ? ""
      : `<h4>Parameters</h4><div class="scroll" role="region" aria-label="Parameters of ${html(op.summary)}" tabindex="0"><table><thead><tr><th scope="col">Name</th><th scope="col">In</th><th scope="col">Required</th><th scope="col">Type</th><th scope="col">Description</th></tr></thead><tbody>${op.parameters
          .map(
            (p) =>
              `<tr><td><code>${html(p.name)}</code></td><td>${p.in}</td><td>${p.required ? "yes" : "no"}</td><td>${html(typeOf(p.schema))}</td><td>${html(p.description ?? "")}</td></tr>`,
          )
          .join("")}</tbody></table></div>`;
  const body = op.requestBody
    ? `<h4>Request body</h4>${op.requestBody.description ? prose(op.requestBody.description) : ""}${Object.entries(
        op.requestBody.content,
      )
        .map(
          ([type, { schema }]) =>
            `<p><code>${html(type)}</code></p><pre tabindex="0">${html(JSON.stringify(schema, null, 2))}</pre>`,
        )
        .join("")}`
    : "";
  const responses = `<h4>Responses</h4><div class="scroll" role="region" aria-label="Responses of ${html(op.summary)}" tabindex="0"><table><thead><tr><th scope="col">Status</th><th scope="col">Meaning</th></tr></thead><tbody>${Object.entries(
    op.responses,
  )
    .map(([status, r]) => `<tr><td>${status}</td><td>${html(r.description)}</td></tr>`)
    .join("")}</tbody></table></div>`;
  return `<section id="${html(op.operationId)}" aria-labelledby="${html(op.operationId)}-title">
<h3 id="${html(op.operationId)}-title">${html(op.summary)}</h3>
<p class="route"><span class="method">${method.toUpperCase()}</span> <code>${html(path)}</code></p>
${prose(op.description)}
${params}${body}
<h4>Example</h4><pre tabindex="0">${html(curlOf(path, method, op))}</pre>
${responses}
</section>`;
}

/**
 * The API's reference page, written on the server from the OpenAPI document: plain HTML and one
 * inline stylesheet, no script and nothing fetched from elsewhere, so it works under the
 * server's content security policy (`script-src 'self'`) and offline.
 *
 * @example app.get("/api/docs", (_req, reply) => reply.type("text/html").send(renderDocsPage(doc)));
 */
export function renderDocsPage(doc: OpenApiDocument): string {
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, op })),
  );
  const byTag = doc.tags.map((tag) => ({ tag, ops: operations.filter((o) => o.op.tags.includes(tag.name)) }));
  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${html(doc.info.title)} reference</title>
<style>
body{font-family:system-ui,sans-serif;line-height:1.5;color:#1b1b1b;background:#fff;margin:0}
header,main{max-width:60rem;margin:0 auto;padding:0 1rem}
h1{margin-top:1.5rem}h2{border-bottom:2px solid #1d70b8;padding-bottom:.25rem;margin-top:2.5rem}
section{border:1px solid #b1b4b6;border-radius:4px;padding:0 1rem 1rem;margin:1.5rem 0}
code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9rem}
pre{background:#f3f2f1;padding:.75rem;overflow:auto;max-height:24rem}
.route{font-size:1.05rem}.method{display:inline-block;background:#1d70b8;color:#fff;font-weight:700;padding:0 .5rem;border-radius:3px}
.scroll{overflow-x:auto}table{border-collapse:collapse;width:100%}th,td{text-align:left;border-bottom:1px solid #b1b4b6;padding:.25rem .5rem;vertical-align:top}
a{color:#1d70b8}a:focus,pre:focus,.scroll:focus{outline:3px solid #fd0}
nav ul{padding-left:1.25rem}p code,li a,td code{overflow-wrap:anywhere}
</style>
</head>
<body>
<header>
<h1>${html(doc.info.title)} reference</h1>
${prose(doc.info.description)}
<p>Version ${html(doc.info.version)}. The machine-readable description: <a href="/api/openapi.json">OpenAPI 3.1 document</a>. Refusals are <code>application/problem+json</code> with the status, the reason and, for refused input, each field or row at fault.</p>
</header>
<main>
<nav aria-label="Routes"><h2>Routes</h2><ul>
${operations.map((o) => `<li><a href="#${html(o.op.operationId)}">${o.method.toUpperCase()} ${html(o.path)}</a> — ${html(o.op.summary)}</li>`).join("\n")}
</ul></nav>
${byTag
  .filter((g) => g.ops.length > 0)
  .map(
    (g) =>
      `<h2>${html(g.tag.name)}</h2>${prose(g.tag.description)}${g.ops.map((o) => operationHtml(o.path, o.method, o.op)).join("\n")}`,
  )
  .join("\n")}
</main>
</body>
</html>
`;
}

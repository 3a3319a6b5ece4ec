import { describe, expect, it } from "vitest";
import { isSecretParam, redactSecretsInLogLine, redactSecretsInUrl } from "./log-redaction.ts";

describe("redacting secrets from logged URLs", () => {
  it("names the secret query parameters", () => {
    for (const name of ["token", "TOKEN", "unsubscribe_token", "inviteToken", "password", "api_key", "sig"])
      expect(isSecretParam(name), name).toBe(true);
    for (const name of ["input", "batch", "print", "name", "x", "page"])
      expect(isSecretParam(name), name).toBe(false);
  });

  it("replaces their values, and the whole query of the invitation page", () => {
    expect(redactSecretsInUrl("/anything?token=abc&x=1")).toBe("/anything?token=[redacted]&x=1");
    expect(redactSecretsInUrl("/anything?x=1&%74oken=abc")).toBe("/anything?x=1&%74oken=[redacted]");
    expect(redactSecretsInUrl("/preferences?id=4&unsubscribe_token=abc")).toBe(
      "/preferences?id=4&unsubscribe_token=[redacted]",
    );
    // An email's one-click unsubscribe link: its whole query, whatever the parameter is called.
    expect(redactSecretsInUrl("/unsubscribe?token=abc")).toBe("/unsubscribe?[redacted]");
    expect(redactSecretsInUrl("/unsubscribe?t=abc&x=1")).toBe("/unsubscribe?[redacted]");
    expect(redactSecretsInUrl("https://plans.example.org/Unsubscribe/?token=abc")).toBe(
      "https://plans.example.org/Unsubscribe/?[redacted]",
    );
    expect(redactSecretsInUrl("/accept-invite?token=abc")).toBe("/accept-invite?[redacted]");
    expect(redactSecretsInUrl("/accept-invite/?t=abc")).toBe("/accept-invite/?[redacted]");
    expect(redactSecretsInUrl("//Accept-Invite?t=abc")).toBe("//Accept-Invite?[redacted]");
    expect(redactSecretsInUrl("/accept%2Dinvite?t=abc")).toBe("/accept%2Dinvite?[redacted]");
    expect(redactSecretsInUrl("https://fivestep.example/accept-invite?token=abc#x")).toBe(
      "https://fivestep.example/accept-invite?[redacted]#x",
    );
    expect(redactSecretsInUrl("/accept-invite#token=abc")).toBe("/accept-invite#token=[redacted]");
    // Nothing secret: unchanged.
    for (const url of ["/", "/healthz", "/trpc/plan.get?input=%7B%22id%22%3A1%7D", "/x?", "/x?a&b=2"])
      expect(redactSecretsInUrl(url)).toBe(url);
  });

  it("catches a token parameter anywhere in a finished log line", () => {
    expect(redactSecretsInLogLine('{"msg":"Reply was already sent in \\"/x?a=1&token=abc\\""}')).toBe(
      '{"msg":"Reply was already sent in \\"/x?a=1&token=[redacted]\\""}',
    );
    expect(redactSecretsInLogLine('{"msg":"ok","n":1}')).toBe('{"msg":"ok","n":1}');
  });

  it("catches an API token anywhere in a finished log line", () => {
    const secret = `fst_${"A1b2-C3d4_".repeat(4)}xyz`;
    expect(redactSecretsInLogLine(`{"msg":"Route GET:/x/${secret} not found"}`)).toBe(
      '{"msg":"Route GET:/x/fst_[redacted] not found"}',
    );
    // A list's prefix (fst_ and 8 characters) is no secret and stays.
    expect(redactSecretsInLogLine('{"prefix":"fst_A1b2C3d4"}')).toBe('{"prefix":"fst_A1b2C3d4"}');
  });
});

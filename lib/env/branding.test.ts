import { afterEach, describe, expect, it } from "vitest";
import { resetEnvCache } from "./index";
import { absoluteLogoUrl, brand, logoOrigin, mailFrom } from "./branding";

const saved = { ...process.env };
function configure(values: Record<string, string | undefined>) {
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  resetEnvCache();
}
afterEach(() => {
  process.env = { ...saved };
  resetEnvCache();
});

describe("branding", () => {
  it("is Latchkey in indigo with no logo until configured, and mail comes from the name", () => {
    configure({ APP_NAME: undefined, APP_LOGO_URL: undefined, APP_ACCENT_COLOR: undefined, MAIL_FROM: undefined });
    expect(brand()).toEqual({ name: "Latchkey", logoUrl: undefined, accentColor: undefined });
    expect(mailFrom()).toBe("Latchkey <no-reply@localhost>");
    expect(absoluteLogoUrl()).toBeUndefined();
    expect(logoOrigin()).toBeUndefined();
  });

  it("takes a name, a logo and an accent colour; the sender follows the name unless MAIL_FROM is set", () => {
    configure({ APP_NAME: ' Acme "ID" ', APP_LOGO_URL: "https://cdn.acme.example/logo.svg", APP_ACCENT_COLOR: "#0F766E", MAIL_FROM: undefined, AUTH_URL: "https://id.acme.example" });
    expect(brand()).toEqual({ name: 'Acme "ID"', logoUrl: "https://cdn.acme.example/logo.svg", accentColor: "#0f766e" });
    expect(mailFrom()).toBe("Acme ID <no-reply@localhost>");
    expect(logoOrigin()).toBe("https://cdn.acme.example");
    configure({ MAIL_FROM: "Acme <hello@acme.example>", APP_LOGO_URL: "/logo.svg" });
    expect(mailFrom()).toBe("Acme <hello@acme.example>");
    expect(absoluteLogoUrl()).toBe("https://id.acme.example/logo.svg");
    expect(logoOrigin()).toBeUndefined();
  });

  it("refuses a logo that is neither https nor a path here, and a colour that isn't #rrggbb", () => {
    for (const logo of ["http://cdn.example/logo.svg", "javascript:alert(1)", "//cdn.example/logo.svg", "logo.svg"]) {
      configure({ APP_LOGO_URL: logo, APP_ACCENT_COLOR: undefined });
      expect(() => brand(), logo).toThrow(/APP_LOGO_URL/);
    }
    for (const colour of ["red", "#fff", "#12345g", "url(x)"]) {
      configure({ APP_LOGO_URL: undefined, APP_ACCENT_COLOR: colour });
      expect(() => brand(), colour).toThrow(/APP_ACCENT_COLOR/);
    }
  });
});

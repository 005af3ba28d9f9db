import Bowser from "bowser";

const UNKNOWN_DEVICE = "Unknown device";
// The first product token of a user agent ("curl/8.4.0" → "curl"): programs that no browser table knows.
const PRODUCT = /^([A-Za-z][A-Za-z0-9._-]{0,39})(?:\/|\s|$)/;

/**
 * A person's name for the device behind a session, "Chrome on macOS", from its user agent through a maintained
 * parser (bowser), so that browser and system names stay current without patterns of our own. A program the
 * parser doesn't know is named by its product token; a missing agent is "Unknown device".
 */
export function describeDevice(userAgent: string | null | undefined): string {
  const agent = userAgent?.trim();
  if (!agent) return UNKNOWN_DEVICE;
  const { browser, os } = Bowser.parse(agent);
  const program = browser.name || PRODUCT.exec(agent)?.[1];
  if (!program) return os.name ? `Unknown browser on ${os.name}` : UNKNOWN_DEVICE;
  return os.name ? `${program} on ${os.name}` : program;
}

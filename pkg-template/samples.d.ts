// Types of `leadhook/samples`: realistic bodies of every kind, valid and broken.
import type { Kind } from "./index.js";

export interface Sample {
  /** The fixture it comes from (`leadsie-v2/vendor-sample`). */
  name: string;
  /** What it shows, for people. */
  label: string;
  /** Its kind, or `null` for a body of no known kind. */
  kind: Kind | null;
  /** Whether it is a valid payload. */
  valid: boolean;
  /** The body, as the sender sends it. */
  body: string;
  /** The request URL it comes with (LeadSquared's `eventType`), when it matters. */
  url?: string;
  contentType?: string;
  /** The headers of a signed sample, signed with `signingSecret` at the sample's own time. */
  headers?: Record<string, string>;
  signingSecret?: string;
}

export declare const samples: Sample[];
export default samples;

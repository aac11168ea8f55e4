// Types of `leadhook/samples`: realistic bodies of every kind, valid and broken. The build writes
// the sample names in, from pkg-template/samples.json.
import type { Kind } from "./index.js";

/** A sample's name: the fixture it comes from (`leadsie-v2/vendor-sample`). */
export type SampleName = /* @sample-names */;

/** What every sample holds: its name, a label, the body and what the body is sent with. */
export interface SampleBase {
  name: SampleName;
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
  /** The body's Content-Type, when it is not JSON. */
  contentType?: string;
  /** The headers of a signed sample, signed with `signingSecret` at the sample's own time. */
  headers?: Record<string, string>;
  /** The demonstration secret a signed sample's `headers` are signed with. */
  signingSecret?: string;
}

/** A sample that validates: its kind is known. */
export interface ValidSample extends SampleBase {
  valid: true;
  kind: Kind;
}

/** A sample that does not validate: `kind` is the kind it is read as, or `null` for none. */
export interface InvalidSample extends SampleBase {
  valid: false;
  kind: Kind | null;
}

/** One sample body: `if (sample.valid)` narrows `kind` to a `Kind`. */
export type Sample = ValidSample | InvalidSample;

/** Every sample, valid and broken, of every kind, in the previewer's order. */
export declare const samples: Sample[];
export default samples;

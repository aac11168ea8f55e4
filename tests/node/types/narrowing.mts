// Type-checked by types.test.mjs under each moduleResolution: what the docs say narrows, narrows,
// and what the runtime may give is not narrowed away. Each @ts-expect-error line must not compile.
import {
  parse, validate, codeStep, upgrade,
  type Kind, type Report, type FlatValue, type FlatRecord, type LeadsieFlatRecord,
  type LeadEvent, type LeadEventOf, type LeadEventPayload, type LeadEventName, type UndocumentedEvent,
  type LeadEventV2, type LeadEventV2Of, type LeadEventV2Record, type LeadEventV2Note, type LeadEventV2Task,
  type LeadEventV2Deleted, type LeadEventV2Name,
  type CodeStepError, type CodeStepRecord, type CodeStepRecords, type CodeStepResult,
} from "leadhook";
import { samples, type Sample, type SampleName, type ValidSample } from "leadhook/samples";

declare const body: string;

// --- a legacy lead event narrows on data.event to its payload --------------------------------
const legacy = parse(body, { kind: "lead-event" });
if (legacy.data.event === "lead.create") {
  const lead: LeadEventPayload = legacy.data.payload;
  const email: string | null | undefined = legacy.data.payload.email;
  const secret: string = legacy.data.secret;
}
switch (legacy.data.event) {
  case "lead.update":
  case "lead.delete": {
    const firstName: string | null | undefined = legacy.data.payload.first_name;
    break;
  }
  case "tag.delete": {
    // A listed event without a lead: its payload is any object.
    const tag: { [key: string]: unknown } = legacy.data.payload;
    // @ts-expect-error a tag's payload is not a lead
    const notLead: string | null | undefined = legacy.data.payload.first_name;
    break;
  }
  default: {
    // An event the tables do not list still comes through (a warning, not an error): a string.
    const name: string = legacy.data.event;
    const payload: { [key: string]: unknown } = legacy.data.payload;
  }
}
// @ts-expect-error without checking event, the payload is not known to be a lead
const unchecked: string | null | undefined = legacy.data.payload.email;
// An unlisted event name is compared as a string (its type keeps listed names narrowing).
const legacyName: string = legacy.data.event;
if (legacyName === "lead.reminder.create") {
  const anyEvent: LeadEvent = legacy.data;
}
// @ts-expect-error compare an unlisted name as a string, as above
if (legacy.data.event === "lead.reminder.create") {}
const asName: LeadEventName = legacy.data.event;
const undocumented: UndocumentedEvent = "lead.reminder.create (undocumented)";
const oneEvent: LeadEvent<"lead.create"> = { id_space: "s", event: "lead.create", secret: "x", payload: { email: "a@b.example" } };
const ofShape: LeadEventOf<"lead.create", LeadEventPayload> = oneEvent;
// @ts-expect-error a lead's email is a string
const badEmail: LeadEvent<"lead.create"> = { id_space: "s", event: "lead.create", secret: "x", payload: { email: 1 } };
// @ts-expect-error a tag.delete is not a lead.create
const wrongEvent: LeadEvent<"lead.create"> = { id_space: "s", event: "tag.delete", secret: "x", payload: {} };

// Through parse's general overload too: kind, then event.
const any = parse(body);
if (any.kind === "lead-event" && any.data.event === "lead.update") {
  const updated: string | null | undefined = any.data.payload.updated_at;
}

// --- a lead-event.v2 body narrows on event to its data ----------------------------------------
const signed = parse(body, { kind: "lead-event.v2" }).data;
if (signed.event === "record.created" || signed.event === "record.updated") {
  const record: LeadEventV2Record = signed.data;
  const fields: { [key: string]: unknown } | null | undefined = signed.data.fields;
} else if (signed.event === "note.created") {
  const note: LeadEventV2Note = signed.data;
  const text: string | null | undefined = signed.data.contentPlain;
  // @ts-expect-error a note has no task status
  const noteStatus: string = signed.data.status;
} else if (signed.event === "record.deleted") {
  const deleted: boolean | null | undefined = signed.data.deleted;
}
switch (signed.event) {
  case "task.completed": {
    const task: LeadEventV2Task = signed.data;
    const status: string | null | undefined = signed.data.status;
    break;
  }
  default: {
    const name: string = signed.event;
  }
}
// @ts-expect-error without checking event, data is not known to be a record
const notRecord: { [key: string]: unknown } | null | undefined = signed.data.fields;
const v2Name: LeadEventV2Name = signed.event;
const deletedEvent: LeadEventV2<"record.deleted"> = {
  eventId: "e", timestamp: "2026-01-01T00:00:00Z", workspaceId: "w", event: "record.deleted", data: { id: "r", deleted: true },
};
const deletedShape: LeadEventV2Of<"record.deleted", LeadEventV2Deleted> = deletedEvent;
// @ts-expect-error a record.deleted's data says deleted with a boolean
const badDeleted: LeadEventV2<"record.deleted"> = { eventId: "e", timestamp: "t", workspaceId: "w", event: "record.deleted", data: { deleted: "yes" } };
// An upgraded legacy event narrows the same way.
const upgraded = upgrade(body, { kind: "lead-event" });
if (upgraded.event === "record.created") {
  const person: string | null | undefined = upgraded.data.objectType;
  const from: "lead-event" | undefined = upgraded.upgradedFrom?.kind;
}

// --- validate: ok narrows kind to a Kind ------------------------------------------------------
const report = validate(body);
if (report.ok) {
  const kind: Kind = report.kind;
} else {
  const kindOrNull: Kind | null = report.kind;
  // @ts-expect-error an invalid report may have no kind
  const notNull: Kind = report.kind;
}
// @ts-expect-error unchecked, the kind may be null
const uncheckedKind: Kind = report.kind;
// @ts-expect-error a report with ok true has a kind
const impossible: Report = { ok: true, kind: null, errors: [], warnings: [] };

// --- codeStep: the recipes' pattern -----------------------------------------------------------
declare const inputData: { payload: string; url?: string };
// A kind with one event per delivery: `if (out.error) throw` leaves the record.
const leadsie = codeStep(inputData, { kind: "leadsie.v2" });
if (leadsie.error) throw new Error(leadsie.error);
const leadsieRecord: LeadsieFlatRecord = leadsie;
const userId: string | null = leadsie.user_id;
const more: FlatValue = leadsie.page_id;
// Line items keep a delivery in one record.
const withItems = codeStep(inputData, { lineItems: true });
if (withItems.error) throw new Error(withItems.error);
const item: FlatValue = withItems.line_items[0].id;
const field: FlatValue = withItems.email;
// Any payload: a LeadSquared array of several events gives an array, one record per event.
const out = codeStep(inputData);
if (out.error) throw new Error(out.error);
const result: CodeStepRecord | CodeStepRecords = out;
// @ts-expect-error the answer may be the records of several events
const oneField: FlatValue = out.user_id;
if (Array.isArray(out)) {
  const each: FlatValue[] = out.map((record) => record.ProspectID);
} else {
  const value: FlatValue = out.user_id;
  const items: FlatRecord[] | undefined = out.line_items;
}
// The error is never empty, so a truthy check tells it apart; `!== undefined` does too.
const failed = codeStep(inputData);
if (failed.error !== undefined) {
  const error: CodeStepError = failed;
  const message: `leadhook: ${string}` = failed.error;
  const keys: string[] = failed.available_keys;
}
// @ts-expect-error unchecked, the answer may be a CodeStepError
const record: FlatRecord = codeStep(inputData, { kind: "lead-event" });
// @ts-expect-error a CodeStepError's message starts with "leadhook: "
const madeUp: CodeStepError = { error: "", errors: [], available_keys: [] };
const typed: CodeStepResult = codeStep(inputData, { kind: "leadsquared" });

// --- leadhook/samples -------------------------------------------------------------------------
const first: Sample = samples[0];
if (first.valid) {
  const kind: Kind = first.kind;
  const valid: ValidSample = first;
} else {
  // @ts-expect-error a broken sample may be of no known kind
  const kind: Kind = first.kind;
}
const byName = samples.find((s) => s.name === "lead-event-v2/vendor-record-created");
const headers: Record<string, string> | undefined = byName?.headers;
const name: SampleName = "leadsie-v2/vendor-sample";
// @ts-expect-error not a sample's name
const notName: SampleName = "leadsie-v3/vendor-sample";
// @ts-expect-error a sample's body is text
const bodyObject: object = first.body;
const validated: Report = validate(first.body, { url: first.url, contentType: first.contentType });

export {};

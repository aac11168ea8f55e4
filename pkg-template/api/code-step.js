// codeStep's answer. The module finds the payload in a Zapier, Make or n8n step's inputData and
// the options to read it with (crates/leadhook/src/api/code_step.rs, `plan`: a wrapper's
// `payload`, a request's `body`, or inputData itself; a wrapper's url, content type and
// line_items); this answers for that payload with the public functions: its flat record, one
// record per event for a delivery of several, its rows as line items when asked for, or the error
// object with the keys the payload offers.
import { readOpts } from "./options.js";
import { codeStepError, withStepHint } from "./reports.js";

/**
 * codeStep, on what `createApi` gives it, each answering `{ value }` or `{ report }`:
 * `plan(inputData, opts, keys)` the module's `[body, url, contentType, lineItems, keys]`,
 * `flatten`, `rows` and `events(body, opts)` (each event's record); `cannotRead(opts, error)` the
 * report for an inputData that could not be looked at; `Trapped` what a trap throws.
 */
function createCodeStep({ plan, flatten, rows, events, cannotRead, Trapped }) {
  return function codeStep(inputData, opts) {
    try {
      const planned = plan(inputData, opts, false);
      if (planned.report) return withStepHint(inputData, codeStepError(planned.report));
      const [text, url, contentType, lineItems] = planned.value.value;
      const body = text ?? inputData;
      // The options as given (read as the core reads them), with the step's url and content type.
      const o = { ...readOpts(opts).o, url: url ?? undefined, contentType: contentType ?? undefined };
      // The keys are read again only for an error object, which offers them.
      const failed = (report) => {
        const again = plan(inputData, opts, true);
        return withStepHint(inputData, codeStepError(report, again.report ? [] : again.value.value[4]));
      };
      const flat = flatten(body, o);
      if (flat.report) return failed(flat.report);
      const record = flat.value;
      // A delivery of several events (a LeadSquared array, whose flat record counts them) gives
      // one record per event, which Zapier runs the next steps for one by one: unless line items
      // were asked for, which keep them in one record.
      if (!lineItems && Number.isInteger(record.count) && record.count > 1) {
        const each = events(body, o);
        if (!each.report) return each.value.map((e) => e.record);
      }
      if (lineItems) {
        // The record alone would be presented as whole: the rows' refusal is the answer.
        const items = rows(body, o);
        if (items.report) return failed(items.report);
        record.line_items = items.value; // last, or in the place of the record's own
      }
      return record;
    } catch (error) {
      if (error instanceof Trapped) throw error;
      return codeStepError(cannotRead(opts, error));
    }
  };
}

export { createCodeStep };

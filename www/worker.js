// The previewer's Web Worker: every body is read and analysed here, off the page's main thread,
// so that typing stays responsive whatever the body's size.
import * as api from "../pkg/browser.mjs";
import { analyse, csv } from "./analyse.js";

// How many jobs this worker has done (the browser test reads it).
self.jobs = 0;

self.onmessage = ({ data }) => {
  const { id, job, input } = data;
  self.jobs++;
  try {
    const result = job === "csv" ? csv(api, input) : analyse(api, input);
    self.postMessage({ id, result });
  } catch (error) {
    self.postMessage({ id, error: String((error && error.message) || error) });
  }
};
self.postMessage({ ready: true });

// The previewer's Web Worker: every body is read and analysed here, off the page's main thread,
// so that typing stays responsive whatever the body's size.
import * as api from "../pkg/browser.mjs";
import { analyse, csv } from "./analyse.js";

self.onmessage = ({ data }) => {
  const { id, job, input } = data;
  try {
    const result = job === "csv" ? csv(api, input) : analyse(api, input);
    self.postMessage({ id, result });
  } catch (error) {
    self.postMessage({ id, error: String((error && error.message) || error) });
  }
};
self.postMessage({ ready: true });
